"""Study circles (学习圈): interest groups by district and topic, led by a teacher, a community worker or a
resident; public (anyone joins) or by request (the leader accepts); meetings, posts and shared files."""

from bianxue.files import private_storage
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .moderation import Moderated, ModerationScope


class CircleTopic(models.TextChoices):
    SMART_TECH = "smart_tech", _("智能手机与电脑")
    HEALTH = "health", _("健康养生")
    ARTS = "arts", _("书画艺术")
    MUSIC = "music", _("音乐戏曲")
    CULTURE = "culture", _("汴梁文化")
    READING = "reading", _("读书交流")
    SKILLS = "skills", _("职业技能")
    OTHER = "other", _("其他")


class LeaderKind(models.TextChoices):
    TEACHER = "teacher", _("教师")
    WORKER = "worker", _("社区工作者")
    RESIDENT = "resident", _("居民")


class Circle(models.Model):
    """A study circle. ``open_join``: anyone joins at once; otherwise the leader accepts requests."""

    name = models.CharField(_("学习圈名称"), max_length=60)
    description = models.TextField(_("简介"), max_length=2000, blank=True)
    topic = models.CharField(_("主题"), max_length=16, choices=CircleTopic.choices)
    district = models.ForeignKey("institutions.District", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("县区"))
    place = models.CharField(_("活动地点"), max_length=120, blank=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("圈主"))
    leader_kind = models.CharField(_("圈主身份"), max_length=10, choices=LeaderKind.choices,
                                   default=LeaderKind.RESIDENT)
    open_join = models.BooleanField(_("公开加入"), default=True,
                                    help_text=_("不勾选则需圈主同意才能加入。"))
    member_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("学习圈")
        verbose_name_plural = pgettext_lazy("circles", "学习圈")
        indexes = [
            models.Index(fields=["district", "topic"], name="community_circle_district"),
            models.Index(fields=["topic", "-member_count"], name="community_circle_topic"),
            models.Index(fields=["-member_count", "-created_at"], name="community_circle_popular"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:circle", args=[self.pk])


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("待同意")
    ACTIVE = "active", _("成员")
    DECLINED = "declined", _("未同意")
    LEFT = "left", _("已退出")


class CircleMembership(models.Model):
    """A member of a circle (the leader too, with ``is_leader``), or a request to join it."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=MembershipStatus.choices)
    is_leader = models.BooleanField(default=False)
    message = models.CharField(_("申请留言"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["circle", "user"], name="community_circle_member_once")]
        indexes = [
            models.Index(fields=["circle", "status"], name="community_member_circle"),
            models.Index(fields=["user", "status"], name="community_member_user"),
        ]

    def __str__(self) -> str:
        return f"{self.circle_id} {self.user_id} {self.status}"


class CircleMeeting(models.Model):
    """A meeting of a circle: time and place, optionally one of a course's offline sessions."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("主题"), max_length=120)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    session = models.ForeignKey("courses.Session", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("关联的线下课次"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["circle", "starts_at"], name="community_meeting_circle")]

    def __str__(self) -> str:
        return self.title


class CirclePost(Moderated):
    """A post in a circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(_("内容"), max_length=5000)

    class Meta:
        verbose_name = _("学习圈帖子")
        verbose_name_plural = pgettext_lazy("circle posts", "学习圈帖子")
        indexes = [
            models.Index(fields=["circle", "status", "-created_at"], name="community_cpost_circle"),
            models.Index(fields=["status", "created_at"], name="community_cpost_status"),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def get_absolute_url(self) -> str:
        return f"{reverse('community:circle', args=[self.circle_id])}#post-{self.pk}"

    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(circle_id=self.circle_id)

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> Q:
        return Q(circle_id__in=circle_ids)

    def moderation_title(self) -> str:
        return self.body


def _private_storage():
    return private_storage


def circle_file_path(instance, filename: str) -> str:
    # the stored name is ours (random), never the uploader's: the original name is kept in ``filename``
    import uuid

    return f"community/circles/{instance.circle_id}/{uuid.uuid4().hex}"


class CircleFile(Moderated):
    """A file shared in a circle: private storage, read only by the circle's members through a checked view."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("文件说明"), max_length=120)
    file = models.FileField(storage=_private_storage, upload_to=circle_file_path, max_length=200)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("学习圈文件")
        verbose_name_plural = pgettext_lazy("circle files", "学习圈文件")
        indexes = [models.Index(fields=["circle", "status", "-created_at"], name="community_cfile_circle")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('community:circle', args=[self.circle_id])}#file-{self.pk}"

    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(circle_id=self.circle_id)

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> Q:
        return Q(circle_id__in=circle_ids)

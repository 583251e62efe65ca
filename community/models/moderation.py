"""Moderation: what every piece of community content carries (``Moderated``), the bureau's sensitive-word list
and posting policy, reports, and the small facts the posting rules need (posting events, member standing).

Nothing is deleted: a moderator hides (with a reason, audited) and may restore; a held post waits for review.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ModerationStatus(models.TextChoices):
    VISIBLE = "visible", _("显示")
    HELD = "held", _("待审核")
    HIDDEN = "hidden", _("已隐藏")


class HeldReason(models.TextChoices):
    NONE = "", _("无")
    WORD = "word", _("含敏感词")
    NEW_MEMBER = "new_member", _("新成员的首批发言")


@dataclass(frozen=True)
class ModerationScope:
    """Who moderates a piece of content: the staff of ``course_id``, the leaders of ``circle_id``, the staff
    of ``institution_id`` (and always the bureau)."""

    course_id: int | None = None
    circle_id: int | None = None
    institution_id: int | None = None


class Moderated(models.Model):
    """Abstract: content a member wrote that moderators may hold, hide and restore.

    A concrete model says who moderates it (``moderation_scope``, and ``moderated_by_q`` for the queue) and how
    to show it (``moderation_title``/``get_absolute_url``). Rows are never deleted by the community's services.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("作者"))
    status = models.CharField(_("状态"), max_length=8, choices=ModerationStatus.choices,
                              default=ModerationStatus.VISIBLE)
    held_reason = models.CharField(_("待审核原因"), max_length=16, choices=HeldReason.choices, blank=True)
    held_detail = models.CharField(_("待审核说明"), max_length=100, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("隐藏者"))
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发表时间"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.status == ModerationStatus.VISIBLE

    @property
    def moderation_kind(self) -> str:
        """The model's name in moderation URLs (/community/moderation/<kind>/<pk>/...)."""
        return self._meta.model_name

    def screening_apply(self, screening) -> None:
        """Set the status an unsaved post starts with from ``content_screen``'s answer."""
        if screening.held:
            self.status, self.held_reason, self.held_detail = ModerationStatus.HELD, screening.code, screening.detail
        else:
            self.status = ModerationStatus.VISIBLE

    def moderation_scope(self) -> ModerationScope:
        raise NotImplementedError

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> models.Q:
        """The rows that the holder of these courses/circles/institutions moderates (subqueries welcome)."""
        raise NotImplementedError

    def moderation_title(self) -> str:
        return str(self)


class SensitiveWord(models.Model):
    """A word the bureau lists: a post containing it is held for review (never silently dropped)."""

    word = models.CharField(_("敏感词"), max_length=50, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = pgettext_lazy("sensitive words", "敏感词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class CommunityPolicy(models.Model):
    """The bureau's posting policy (one row; edited in the CMS). Defaults apply while there is none."""

    require_id_binding = models.BooleanField(
        _("发言须实名绑定"), default=False,
        help_text=_("开启后，只有完成实名绑定（身份证号）的用户才能发言；手机号验证始终需要。"))
    posts_per_hour = models.PositiveSmallIntegerField(_("每人每小时发言上限"), default=30)
    new_member_reviewed_posts = models.PositiveSmallIntegerField(
        _("新成员须审核的发言数"), default=1,
        help_text=_("新成员的发言先经审核，直到有这么多条被管理员通过。0 表示不审核。"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社区发言规则")
        verbose_name_plural = pgettext_lazy("community policies", "社区发言规则")

    def __str__(self) -> str:
        return str(_("社区发言规则"))


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACTED = "acted", _("已处理")
    DISMISSED = "dismissed", _("已驳回")


class Report(models.Model):
    """A member's report about a post: it hides nothing by itself, it queues for the post's moderators."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("举报理由"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = pgettext_lazy("reports", "举报")
        constraints = [models.UniqueConstraint(fields=["reporter", "content_type", "object_id"],
                                               name="community_report_once")]
        indexes = [models.Index(fields=["status", "content_type", "object_id"], name="community_report_open")]

    def __str__(self) -> str:
        return f"report {self.pk} {self.status}"


class PostingEvent(models.Model):
    """One post by one user (any kind of content): the per-user rate limit counts these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="community_posting_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at}"


class MemberStanding(models.Model):
    """How many of a member's posts moderators have approved: a new member's posts are held until enough were."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    approved_posts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id} {self.approved_posts}"

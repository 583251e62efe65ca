"""Course discussions: each course has a board of threads and replies; a teacher's answer is marked; members
like posts and follow threads. The board belongs to the community; the course is only referred to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .moderation import Moderated, ModerationScope, ModerationStatus


class Board(models.Model):
    """A course's discussion board. ``public_read``: people who are not enrolled may read (not post)."""

    course = models.OneToOneField("courses.CoursePage", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=pgettext_lazy("course", "课程"))
    public_read = models.BooleanField(_("未报名者可阅读"), default=True)
    thread_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("课程讨论区")
        verbose_name_plural = pgettext_lazy("boards", "课程讨论区")

    def __str__(self) -> str:
        return f"board {self.course_id}"

    def get_absolute_url(self) -> str:
        return reverse("community:board", args=[self.course_id])


class Thread(Moderated):
    """A question or topic on a board."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), max_length=5000)
    reply_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    answered = models.BooleanField(_("老师已解答"), default=False)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("讨论主题")
        verbose_name_plural = pgettext_lazy("threads", "讨论主题")
        indexes = [
            models.Index(fields=["board", "status", "-last_activity_at"], name="community_thread_board"),
            models.Index(fields=["author", "created_at"], name="community_thread_author"),
            models.Index(fields=["status", "created_at"], name="community_thread_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:thread", args=[self.pk])

    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(course_id=self.board.course_id)

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> Q:
        return Q(board__course_id__in=course_ids)

    def moderation_title(self) -> str:
        return f"{self.title}\n{self.body}"

    def moderation_changed(self) -> None:
        """The board counts visible threads only."""
        n = Thread.objects.filter(board_id=self.board_id, status=ModerationStatus.VISIBLE).count()
        Board.objects.filter(pk=self.board_id).update(thread_count=n)


class Reply(Moderated):
    """A reply in a thread; ``teacher_answer`` when the course's staff marked it as the answer."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("回复内容"), max_length=5000)
    like_count = models.PositiveIntegerField(default=0)
    teacher_answer = models.BooleanField(_("老师的解答"), default=False)
    by_staff = models.BooleanField(_("课程工作人员"), default=False)

    class Meta:
        verbose_name = _("回复")
        verbose_name_plural = pgettext_lazy("replies", "回复")
        indexes = [
            models.Index(fields=["thread", "created_at"], name="community_reply_thread"),
            models.Index(fields=["author", "created_at"], name="community_reply_author"),
            models.Index(fields=["status", "created_at"], name="community_reply_status"),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def get_absolute_url(self) -> str:
        return f"{reverse('community:thread', args=[self.thread_id])}#reply-{self.pk}"

    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(course_id=self.thread.board.course_id)

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> Q:
        return Q(thread__board__course_id__in=course_ids)

    def moderation_title(self) -> str:
        return self.body

    def moderation_changed(self) -> None:
        """The thread counts visible replies only, and is answered while a visible teacher's answer stands."""
        visible = Reply.objects.filter(thread_id=self.thread_id, status=ModerationStatus.VISIBLE)
        Thread.objects.filter(pk=self.thread_id).update(reply_count=visible.count(),
                                                        answered=visible.filter(teacher_answer=True).exists())


class ThreadLike(models.Model):
    """A like on a thread (``reply`` empty) or on one of its replies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="likes")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], condition=Q(reply__isnull=True),
                                    name="community_like_thread_once"),
            models.UniqueConstraint(fields=["user", "reply"], condition=Q(reply__isnull=False),
                                    name="community_like_reply_once"),
        ]

    def __str__(self) -> str:
        return f"like {self.user_id} {self.thread_id}/{self.reply_id}"


class ThreadFollow(models.Model):
    """A member follows a thread: replies and answers are notified to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="community_follow_once")]

    def __str__(self) -> str:
        return f"follow {self.user_id} {self.thread_id}"

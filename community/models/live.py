"""Live Q&A rooms (直播答疑): a teacher opens a room on a course (or one of its offline sessions), learners ask,
up-vote, the teacher answers. The transcript stays on the course when the room closes.

Ordering and catch-up: every change in a room (a message, a vote, an answer mark, a hide) takes the next number of
the room's ``revision`` counter under the room's row lock, and the changed message records it in ``revision``. So
numbers commit in order, and a client that saw revision N asks for the messages changed after N and gets the
current state of each, nothing missed and nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .moderation import Moderated, ModerationScope, ModerationStatus


class LiveRoom(models.Model):
    """A live Q&A room of a course, open from ``opened_at`` until a teacher closes it."""

    class Askers(models.TextChoices):
        ENROLLED = "enrolled", _("本课程学员")
        SIGNED_IN = "signed_in", _("所有登录居民")

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="live_rooms")
    session = models.ForeignKey("courses.Session", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="live_rooms")
    title = models.CharField(_("主题"), max_length=120)
    askers = models.CharField(_("谁可以提问"), max_length=10, choices=Askers.choices, default=Askers.ENROLLED)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # the room's change counter (see the module's docstring)

    class Meta:
        verbose_name = _("直播答疑")
        verbose_name_plural = pgettext_lazy("live rooms", "直播答疑")
        indexes = [
            models.Index(fields=["course", "-opened_at"], name="liveroom_course"),
            models.Index(fields=["closed_at", "-opened_at"], name="liveroom_open"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:live_room", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class LiveMessage(Moderated):
    """A question, or a teacher's answer to one. ``(room, author, client_id)`` is unique: a client that sends the same
    message again (a retry, a reconnect, a form posted twice) stores it once. Moderated like every post (held,
    hidden, restored by the course's staff and the bureau; never deleted)."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("提问")
        ANSWER = "answer", _("解答")

    room = models.ForeignKey(LiveRoom, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    client_id = models.CharField(max_length=64)
    text = models.TextField()
    question = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    votes = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)  # questions: marked answered by the teacher
    revision = models.PositiveIntegerField()  # the room revision of the latest change to this message

    class Meta:
        verbose_name = _("直播答疑发言")
        verbose_name_plural = pgettext_lazy("live messages", "直播答疑发言")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "author", "client_id"], name="livemessage_once"),
        ]
        indexes = [models.Index(fields=["room", "revision"], name="livemessage_room_rev")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def held(self) -> bool:
        """Waiting for a moderator: shown to its author and the course's staff only."""
        return self.status == ModerationStatus.HELD

    @property
    def hidden(self) -> bool:
        return self.status == ModerationStatus.HIDDEN

    def get_absolute_url(self) -> str:
        return reverse("community:live_room", args=[self.room_id]) + f"#m{self.question_id or self.pk}"

    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(course_id=self.room.course_id)

    @classmethod
    def moderated_by_q(cls, *, course_ids, circle_ids, institution_ids) -> Q:
        return Q(room__course_id__in=course_ids)

    def moderation_changed(self) -> None:
        """Hidden, approved or restored: the room's sockets hear it (a new revision, so reconnecting ones too)."""
        from ..live_events import live_message_payload, live_room_push

        room = LiveRoom.objects.select_for_update().get(pk=self.room_id)
        self.revision = room.revision + 1
        LiveRoom.objects.filter(pk=room.pk).update(revision=self.revision)
        LiveMessage.objects.filter(pk=self.pk).update(revision=self.revision)
        live_room_push(room_id=self.room_id, event=live_message_payload(self))


class LiveVote(models.Model):
    """One user's up-vote on a question (once per user)."""

    message = models.ForeignKey(LiveMessage, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="livevote_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.message_id}"

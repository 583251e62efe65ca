"""Offline teaching: the sessions of a course and their attendance."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .pages import CoursePage


class Session(models.Model):
    """An offline class meeting of a course: time and venue. Attendance is taken by QR code."""

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("主题"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("座位数"), null=True, blank=True,
        help_text=_("教室座位数；满额后扫码不再登记（工作人员可补登）。留空为不限。"),
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("session", "线下课次")
        verbose_name_plural = pgettext_lazy("sessions", "线下课次")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["course", "starts_at"], name="session_course_start"),
            models.Index(fields=["starts_at"], name="session_start"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self):
        if self.capacity == 0:
            raise ValidationError({"capacity": gettext("座位数至少为 1，不限请留空。")})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("结束时间须晚于开始。")})


class Attendance(models.Model):
    """A learner present at a session (or marked absent by a staff correction)."""

    class Method(models.TextChoices):
        SESSION_CODE = "session_code", _("学员扫课堂码")
        PERSONAL_CODE = "personal_code", _("教师扫学员码")
        STAFF = "staff", _("工作人员登记")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(default=True)
    method = models.CharField(max_length=16, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("考勤")
        constraints = [models.UniqueConstraint(fields=["session", "learner"], name="uniq_attendance")]
        indexes = [models.Index(fields=["learner", "session"], name="attend_learner_session")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.learner_id} {self.present}"

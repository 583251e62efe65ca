"""1+X exams: a sitting of a certificate and level, and its results."""

from bianxue.institutions.models import CertificateLevel
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .pages import ProgrammePage


class ExamSession(models.Model):
    """A 1+X exam sitting held by an institution for a certificate and level."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="exam_sessions")
    certificate = models.ForeignKey("institutions.Certificate", on_delete=models.PROTECT, related_name="exam_sessions")
    cert_level = models.CharField(pgettext_lazy("level", "证书等级"), max_length=12, choices=CertificateLevel.choices)
    programme = models.ForeignKey(
        ProgrammePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="exam_sessions"
    )
    date = models.DateField(pgettext_lazy("date", "考试日期"))
    venue = models.CharField(_("考点"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("1+X考试场次")
        ordering = ["-date"]
        indexes = [models.Index(fields=["institution", "date"], name="exam_inst_date")]

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_cert_level_display()} {self.date}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class ExamResult(models.Model):
    """A learner's result at an exam sitting; each becomes an exam learning record."""

    class Result(models.TextChoices):
        PASSED = "passed", _("通过")
        FAILED = "failed", _("未通过")

    exam_session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="results")
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="exam_results")
    result = models.CharField(max_length=8, choices=Result.choices)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_no = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("exam result", "考试成绩")
        constraints = [models.UniqueConstraint(fields=["exam_session", "learner"], name="uniq_exam_result")]
        indexes = [models.Index(fields=["learner"], name="exam_result_learner")]

    def __str__(self) -> str:
        return f"{self.exam_session_id} {self.learner_id} {self.result}"


class ExamRegistration(models.Model):
    """A candidate registered for an exam sitting (考试报名): only registered candidates get results.

    Learners register themselves on the site (and cancel before the date); staff of the sitting's institution
    register candidates by ID number and name. Registration closes the day before the sitting."""

    exam_session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="registrations",
                                     verbose_name=_("考试场次"))
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="exam_registrations",
                                verbose_name=_("考生"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("报名人"))
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考试报名")
        verbose_name_plural = pgettext_lazy("exam registrations", "考试报名")
        constraints = [models.UniqueConstraint(fields=["exam_session", "learner"], name="uniq_exam_registration")]
        indexes = [models.Index(fields=["learner"], name="exam_registration_learner")]

    def __str__(self) -> str:
        return f"{self.exam_session_id} {self.learner_id}"

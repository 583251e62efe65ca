"""Learners: residents the platform holds records for, with or without a login."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Learner(models.Model):
    """A resident. Keyed by a keyed hash of their identifier; the identifier itself is encrypted."""

    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_encrypted = models.TextField(editable=False)
    id_masked = models.CharField(_("证件号（脱敏）"), max_length=64, editable=False)
    is_resident_id = models.BooleanField(default=False, editable=False)
    name = models.CharField(_("姓名"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    district_code = models.CharField(_("县区代码"), max_length=6, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="learner"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("learner", "学习者")
        verbose_name_plural = _("学习者")

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"


class LearnerPhone(models.Model):
    """A mobile number an institution recorded for a learner (the ``phone`` column of an import).

    Used only to send the learner a real-name binding code. Kept encrypted, with a keyed hash (to tell a change
    without decrypting) and a masked form (``138****1234``) for pages; never shown or exported in full.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="phones")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64, editable=False)
    phone_encrypted = models.TextField(editable=False)
    phone_masked = models.CharField(_("手机号（脱敏）"), max_length=16, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("登记手机号")
        verbose_name_plural = pgettext_lazy("recorded mobiles", "登记手机号")
        constraints = [
            models.UniqueConstraint(fields=["learner", "institution"], name="uniq_learner_phone_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.phone_masked}"


class BindingStatus(models.TextChoices):
    PENDING = "pending", _("待验证")
    VERIFIED = "verified", _("已绑定")
    REJECTED = "rejected", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    UNBOUND = "unbound", _("已解除")


class BindingMethod(models.TextChoices):
    PHONE = "phone", _("登记手机验证码")
    STAFF = "staff", _("机构工作人员确认")
    BUREAU = "bureau", _("教育局确认")


class BindingRequest(models.Model):
    """A login's claim to a resident ID number (实名绑定). Nothing is linked until it is proved.

    The claimed number is kept as the learners are (keyed hash, encrypted, masked), not as a link to a
    Learner: the learner may not exist yet, and whether it does must not show. The one-time code is kept
    hashed, with its expiry and the attempts made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="binding_requests")
    id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_encrypted = models.TextField(editable=False)
    id_masked = models.CharField(_("证件号（脱敏）"), max_length=64, editable=False)
    name = models.CharField(_("申报姓名"), max_length=64)
    status = models.CharField(_("状态"), max_length=12, choices=BindingStatus.choices,
                              default=BindingStatus.PENDING)
    method = models.CharField(_("验证方式"), max_length=12, choices=BindingMethod.choices, blank=True)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    learner = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("real-name binding request", "实名绑定申请")
        verbose_name_plural = _("实名绑定申请")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"),
                                    name="uniq_pending_binding_per_user"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="binding_status_created")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.id_masked} ({self.status})"

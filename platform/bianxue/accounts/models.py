"""Logins (User), staff memberships per institution, and the audit log of staff actions."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Wagtail admin groups (created by migration 0002; kept in step by services.user_admin_groups_sync).
STAFF_GROUP = "机构工作人员 Institution staff"
BUREAU_GROUP = "教育局管理员 Bureau administrators"


class Role(models.TextChoices):
    TEACHER = "teacher", _("教师/培训师")
    REGISTRAR = "registrar", _("教务/学籍管理员")
    CREDIT_OFFICER = "credit_officer", _("学分认定员")


class BianxueUserManager(UserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        # Logins are by email or phone; username is an internal handle filled from them.
        username = username or email or extra_fields.get("phone") or None
        return super()._create_user_object(username, email, password, **extra_fields)

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username or email or extra_fields.get("phone"), email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username or email, email, password, **extra_fields)


class User(AbstractUser):
    """A login. Every user is a learner; staff roles come from memberships; bureau admins by flag."""

    email = models.EmailField(_("电子邮箱"), blank=True, db_index=True)
    phone = models.CharField(_("手机号"), max_length=20, null=True, blank=True, unique=True)
    phone_verified = models.BooleanField(_("手机号已验证"), default=False)
    display_name = models.CharField(_("称呼"), max_length=64, blank=True)
    is_bureau_admin = models.BooleanField(
        _("教育局管理员"),
        default=False,
        help_text=_("可管理全市数据、审核课程发布、查看计划指标。"),
    )
    elder_mode = models.BooleanField(pgettext_lazy("elder mode", "长辈版"), default=False)
    text_scale = models.PositiveSmallIntegerField(_("文字大小"), default=100)

    objects = BianxueUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("users", "用户")

    def __str__(self) -> str:
        return self.display_name or self.email or self.phone or self.username

    def get_full_name(self) -> str:
        """The name the CMS admin shows (Wagtail's user_display_name): the display name, not the e-mail."""
        return self.display_name or super().get_full_name()


class StaffMembership(models.Model):
    """A staff role of a user at one institution. Permissions follow these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("staff membership", "机构人员")
        verbose_name_plural = pgettext_lazy("staff memberships", "机构人员")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="uniq_membership_role"),
        ]
        indexes = [models.Index(fields=["institution", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} · {self.get_role_display()}"


class AuditEntry(models.Model):
    """An audited staff action: who, when, what, on which object, and why. Never edited."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = pgettext_lazy("audit entries", "审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.actor} {self.action_label()}"

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self) -> str:
        from .audit_labels import audit_action_label

        return audit_action_label(self.action)

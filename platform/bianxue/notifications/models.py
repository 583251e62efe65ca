"""Notifications of every app, in the platform core: one store, one bell, one delivery path.

An app sends through ``bianxue.notifications.services.notification_send`` with a kind it registered
(``bianxue.registry.notification_kind_register``); nobody imports the app that sent a notification to show it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice to a user; e-mailed or texted at once for urgent kinds, or in the user's digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, blank=True)
    # title and body are msgids (Chinese) filled with ``params`` when shown, in the reader's language; older rows
    # and free text (a reviewer's reason) pass through gettext unchanged
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # the at-once e-mail/SMS step is done
    digested_at = models.DateTimeField(null=True, blank=True)  # included in a digest (or none was wanted)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_user"),
            models.Index(fields=["user"], condition=models.Q(read_at=None), name="notice_unread"),
            models.Index(fields=["user", "created_at"], condition=models.Q(digested_at=None),
                         name="notice_undigested"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def _render(self, text: str) -> str:
        from django.utils.translation import gettext

        if not text:
            return ""
        try:
            # the values too: a status label stored as its msgid reads in the reader's language; names pass through
            return gettext(text) % {k: gettext(v) for k, v in self.params.items()} if self.params else gettext(text)
        except (KeyError, TypeError, ValueError):  # a text that is not a template of these params
            return text

    @property
    def display_title(self) -> str:
        return self._render(self.title)

    @property
    def display_body(self) -> str:
        return self._render(self.body)


class Digest(models.TextChoices):
    NONE = "none", _("不需要")
    EMAIL = "email", _("每天一封邮件")
    SMS = "sms", _("每天一条短信")


class NotificationPreference(models.Model):
    """How a user wants to hear about notifications outside the site. Without a row: urgent kinds at once (as the
    credit bank always did), no digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="notification_preference")
    instant = models.BooleanField(_("重要通知（如学分银行审核结果）立即发邮件和短信"), default=True)
    digest = models.CharField(_("每日汇总"), max_length=10, choices=Digest.choices, default=Digest.NONE,
                              db_index=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.digest}"

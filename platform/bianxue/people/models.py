"""Learners: residents the platform holds records for, with or without a login."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Learner(models.Model):
    """A resident. Keyed by a keyed hash of their identifier; the identifier itself is encrypted."""

    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_encrypted = models.TextField(editable=False)
    id_masked = models.CharField(_("证件号（脱敏） masked identifier"), max_length=64, editable=False)
    is_resident_id = models.BooleanField(default=False, editable=False)
    name = models.CharField(_("姓名 name"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(_("出生年份 birth year"), null=True, blank=True)
    district_code = models.CharField(_("县区代码 district"), max_length=6, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="learner"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习者 learner")
        verbose_name_plural = _("学习者 learners")

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"

"""The database backend's index (one row per searchable document, its text pre-segmented into tokens) and the
synonym groups bureau editors keep in the CMS."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One searchable document as the database backend holds it. ``title_tokens`` and ``body_tokens`` are the
    space-separated tokens of search.text; PostgreSQL matches them through generated ``tsvector`` columns with GIN
    indexes, SQLite through an FTS5 table kept in step by triggers (both made by migration 0002)."""

    key = models.CharField(max_length=64, unique=True)  # "<kind>:<pk>"
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    # what suggestions match as one types: the title's pinyin run together and its initials
    title_pinyin = models.TextField(blank=True)
    title_initials = models.CharField(max_length=300, blank=True)
    facets = models.JSONField(default=dict)  # facet name -> code, or a list of codes
    labels = models.JSONField(default=dict)  # "<facet>:<code>" -> msgid or proper name
    facts = models.JSONField(default=dict)
    starts_on = models.DateField(null=True, blank=True)
    enrolable = models.BooleanField(default=False)
    enrol_from = models.DateField(null=True, blank=True)
    enrol_until = models.DateField(null=True, blank=True)
    district = models.CharField(max_length=6, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="search_entry_kind_obj")]

    def __str__(self) -> str:
        return self.key


class SynonymGroup(models.Model):
    """Terms residents use for the same thing (养老, 照护, 护理): a query holding one finds the others. Applied at
    query time, so a saved group works at once, without reindexing."""

    terms = models.CharField(
        _("同义词"), max_length=300,
        help_text=_("用逗号分隔，例如：养老，照护，护理。搜索其中任何一个词，都会找到含其他词的课程。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    # the cache key of search.synonyms.synonyms_current: a saved group applies to the next query
    CACHE_KEY = "search:synonyms:v1"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result

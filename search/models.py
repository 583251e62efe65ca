"""The database backend's index (one row per searchable document, its text pre-segmented into tokens) and the
synonym groups bureau editors keep in the CMS; and the search report's counts (``SearchTerm``, below)."""

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
        cache.delete(self.CACHE_KEY)  # (Elasticsearch's synonyms set: search.signals)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result


# --- the search report (search.report) ---------------------------------------------------------------------
# What residents look for: every query counted per week, with no personal data (the search report).
#
# A query is kept only as its normalised text; a reader is never stored, only counted: each (query, week) keeps the
# keyed digests of the sessions that typed it, so that a session is counted once. The digest is an HMAC of the
# session key under the site's secret and the week, so it cannot be turned back into the session, nor linked
# across weeks; digests of past weeks are deleted (the counts stay).


class SearchTerm(models.Model):
    """One normalised query in one week (weeks start on Monday, Asia/Shanghai)."""

    week = models.DateField(_("周"))
    text = models.CharField(_("搜索词"), max_length=60)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    sessions = models.PositiveIntegerField(_("搜索人次"), default=0)
    results = models.PositiveIntegerField(_("结果数"), default=0)  # of the latest search: 0 means "nothing found"

    class Meta:
        verbose_name = _("搜索词统计")
        verbose_name_plural = _("搜索词统计")
        constraints = [models.UniqueConstraint(fields=["week", "text"], name="search_term_week_text")]
        indexes = [models.Index(fields=["week", "-sessions"], name="search_term_week_sessions")]

    def __str__(self) -> str:
        return f"{self.week} {self.text}"


class SearchTermSession(models.Model):
    """A session that typed a term this week, as a keyed digest (not reversible; deleted once the week is over)."""

    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="session_digests")
    week = models.DateField(db_index=True)  # the term's week, so that past weeks' digests go in one delete
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "digest"], name="search_term_session_digest")]

    def __str__(self) -> str:
        return f"{self.week} #{self.term_id}"

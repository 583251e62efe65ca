"""What residents look for: every query counted per week, with no personal data (the search report).

A query is kept only as its normalised text; a reader is never stored, only counted: each (query, week) keeps the
keyed digests of the sessions that typed it, so that a session is counted once. The digest is an HMAC of the
session key under the site's secret and the week, so it cannot be turned back into the session, nor linked
across weeks; digests of past weeks are deleted (the counts stay).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

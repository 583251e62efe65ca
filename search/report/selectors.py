"""The weekly search report: who may read it, and what it shows (queries of at least 5 distinct sessions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bianxue.accounts.selectors import user_is_bureau_admin
from django.core.exceptions import PermissionDenied

from search.models import SearchTerm

MIN_SESSIONS = 5  # a query typed in fewer sessions could point at one person; it is never shown
TOP = 30
WEEKS_LISTED = 12


def user_may_read_search_report(*, user) -> bool:
    """Bureau admins and CMS editors (anyone with access to the CMS admin: institution staff who edit courses)."""
    if user is None or not user.is_authenticated:
        return False
    return user_is_bureau_admin(user=user) or user.has_perm("wagtailadmin.access_admin")


@dataclass(frozen=True)
class ReportRow:
    text: str
    sessions: int
    searches: int
    results: int


@dataclass(frozen=True)
class SearchReport:
    week: datetime.date | None
    weeks: list[datetime.date]  # the weeks that have anything to show, newest first
    top: list[ReportRow]
    no_result: list[ReportRow]


def search_report_weeks() -> list[datetime.date]:
    return list(SearchTerm.objects.filter(sessions__gte=MIN_SESSIONS).order_by("-week")
                .values_list("week", flat=True).distinct()[:WEEKS_LISTED])


def search_report_get(*, user, week: datetime.date | None = None) -> SearchReport:
    """The report of ``week`` (the newest week with data when None). PermissionDenied for other readers."""
    if not user_may_read_search_report(user=user):
        raise PermissionDenied
    weeks = search_report_weeks()
    if week is None or week not in weeks:
        week = weeks[0] if weeks else None
    if week is None:
        return SearchReport(week=None, weeks=weeks, top=[], no_result=[])
    shown = SearchTerm.objects.filter(week=week, sessions__gte=MIN_SESSIONS).order_by("-sessions", "-searches", "text")
    fields = ("text", "sessions", "searches", "results")
    top = [ReportRow(*row) for row in shown.values_list(*fields)[:TOP]]
    no_result = [ReportRow(*row) for row in shown.filter(results=0).values_list(*fields)[:TOP]]
    return SearchReport(week=week, weeks=weeks, top=top, no_result=no_result)

"""Counting a query (called by the search page; never fails the page)."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from search.models import SearchTerm, SearchTermSession

from .privacy import query_is_countable, query_normalise

logger = logging.getLogger(__name__)


def week_start(day: datetime.date | None = None) -> datetime.date:
    """The Monday of ``day``'s week (today in Asia/Shanghai by default)."""
    day = day or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


def session_digest(*, session_key: str, week: datetime.date) -> str:
    """A keyed digest of the session key for one week: not reversible, not linkable across weeks."""
    return salted_hmac(f"bianxue.search.report:{week.isoformat()}", session_key).hexdigest()[:32]


def search_query_record(*, text: str, session_key: str, result_count: int,
                        today: datetime.date | None = None) -> SearchTerm | None:
    """Count one query typed in one session: the normalised text, the week, whether the session is new to this
    term this week, and the result count. Queries shaped like personal data are not counted (returns None)."""
    text = query_normalise(text)
    if not query_is_countable(text) or not session_key:
        return None
    week = week_start(today)
    digest = session_digest(session_key=session_key, week=week)
    with transaction.atomic():
        term, created = SearchTerm.objects.get_or_create(week=week, text=text)
        if created:
            # The first term of a week: the digests of past weeks have done their job (counts stay).
            SearchTermSession.objects.filter(week__lt=week).delete()
        new_session = False
        try:
            with transaction.atomic():
                SearchTermSession.objects.create(term=term, week=week, digest=digest)
                new_session = True
        except IntegrityError:  # this session already typed it this week
            pass
        SearchTerm.objects.filter(pk=term.pk).update(
            searches=F("searches") + 1, sessions=F("sessions") + (1 if new_session else 0),
            results=max(0, int(result_count)),
        )
    return term


def search_query_record_quietly(**kwargs) -> None:
    """The page's door: counting is a courtesy, a failure is logged and the reader still gets results."""
    try:
        search_query_record(**kwargs)
    except Exception:  # noqa: BLE001 (the report never costs a resident their search)
        logger.exception("search report: could not count a query")

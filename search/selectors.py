"""Residents' search: the two reads the pages use (see search.contract), and the backend's health."""

from __future__ import annotations

import logging

from .backends import backend_get
from .contract import SearchQuery, SearchResults, Suggestion
from .synonyms import synonyms_current

logger = logging.getLogger("bianxue.search")


def search_run(*, query: SearchQuery, user=None) -> SearchResults:
    """Results for anyone (residents' search shows only what is public, whoever asks): ranked, with facets,
    highlighted, with "did you mean" and related results when nothing matched. ``user`` is taken for the rule
    that selectors take the acting user; no result depends on it."""
    return backend_get().search(query=query, synonyms=synonyms_current())


def search_suggest(*, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Titles matching what has been typed so far: characters, pinyin (``shouj``) or initials (``sj``)."""
    return backend_get().suggest(prefix=prefix, limit=max(1, min(limit, 20)))


def search_backend_health() -> str:
    """"ok", or "degraded" when Elasticsearch is configured and does not answer (the database answers then)."""
    try:
        return backend_get().health()
    except Exception:  # a health probe never raises
        logger.warning("search: health check failed", exc_info=True)
        return "degraded"

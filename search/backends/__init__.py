"""The search backends behind one interface (base.SearchBackend): the database (always there) and Elasticsearch
(when ELASTICSEARCH_URL is set; it falls back to the database when it fails)."""

from __future__ import annotations

import functools

from django.conf import settings


@functools.cache
def _backend(name: str):
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(url=settings.ELASTICSEARCH_URL)
    from .database import DatabaseBackend

    return DatabaseBackend()


def backend_get(name: str | None = None):
    """The configured backend (settings.SEARCH_BACKEND), or the one named."""
    return _backend(name or getattr(settings, "SEARCH_BACKEND", "database"))


def database_backend():
    return _backend("database")

"""Writes of the search index: documents (re)built from their apps and written to the backend, after commit.

Writers elsewhere never call these directly: search.signals records an outbox message in the writer's transaction
(``search.tasks.search_index_update``), so a rolled-back write is never indexed and a broker outage only delays it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bianxue.outbox.services import outbox_enqueue

from .backends import backend_get, database_backend
from .documents import documents_all, documents_build

TASK = "search.tasks.search_index_update"


def search_index_enqueue(*, kind: str, ids: Iterable[int]) -> None:
    """Index these documents after the current transaction commits (through the outbox)."""
    ids = sorted({int(pk) for pk in ids})
    if ids:
        outbox_enqueue(task=TASK, kwargs={"kind": kind, "ids": ids})


def search_index_update(*, kind: str, ids: Iterable[int]) -> dict[str, int]:
    """(Re)index documents of ``kind``: those still searchable are written, the others deleted. Safe to run twice.
    The database index is always kept (it answers when Elasticsearch fails)."""
    ids = [int(pk) for pk in ids]
    documents = documents_build(kind=kind, ids=ids)
    found = {doc.pk for doc in documents}
    gone = [f"{kind}:{pk}" for pk in ids if pk not in found]
    backends = {id(b): b for b in (backend_get(), database_backend())}.values()
    for backend in backends:
        backend.index(documents=documents)
        backend.delete(keys=gone)
    return {"indexed": len(documents), "deleted": len(gone)}


SYNONYMS_TASK = "search.tasks.search_synonyms_push"


def search_synonyms_changed() -> None:
    """A synonym group was saved or deleted in the CMS. Queries expand synonyms as they are read (cache dropped by
    the model), so the change applies to the next search on both backends without reindexing; Elasticsearch's
    analyzer-level synonyms set is refreshed too, after commit."""
    from django.conf import settings

    if getattr(settings, "SEARCH_BACKEND", "database") == "elasticsearch":
        outbox_enqueue(task=SYNONYMS_TASK, kwargs={})


def search_synonyms_push() -> None:
    """Write the file's and the CMS's synonym groups into Elasticsearch's synonyms set (none on the database)."""
    backend = backend_get()
    if hasattr(backend, "synonyms_push"):
        backend.synonyms_push()


def search_index_rebuild(*, backend_name: str | None = None) -> int:
    """Build the whole index anew (Elasticsearch: a new index, then the alias switched; the database: the table
    rebuilt in one transaction)."""
    return backend_get(backend_name).rebuild(documents=documents_all())


def search_index_check(*, backend_name: str | None = None) -> dict[str, tuple[int, int]]:
    """kind -> (documents that should be indexed, documents in the index)."""
    expected: dict[str, int] = {}
    for doc in documents_all():
        expected[doc.kind] = expected.get(doc.kind, 0) + 1
    indexed = backend_get(backend_name).counts()
    return {kind: (expected.get(kind, 0), indexed.get(kind, 0)) for kind in sorted(set(expected) | set(indexed))}

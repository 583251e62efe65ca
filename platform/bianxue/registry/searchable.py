"""Searchable document types: what an app lets residents find, told by the app that owns it.

    searchable_type_register(kind="news", label=_("资讯"), documents=news_documents, model="frontend.NewsPage")

``documents(ids=None)`` returns :class:`SearchDocument` items for the given primary keys (every searchable one when
``ids`` is None), leaving out what residents may not see (unpublished, private, cancelled): a key asked for and not
returned is removed from the index. ``model`` ("app_label.ModelName") lets the search app hook the model's saves and
deletes without importing it. The search app indexes what is registered, so it never imports the portal or the
community to find their news and threads.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SearchDocument:
    """One thing a resident can find. ``facets`` maps facet names (search.contract.FACETS) to codes; multi-valued
    facets (audience, target_group) hold a tuple of codes. ``labels`` maps ``"<facet>:<code>"`` to a msgid or a
    proper name shown for that code. ``facts`` are short msgid-free display values (provider, district, venue)."""

    kind: str
    pk: int
    title: str
    url: str
    summary: str = ""
    body: str = ""
    facets: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    starts_on: datetime.date | None = None
    # enrolment window (either end open when None); ``enrolable`` False for what one does not enrol in. A document
    # open for enrolment on the day of the search is boosted (decided when searching, not when indexing).
    enrolable: bool = False
    enrol_from: datetime.date | None = None
    enrol_until: datetime.date | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass(frozen=True)
class SearchableType:
    kind: str
    label: Any
    documents: Callable[..., Iterable[SearchDocument]]
    model: str = ""


_types: dict[str, SearchableType] = {}


def searchable_type_register(*, kind: str, label: Any, documents: Callable[..., Iterable[SearchDocument]],
                             model: str = "") -> SearchableType:
    searchable = SearchableType(kind=kind, label=label, documents=documents, model=model)
    _types[kind] = searchable
    return searchable


def searchable_type_get(*, kind: str) -> SearchableType | None:
    return _types.get(kind)


def searchable_types() -> list[SearchableType]:
    return sorted(_types.values(), key=lambda t: t.kind)

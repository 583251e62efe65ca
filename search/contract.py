"""What residents' search answers, whichever backend (Elasticsearch or the database) answers it.

The pages (``search.views``), the suggestions endpoint and the contract tests see only these types and the two
selectors of ``search.selectors``:

- ``search_run(*, query: SearchQuery, user=None) -> SearchResults``
- ``search_suggest(*, prefix: str, limit: int = 8) -> list[Suggestion]``

``SearchQuery.filters`` keys are the facet names of ``FACETS``; their values are the codes the facets return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The kinds of document residents can find (community threads join when the community registers them).
KINDS = ("course", "programme", "session", "institution", "news")

# Facet names, in the order the page shows them. A facet a backend cannot compute is returned empty, never
# missing.
FACETS = (
    "kind", "category", "district", "mode", "audience", "target_group", "provider", "certificate", "level",
    "starts_within", "fee",
)


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()  # empty: every kind
    filters: dict[str, str] = field(default_factory=dict)  # facet name -> code
    district: str | None = None  # the resident's district code: boosts nearby results, filters nothing
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    key: str  # "<kind>:<pk>"
    title: str
    url: str
    summary: str = ""
    title_html: str = ""  # title with matches in <mark>, escaped (safe to render)
    summary_html: str = ""
    score: float = 0.0
    facts: dict[str, str] = field(default_factory=dict)  # labels already translated: provider, district, starts, mode, fee


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]  # every name of FACETS
    did_you_mean: str | None = None  # a corrected query when nothing (or little) matched
    related: list[Hit] = field(default_factory=list)  # shown when nothing matched
    backend: str = "database"  # "elasticsearch" | "database"
    degraded: bool = False  # Elasticsearch was asked and failed: the database answered


@dataclass(frozen=True)
class Suggestion:
    text: str
    url: str = ""  # a direct link (a course) or "" (a query to run)
    kind: str = ""

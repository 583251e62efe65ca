"""Scoring, filtering and facets of matched documents, the same for every backend.

A backend tells, for each document matching at least one group of the query, which groups it matched (anywhere,
in the title, with the exact characters typed); this module decides what is a result, in which order, and counts
the facets. So SQLite, PostgreSQL (and the Elasticsearch backend's fallback) rank alike.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .contract import FACETS, FacetValue, SearchQuery

# A document matching fewer than this share of a query's groups is not a result (but may be "related").
MIN_SHARE = 0.6
# How much each kind weighs against another at equal match: a course above the session of the same course.
KIND_WEIGHT = {"course": 1.0, "programme": 0.95, "institution": 0.9, "news": 0.75, "session": 0.7}
DISTRICT_BOOST = 0.35  # the resident's district
OPEN_BOOST = 0.25  # open for enrolment today
MULTI_VALUED = ("audience", "target_group")
STARTS_WITHIN = (("7", gettext_noop("7 天内开始")), ("30", gettext_noop("30 天内开始")),
                 ("90", gettext_noop("90 天内开始")))
FIXED_LABELS = {
    "fee:free": gettext_noop("免费"), "fee:subsidised": gettext_noop("有补贴"), "fee:paid": gettext_noop("收费"),
    "kind:course": gettext_noop("课程"), "kind:programme": gettext_noop("培训项目"),
    "kind:session": gettext_noop("线下课次"), "kind:institution": gettext_noop("机构"),
    "kind:news": gettext_noop("资讯"), "kind:thread": gettext_noop("讨论"),
    **{f"starts_within:{code}": label for code, label in STARTS_WITHIN},
}


@dataclass
class Candidate:
    """A matched document as a backend reports it."""

    id: int
    kind: str
    facets: dict
    labels: dict
    starts_on: datetime.date | None = None
    enrolable: bool = False
    enrol_from: datetime.date | None = None
    enrol_until: datetime.date | None = None
    district: str = ""
    matched: list[tuple[bool, bool, bool]] = field(default_factory=list)  # per group: anywhere, title, exact title
    title_length: int = 0
    score: float = 0.0


def required_groups(n: int) -> int:
    return max(1, math.ceil(n * MIN_SHARE)) if n else 0


def is_open(c: Candidate, today: datetime.date) -> bool:
    return c.enrolable and (c.enrol_from is None or c.enrol_from <= today) and (
        c.enrol_until is None or c.enrol_until >= today)


def score(c: Candidate, *, groups: int, district: str | None, today: datetime.date) -> float:
    """Text match (title counts three times the body, the characters typed once more than their homophones),
    weighted by kind, boosted for the resident's district and for courses open for enrolment."""
    text = sum(any_ + 2 * title + exact for any_, title, exact in c.matched) / groups if groups else 1.0
    boost = 1.0 + (DISTRICT_BOOST if district and c.district == district else 0.0) + (
        OPEN_BOOST if is_open(c, today) else 0.0)
    return text * KIND_WEIGHT.get(c.kind, 0.7) * boost


def starts_within(c: Candidate, today: datetime.date) -> list[str]:
    if c.starts_on is None or c.starts_on < today:
        return []
    days = (c.starts_on - today).days
    return [code for code, _label in STARTS_WITHIN if days <= int(code)]


def values_of(c: Candidate, name: str, today: datetime.date) -> list[str]:
    if name == "starts_within":
        return starts_within(c, today)
    value = c.facets.get(name)
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def keep(candidates: list[Candidate], *, query: SearchQuery, groups: int, relaxed: bool = False) -> list[Candidate]:
    """The results: enough groups matched, of the kinds asked for, sessions not over; scored and ordered."""
    today = timezone.localdate()
    need = 1 if relaxed else required_groups(groups)
    kept = []
    for c in candidates:
        if groups and sum(m[0] for m in c.matched) < need:
            continue
        if query.kinds and c.kind not in query.kinds:
            continue
        if c.kind == "session" and (c.starts_on is None or c.starts_on < today):
            continue
        c.score = score(c, groups=groups, district=query.district, today=today)
        kept.append(c)
    kept.sort(key=lambda c: (-c.score, c.title_length, c.starts_on or datetime.date.max, c.id))  # shorter: closer
    return kept


def _label(name: str, code: str, labels: dict) -> str:
    msgid = FIXED_LABELS.get(f"{name}:{code}") or labels.get(f"{name}:{code}") or code
    return _(msgid)


def filter_and_count(kept: list[Candidate], *, query: SearchQuery) -> tuple[list[Candidate], dict]:
    """Apply the filters; count every facet over the results filtered by the other facets (so choosing one
    category still shows the others with their counts)."""
    today = timezone.localdate()
    filters = {k: v for k, v in query.filters.items() if k in FACETS and v}
    values = [{name: values_of(c, name, today) for name in FACETS} for c in kept]
    results = [c for c, v in zip(kept, values, strict=True) if all(f in v[n] for n, f in filters.items())]
    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        labels: dict[str, str] = {}
        others = {n: f for n, f in filters.items() if n != name}
        for c, v in zip(kept, values, strict=True):
            if all(f in v[n] for n, f in others.items()):
                for code in v[name]:
                    counts[code] = counts.get(code, 0) + 1
                    labels.setdefault(code, _label(name, code, c.labels))
        order = [code for code, _l in STARTS_WITHIN] if name == "starts_within" else None
        codes = order if order else sorted(counts, key=lambda code: (-counts[code], code))
        facets[name] = [FacetValue(code=code, label=labels[code], count=counts[code],
                                   selected=filters.get(name) == code) for code in codes if code in counts]
    return results, facets

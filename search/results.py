"""From matched candidates to the contract's SearchResults: ranking, facets, the page, highlighting, and "did you
mean" with related results when nothing matched. Shared by the backends."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .contract import FACETS, Hit, SearchQuery, SearchResults
from .documents import documents_visible
from .highlight import highlight
from .ranking import Candidate, filter_and_count, keep
from .spelling import spelling_correct
from .text import Group

BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")
RELATED = 5


def _fee(facts: dict) -> str:
    fee = facts.get("fee_yuan")
    if fee is None:
        return ""
    if not float(fee):
        return _("免费")
    return _("%(yuan)s 元") % {"yuan": f"{float(fee):g}"}


def _starts(value: str) -> str:
    if not value:
        return ""
    moment = parse_datetime(value) if "T" in value else None
    if moment:
        return formats.date_format(moment, "DATETIME_FORMAT")
    day = parse_date(value)
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def hit_facts(facts: dict) -> dict[str, str]:
    """The facts a result shows, translated into the reader's language."""
    shown = {
        "provider": facts.get("provider", ""), "district": facts.get("district", ""),
        "mode": _(facts["mode"]) if facts.get("mode") else "", "fee": _fee(facts),
        "starts": _starts(facts.get("starts", "")), "venue": facts.get("venue", ""),
        "type": _(facts["type"]) if facts.get("type") else "",
    }
    return {k: v for k, v in shown.items() if v}


def hit_make(key: str, kind: str, title: str, summary: str, url: str, facts: dict, score: float,
             tokens: set[str]) -> Hit:
    return Hit(kind=kind, key=key, title=title, url=url, summary=summary, title_html=highlight(title, tokens),
               summary_html=highlight(summary, tokens), score=round(score, 4), facts=hit_facts(facts or {}))


def _visible(hits: list[Hit]) -> list[Hit]:
    """A last check on the page's results: nothing unpublished, private or cancelled since it was indexed."""
    allowed = documents_visible(keys=[h.key for h in hits])
    return [h for h in hits if h.key in allowed]


def results_assemble(*, query: SearchQuery, groups: list[Group], candidates: list[Candidate],
                     load: Callable[[list[Candidate], set[str]], list[Hit]], backend: str,
                     retry: Callable[[str], SearchResults] | None = None, degraded: bool = False) -> SearchResults:
    """``retry(text)`` runs a corrected query (without retrying again) for "did you mean"."""
    tokens = {t for g in groups for t in g.tokens}
    kept = keep(candidates, query=query, groups=len(groups))
    results, facets = filter_and_count(kept, query=query)
    per_page = max(1, min(query.per_page, 100))
    start = (max(1, query.page) - 1) * per_page
    hits = _visible(load(results[start:start + per_page], tokens))
    did_you_mean, related = None, []
    if not results and groups and retry is not None:
        did_you_mean = spelling_correct(query.text)
        if did_you_mean:  # what the corrected query finds is what the resident most likely wanted
            related = retry(did_you_mean).hits[:RELATED]
        if not related:
            loose = filter_and_count(keep(candidates, query=query, groups=len(groups), relaxed=True), query=query)[0]
            related = _visible(load(loose[:RELATED], tokens))
        if related and not did_you_mean:
            did_you_mean = BRACKETS.sub("", related[0].title).strip() or None
    facets = {name: facets.get(name, []) for name in FACETS}
    return SearchResults(query=query, hits=hits, total=len(results), facets=facets, did_you_mean=did_you_mean,
                         related=related, backend=backend, degraded=degraded)

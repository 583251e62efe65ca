"""The database backend: PostgreSQL full-text search (``tsvector`` of pre-segmented tokens, GIN) and ``pg_trgm`` for
suggestions; SQLite FTS5 on the same tokens. Both report, per document, which query groups it matched; scoring,
filters and facets are search.ranking's, so both engines answer alike.

Queries: one to match (ids, facets and the per-group flags of every matching document, no text), one to load the
page's titles and summaries, one per kind on the page to re-check visibility.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from bianxue.registry import SearchDocument
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Lower

from ..contract import Hit, SearchQuery, SearchResults, Suggestion
from ..models import SearchEntry
from ..ranking import Candidate
from ..text import CJK_RUN, Group, index_tokens, normalise, pinyin_full, pinyin_initials, query_groups
from .base import SearchBackend

FTS = "bianxue_search_fts"
SAFE_TOKEN = re.compile(r"^[a-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
ENTRY_FIELDS = ("key", "kind", "object_id", "title", "summary", "url", "title_tokens", "body_tokens", "title_pinyin",
                "title_initials", "facets", "labels", "facts", "starts_on", "enrolable", "enrol_from", "enrol_until",
                "district")
RELATED = 5


def entry_fields(doc: SearchDocument) -> dict:
    """A document as the index table's row."""
    title_tokens = index_tokens(doc.title)
    body_tokens = [t for t in index_tokens(doc.summary, doc.body) if t not in set(title_tokens)]
    facets = {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in doc.facets.items() if v}
    return {
        "key": doc.key, "kind": doc.kind, "object_id": doc.pk, "title": doc.title[:300], "summary": doc.summary,
        "url": doc.url, "title_tokens": " ".join(title_tokens), "body_tokens": " ".join(body_tokens),
        "title_pinyin": pinyin_full(doc.title), "title_initials": pinyin_initials(doc.title)[:300],
        "facets": facets, "labels": doc.labels, "facts": doc.facts, "starts_on": doc.starts_on,
        "enrolable": doc.enrolable, "enrol_from": doc.enrol_from, "enrol_until": doc.enrol_until,
        "district": str(doc.facets.get("district") or "")[:6],
    }


def _alternatives(alternatives: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [alt for alt in alternatives if alt and all(SAFE_TOKEN.match(t) for t in alt)]


def tsquery(alternatives: Iterable[tuple[str, ...]]) -> str:
    """('a','b'), ('c',) -> ('a' & 'b') | ('c'): lexemes quoted, never parsed into something else."""
    return " | ".join("(" + " & ".join(f"'{t}'" for t in alt) + ")" for alt in _alternatives(alternatives))


def fts5_query(alternatives: Iterable[tuple[str, ...]]) -> str:
    return " OR ".join("(" + " AND ".join(f'"{t}"' for t in alt) + ")" for alt in _alternatives(alternatives))


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- writing --------------------------------------------------------------------------------
    def index(self, *, documents: Iterable[SearchDocument]) -> int:
        rows = [SearchEntry(**entry_fields(doc)) for doc in documents]
        if rows:
            SearchEntry.objects.bulk_create(
                rows, batch_size=500, update_conflicts=True, unique_fields=["key"],
                update_fields=[f for f in ENTRY_FIELDS if f != "key"] + ["updated_at"],
            )
        return len(rows)

    def delete(self, *, keys: Iterable[str]) -> int:
        return SearchEntry.objects.filter(key__in=list(keys)).delete()[0]

    def rebuild(self, *, documents: Iterable[SearchDocument]) -> int:
        """In one transaction: readers see the old table until the new one is committed."""
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            count, batch = 0, []
            for doc in documents:
                batch.append(doc)
                if len(batch) >= 500:
                    count += self.index(documents=batch)
                    batch = []
            return count + self.index(documents=batch)

    def counts(self) -> dict[str, int]:
        return dict(SearchEntry.objects.values_list("kind").annotate(n=Count("id")).order_by("kind"))

    # --- matching -------------------------------------------------------------------------------
    def _flag(self, alternatives, *, title: bool) -> RawSQL:
        if connection.vendor == "postgresql":
            column = "title_tsv" if title else "all_tsv"
            return RawSQL(f"({column} @@ %s::tsquery)", [tsquery(alternatives)])
        expression = fts5_query(alternatives)
        expression = f"title_tokens : ({expression})" if title else expression
        return RawSQL(f"(bianxue_search_searchentry.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s))",
                      [expression])

    def _candidates(self, *, groups: list[Group], kinds: tuple[str, ...]) -> list[Candidate]:
        qs = SearchEntry.objects.all()
        if kinds:
            qs = qs.filter(kind__in=kinds)
        flags = []
        if groups:
            everything = [alt for g in groups for alt in g.alternatives]
            if not _alternatives(everything):
                return []
            qs = qs.annotate(_all=self._flag(everything, title=False)).filter(_all=True)
            for i, group in enumerate(groups):
                exact = [group.exact] if _alternatives([group.exact]) else [("\u3400",)]
                qs = qs.annotate(**{f"g{i}a": self._flag(group.alternatives, title=False),
                                    f"g{i}t": self._flag(group.alternatives, title=True),
                                    f"g{i}e": self._flag(exact, title=True)})
                flags += [f"g{i}a", f"g{i}t", f"g{i}e"]
        qs = qs.annotate(title_length=Length("title"))
        names = ["id", "kind", "facets", "labels", "starts_on", "enrolable", "enrol_from", "enrol_until", "district",
                 "title_length", *flags]
        candidates = []
        for row in qs.values_list(*names):
            values = dict(zip(names, row, strict=True))
            matched = [(bool(values[f"g{i}a"]), bool(values[f"g{i}t"]), bool(values[f"g{i}e"]))
                       for i in range(len(groups))]
            candidates.append(Candidate(
                id=values["id"], kind=values["kind"], facets=values["facets"] or {}, labels=values["labels"] or {},
                starts_on=values["starts_on"], enrolable=values["enrolable"], enrol_from=values["enrol_from"],
                enrol_until=values["enrol_until"], district=values["district"], matched=matched,
                title_length=values["title_length"],
            ))
        return candidates

    # --- answering ------------------------------------------------------------------------------
    def search(self, *, query: SearchQuery, synonyms: dict[str, tuple[str, ...]], retry: bool = True
               ) -> SearchResults:
        from ..results import results_assemble

        groups = query_groups(query.text, synonyms)
        candidates = self._candidates(groups=groups, kinds=query.kinds)

        def again(text: str) -> SearchResults:
            return self.search(query=replace(query, text=text, page=1), synonyms=synonyms, retry=False)

        return results_assemble(query=query, groups=groups, candidates=candidates, load=self.load_hits,
                                backend=self.name, retry=again if retry else None)

    def load_hits(self, candidates: list[Candidate], tokens: set[str]) -> list[Hit]:
        """Titles, summaries and links of the candidates, in their order."""
        rows = {e.id: e for e in SearchEntry.objects.filter(id__in=[c.id for c in candidates])
                .only("key", "kind", "title", "summary", "url", "facts")}
        from ..results import hit_make

        return [hit_make(rows[c.id].key, rows[c.id].kind, rows[c.id].title, rows[c.id].summary, rows[c.id].url,
                         rows[c.id].facts, c.score, tokens) for c in candidates if c.id in rows]

    def suggest(self, *, prefix: str, limit: int) -> list[Suggestion]:
        text = normalise(prefix).strip()[:40]
        if not text:
            return []
        condition = Q(title_lower__contains=text)
        if text.isascii() and text.isalnum():
            condition |= Q(title_pinyin__contains=text) | Q(title_initials__startswith=text)
        elif CJK_RUN.search(text) and len(text) >= 2:
            condition |= Q(title_pinyin__contains=pinyin_full(text))  # homophones: 照户 suggests 照护
        rows = list(SearchEntry.objects.annotate(title_lower=Lower("title")).filter(condition)
                    .exclude(kind="session").values_list("title", "url", "kind", "title_pinyin", "enrolable")[:200])
        rows.sort(key=lambda r: (not r[0].lower().startswith(text), not r[3].startswith(text), not r[4], len(r[0])))
        seen, found = set(), []
        for title, url, kind, _pinyin, _open in rows:
            if title not in seen:
                seen.add(title)
                found.append(Suggestion(text=title, url=url, kind=kind))
        return found[:limit]


"""The Elasticsearch backend (elasticsearch.dsl, client 8.19), used when ELASTICSEARCH_URL is set.

Mapping (``SearchDoc``, explicit, no dynamic fields):
- ``title``/``summary``/``body``: text with a CJK analyzer (width folding, lower case, bigrams) whose *search*
  analyzer adds a ``synonym_graph`` filter over an updateable synonyms set (``bianxue-synonyms``): the file's and the
  CMS's groups are pushed there, and apply at query time without reindexing;
- ``tokens.title``/``tokens.all``: the tokens of search.text computed in Python (bigrams, jieba words, fuzzy
  pinyin, initials), whitespace-analysed, so pinyin, initials and homophones match as on the database;
- ``suggest``: a completion field (title, its pinyin and initials from each word on) and ``title.sayt``
  (search_as_you_type) for suggestions;
- ``facets.*``: keywords to filter by; ``facet_pairs.*``: "code<US>label" keywords to count (labels without a
  second lookup); dates and flags for the boosts.

Queries: every query group is a ``bool.should`` of its alternatives; the groups are ``should`` clauses with
``minimum_should_match`` = search.ranking.required_groups, title clauses boosted over body ones; a
``function_score`` adds the boosts of kind, the resident's district and open enrolment (``now/d``). Facets are
filter aggregations over the other facets' filters, the selected ones applied as ``post_filter``.

Failure: a timeout or connection error (or a failure in the last 30 seconds) answers from the database backend,
marked ``degraded``; the health check says "degraded", never raises.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable

from bianxue.registry import SearchDocument
from django.conf import settings
from django.core.cache import cache
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Keyword,
    Long,
    Object,
    Q,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from ..contract import FACETS, FacetValue, Hit, SearchQuery, SearchResults, Suggestion
from ..ranking import DISTRICT_BOOST, KIND_WEIGHT, OPEN_BOOST, STARTS_WITHIN, _label, required_groups
from ..results import hit_make
from ..text import RUN, Group, index_tokens, normalise, pinyin_full, pinyin_initials, query_groups, words_of
from .base import SearchBackend

logger = logging.getLogger("bianxue.search")

SYNONYMS_SET = "bianxue-synonyms"
SEP = "\x1f"  # between a facet's code and its label in facet_pairs
TIMEOUT = 2.0  # seconds: slower than this, the database answers
BREAKER_KEY = "search:es:failed-at"
BREAKER_SECONDS = 30
TITLE_BOOST = 3.0
EXACT_BOOST = 1.0

cjk_width_lower_bigram = ["cjk_width", "lowercase", "cjk_bigram"]
CJK_INDEX = analyzer("bianxue_cjk", tokenizer="standard", filter=cjk_width_lower_bigram)
SYNONYMS = token_filter("bianxue_synonyms", type="synonym_graph", synonyms_set=SYNONYMS_SET, updateable=True)
CJK_SEARCH = analyzer("bianxue_cjk_search", tokenizer="standard", filter=[*cjk_width_lower_bigram, SYNONYMS])
TOKENS = analyzer("bianxue_tokens", tokenizer="whitespace")


def _facet_fields() -> dict:
    return {name: Keyword() for name in FACETS if name != "starts_within"}


class SearchDoc(Document):
    """One searchable document in Elasticsearch (see the module's docstring)."""

    key = Keyword()
    kind = Keyword()
    object_id = Long()
    title = Text(analyzer=CJK_INDEX, search_analyzer=CJK_SEARCH,
                 fields={"raw": Keyword(), "sayt": SearchAsYouType(analyzer=CJK_INDEX)})
    summary = Text(analyzer=CJK_INDEX, search_analyzer=CJK_SEARCH)
    body = Text(analyzer=CJK_INDEX, search_analyzer=CJK_SEARCH)
    url = Keyword(index=False)
    tokens = Object(properties={"title": Text(analyzer=TOKENS), "all": Text(analyzer=TOKENS)})
    suggest = Completion(analyzer="simple", preserve_separators=False, max_input_length=60)
    facets = Object(properties=_facet_fields())
    facet_pairs = Object(properties=_facet_fields())
    facts = Object(enabled=False)
    starts_on = Date()
    enrolable = Boolean()
    enrol_from = Date()
    enrol_until = Date()
    district = Keyword()

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def index_name() -> str:
    """The alias readers use; the indices behind it are ``<alias>_<timestamp>``."""
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "bianxue") + "_search"


def suggest_inputs(title: str) -> list[str]:
    """The title from each of its words on, as characters, pinyin and initials: ``shouj`` and ``sj`` complete
    智能手机使用入门 (from 手机)."""
    text = normalise(title)
    starts, pos = [0], 0
    for run in RUN.findall(text):
        at = text.find(run, pos)
        for word in (words_of(run) if not run.isascii() else (run,)):
            found = text.find(word, at)
            if found >= 0:
                starts.append(found)
        pos = at + len(run)
    inputs = []
    for start in sorted(set(starts))[:8]:
        tail = title[start:]
        inputs += [tail, pinyin_full(tail), pinyin_initials(tail)]
    return [i for i in dict.fromkeys(inputs) if i][:24]


def document_body(doc: SearchDocument) -> SearchDoc:
    """A document as Elasticsearch stores it (``_id`` is the key)."""
    title_tokens = index_tokens(doc.title)
    facets = {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in doc.facets.items() if v}
    pairs = {k: [f"{c}{SEP}{doc.labels.get(f'{k}:{c}', c)}" for c in (v if isinstance(v, list) else [v])]
             for k, v in facets.items()}
    return SearchDoc(
        meta={"id": doc.key, "index": index_name()}, key=doc.key, kind=doc.kind, object_id=doc.pk, title=doc.title, summary=doc.summary,
        body=doc.body, url=doc.url,
        tokens={"title": " ".join(title_tokens), "all": " ".join(index_tokens(doc.title, doc.summary, doc.body))},
        suggest={"input": suggest_inputs(doc.title), "weight": 10 if doc.kind == "course" else 5},
        facets=facets, facet_pairs=pairs, facts=doc.facts, starts_on=doc.starts_on, enrolable=doc.enrolable,
        enrol_from=doc.enrol_from, enrol_until=doc.enrol_until, district=str(doc.facets.get("district") or ""),
    )


# --- queries ---------------------------------------------------------------------------------------
def _alternative(tokens: tuple[str, ...], field: str, boost: float) -> Q:
    terms = [Q("term", **{field: {"value": t, "boost": boost}}) for t in tokens]
    return terms[0] if len(terms) == 1 else Q("bool", must=terms)


def group_query(group: Group) -> Q:
    """Anywhere, in the title (boosted), with the exact characters in the title (boosted once more)."""
    should = []
    for alternative in group.alternatives:
        should += [_alternative(alternative, "tokens.all", 1.0), _alternative(alternative, "tokens.title", TITLE_BOOST)]
    if group.exact:
        should.append(_alternative(group.exact, "tokens.title", EXACT_BOOST))
    return Q("bool", should=should, minimum_should_match=1)


def facet_filter(name: str, code: str) -> Q:
    if name == "starts_within" and code.isdigit():
        return Q("range", starts_on={"gte": "now/d", "lte": f"now+{int(code)}d/d"})
    return Q("term", **{f"facets.{name}": code})


def text_query(query: SearchQuery, groups: list[Group]) -> Q:
    """The match, the kinds asked for, sessions not over, and the boosts."""
    filters = [Q("bool", should=[~Q("term", kind="session"), Q("range", starts_on={"gte": "now/d"})],
                 minimum_should_match=1)]
    if query.kinds:
        filters.append(Q("terms", kind=list(query.kinds)))
    if groups:
        match = Q("bool", should=[group_query(g) for g in groups], minimum_should_match=required_groups(len(groups)),
                  filter=filters)
    else:
        match = Q("bool", must=[Q("match_all")], filter=filters)
    functions = [{"filter": {"term": {"kind": kind}}, "weight": weight} for kind, weight in KIND_WEIGHT.items()]
    if query.district:
        functions.append({"filter": {"term": {"district": query.district}}, "weight": 1 + DISTRICT_BOOST})
    functions.append({"filter": Q("bool", filter=[
        Q("term", enrolable=True),
        ~Q("range", enrol_from={"gt": "now/d"}), ~Q("range", enrol_until={"lt": "now/d"})]).to_dict(),
        "weight": 1 + OPEN_BOOST})
    return Q("function_score", query=match, functions=functions, score_mode="multiply", boost_mode="multiply")


def search_body(query: SearchQuery, groups: list[Group]) -> dict:
    """The request body of a search: query, post_filter, facet aggregations, page, fields returned."""
    filters = {name: code for name, code in query.filters.items() if name in FACETS and code}
    aggs = {}
    for name in FACETS:
        others = [facet_filter(n, c) for n, c in filters.items() if n != name]
        if name == "starts_within":
            inner = {"date_range": {"field": "starts_on", "ranges": [
                {"key": code, "from": "now/d", "to": f"now+{int(code) + 1}d/d"} for code, _label in STARTS_WITHIN]}}
        else:
            inner = {"terms": {"field": f"facet_pairs.{name}", "size": 200}}
        aggs[name] = {"filter": Q("bool", filter=others).to_dict(), "aggs": {"values": inner}}
    per_page = max(1, min(query.per_page, 100))
    body = {
        "query": text_query(query, groups).to_dict(),
        "aggs": aggs,
        "from": (max(1, query.page) - 1) * per_page,
        "size": per_page,
        "track_total_hits": True,
        "sort": ["_score", {"starts_on": {"order": "asc", "missing": "_last"}}, {"key": "asc"}],
        "_source": ["key", "kind", "title", "summary", "url", "facts"],
    }
    if filters:
        body["post_filter"] = Q("bool", filter=[facet_filter(n, c) for n, c in filters.items()]).to_dict()
    return body


def suggest_body(prefix: str, limit: int) -> dict:
    return {"suggest": {"titles": {"prefix": normalise(prefix).strip()[:40], "completion": {
        "field": "suggest", "size": limit, "skip_duplicates": True}}}, "_source": ["title", "url", "kind"]}


def facets_from(aggregations: dict, filters: dict) -> dict[str, list[FacetValue]]:
    facets = {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        values = []
        for bucket in buckets:
            if not bucket.get("doc_count"):
                continue
            code, _sep, label = str(bucket["key"]).partition(SEP)
            values.append(FacetValue(code=code, label=_label(name, code, {f"{name}:{code}": label or code}),
                                     count=bucket["doc_count"], selected=filters.get(name) == code))
        facets[name] = values
    return facets


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, *, url: str):
        self.url = url
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(self.url, request_timeout=TIMEOUT, max_retries=0, retry_on_timeout=False)
        return self._client

    # --- failure --------------------------------------------------------------------------------
    def _tripped(self) -> bool:
        failed_at = cache.get(BREAKER_KEY)
        return bool(failed_at and time.time() - failed_at < BREAKER_SECONDS)

    def _trip(self, error: Exception) -> None:
        logger.warning("search: Elasticsearch failed, the database answers", extra={"error": str(error)[:200]})
        cache.set(BREAKER_KEY, time.time(), BREAKER_SECONDS)

    def _fallback(self):
        from . import database_backend

        return database_backend()

    def health(self) -> str:
        if self._tripped():
            return "degraded"
        try:
            return "ok" if self.client.ping() else "degraded"
        except Exception as error:  # noqa: BLE001 - any failure is "degraded"
            self._trip(error)
            return "degraded"

    # --- reading --------------------------------------------------------------------------------
    def search(self, *, query: SearchQuery, synonyms: dict[str, tuple[str, ...]]) -> SearchResults:
        if not self._tripped():
            try:
                return self._search(query=query, synonyms=synonyms)
            except Exception as error:  # noqa: BLE001 - timeouts, refused connections, bad gateways...
                self._trip(error)
        results = self._fallback().search(query=query, synonyms=synonyms)
        return SearchResults(**{**results.__dict__, "degraded": True})

    def _search(self, *, query: SearchQuery, synonyms) -> SearchResults:
        from ..results import _visible

        groups = query_groups(query.text, synonyms)
        response = self.client.search(index=index_name(), body=search_body(query, groups))
        tokens = {t for g in groups for t in g.tokens}
        hits = _visible([self._hit(h, tokens) for h in response["hits"]["hits"]])
        total = response["hits"]["total"]["value"]
        filters = {n: c for n, c in query.filters.items() if n in FACETS and c}
        results = SearchResults(query=query, hits=hits, total=total,
                                facets=facets_from(response.get("aggregations", {}), filters), backend=self.name)
        if total == 0 and groups:  # "did you mean" and related results, as the database backend finds them
            fallback = self._fallback().search(query=query, synonyms=synonyms)
            results = SearchResults(**{**results.__dict__, "did_you_mean": fallback.did_you_mean,
                                       "related": fallback.related})
        return results

    @staticmethod
    def _hit(raw: dict, tokens: set[str]) -> Hit:
        source = raw["_source"]
        return hit_make(source["key"], source["kind"], source["title"], source.get("summary", ""), source["url"],
                        source.get("facts") or {}, raw.get("_score") or 0.0, tokens)

    def suggest(self, *, prefix: str, limit: int) -> list[Suggestion]:
        if not normalise(prefix).strip():
            return []
        if not self._tripped():
            try:
                response = self.client.search(index=index_name(), body=suggest_body(prefix, limit))
                options = response["suggest"]["titles"][0]["options"]
                return [Suggestion(text=o["_source"]["title"], url=o["_source"]["url"], kind=o["_source"]["kind"])
                        for o in options if o["_source"]["kind"] != "session"][:limit]
            except Exception as error:  # noqa: BLE001
                self._trip(error)
        return self._fallback().suggest(prefix=prefix, limit=limit)

    # --- writing --------------------------------------------------------------------------------
    def _actions(self, documents: Iterable[SearchDocument], index: str):
        for doc in documents:
            yield {**document_body(doc).to_dict(include_meta=True), "_index": index}

    def index(self, *, documents: Iterable[SearchDocument]) -> int:
        from elasticsearch.helpers import bulk

        try:
            return bulk(self.client, self._actions(documents, index_name()))[0]
        except Exception as error:  # noqa: BLE001 - the database index is written anyway; --check shows the gap
            self._trip(error)
            return 0

    def delete(self, *, keys: Iterable[str]) -> int:
        from elasticsearch.helpers import bulk

        actions = [{"_op_type": "delete", "_index": index_name(), "_id": key} for key in keys]
        try:
            return bulk(self.client, actions, raise_on_error=False)[0] if actions else 0
        except Exception as error:  # noqa: BLE001
            self._trip(error)
            return 0

    def synonyms_push(self) -> None:
        """The file's and the CMS's groups into the synonyms set the search analyzer reads (reloaded by ES)."""
        from ..models import SynonymGroup
        from ..synonyms import FILE, parse

        groups = parse(FILE.read_text(encoding="utf-8"))
        groups += parse("\n".join(SynonymGroup.objects.filter(active=True).values_list("terms", flat=True)))
        rules = [{"id": f"g{i}", "synonyms": ", ".join(g)} for i, g in enumerate(groups)]
        self.client.synonyms.put_synonym(id=SYNONYMS_SET, synonyms_set=rules)

    def rebuild(self, *, documents: Iterable[SearchDocument]) -> int:
        """A new index, filled, then the alias moved to it in one request (no downtime); old indices dropped."""
        from elasticsearch.helpers import bulk

        alias = index_name()
        new = f"{alias}_{datetime.datetime.now(tz=datetime.UTC):%Y%m%d%H%M%S%f}"
        self.synonyms_push()
        SearchDoc.init(index=new, using=self.client)
        count = bulk(self.client, self._actions(documents, new))[0]
        self.client.indices.refresh(index=new)
        old = list(self.client.indices.get_alias(name=alias, ignore_unavailable=True) or {})
        actions = [{"remove": {"index": o, "alias": alias}} for o in old] + [{"add": {"index": new, "alias": alias}}]
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return count

    def counts(self) -> dict[str, int]:
        response = self.client.search(index=index_name(), body={
            "size": 0, "aggs": {"kinds": {"terms": {"field": "kind", "size": 50}}}})
        return {b["key"]: b["doc_count"] for b in response["aggregations"]["kinds"]["buckets"]}



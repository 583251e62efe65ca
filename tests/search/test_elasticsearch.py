"""The Elasticsearch backend without a server (none can be installed on these machines): the mapping, documents,
and query bodies it generates are compared with checked-in snapshots (tests/search/snapshots/; regenerate with
SNAPSHOT_UPDATE=1 after a deliberate change and review the diff), and a server that does not answer makes the
database answer, marked degraded."""

import datetime
import json
import os
from pathlib import Path

import pytest
from bianxue.registry import SearchDocument

from search.backends import elasticsearch as es
from search.contract import SearchQuery
from search.text import query_groups

SNAPSHOTS = Path(__file__).with_name("snapshots")
SYNONYMS = {"养老": ("照护", "护理"), "照护": ("养老", "护理"), "护理": ("养老", "照护")}


def assert_snapshot(name: str, value) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
    if os.environ.get("SNAPSHOT_UPDATE") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"{name}: regenerate and review"


def test_the_index_has_explicit_mappings_a_cjk_analyzer_and_query_time_synonyms():
    index = es.SearchDoc._index.to_dict()
    assert_snapshot("es_index", index)
    analysis = index["settings"]["analysis"]
    assert analysis["filter"]["bianxue_synonyms"] == {"type": "synonym_graph", "synonyms_set": "bianxue-synonyms",
                                                      "updateable": True}
    title = index["mappings"]["properties"]["title"]
    assert title["analyzer"] == "bianxue_cjk" and title["search_analyzer"] == "bianxue_cjk_search"
    assert title["fields"]["sayt"]["type"] == "search_as_you_type"
    assert index["mappings"]["properties"]["suggest"]["type"] == "completion"


def test_documents_carry_pinyin_initials_and_facet_labels_computed_in_python():
    doc = SearchDocument(
        kind="course", pk=7, title="智能手机使用入门（长辈班）", url="/elderly/smartphone/", summary="微信视频、扫码乘车",
        body="开封老年大学", facets={"kind": "course", "category": "elderly", "audience": ["elderly"], "fee": "free"},
        labels={"category:elderly": "老年教育", "audience:elderly": "老年人"}, facts={"provider": "开封老年大学"},
        starts_on=datetime.date(2026, 12, 3), enrolable=True, enrol_until=datetime.date(2026, 12, 20))
    body = es.document_body(doc).to_dict(include_meta=True)
    assert_snapshot("es_document", body)
    assert body["_id"] == "course:7"
    assert {"souji", "sj", "znsj", "手机"} <= set(body["_source"]["tokens"]["title"].split())
    assert "shoujishiyongrumenzhangbeiban" in body["_source"]["suggest"]["input"]
    assert body["_source"]["facet_pairs"]["audience"] == ["elderly\x1f老年人"]


@pytest.mark.parametrize(("name", "query"), [
    ("es_query_typo", SearchQuery(text="老年找护")),
    ("es_query_pinyin_filters_district", SearchQuery(text="shouji", filters={"fee": "free", "starts_within": "30"},
                                                     district="410225", kinds=("course",))),
    ("es_query_synonym_initials", SearchQuery(text="养老 sj", page=2, per_page=10)),
    ("es_query_browse", SearchQuery()),
])
def test_query_bodies(name, query):
    body = es.search_body(query, query_groups(query.text, SYNONYMS))
    assert_snapshot(name, body)
    assert set(body["aggs"]) == set(es.FACETS)


def test_a_pinyin_query_asks_for_most_groups_and_boosts_the_title():
    body = es.search_body(SearchQuery(text="老年找护"), query_groups("老年找护"))
    match = body["query"]["function_score"]["query"]["bool"]
    assert match["minimum_should_match"] == 2 and len(match["should"]) == 3
    assert {"term": {"tokens.title": {"value": "zaohu", "boost": es.TITLE_BOOST}}} in match["should"][2]["bool"]["should"]


def test_suggestions_use_the_completion_field():
    assert_snapshot("es_suggest", es.suggest_body("shouj", 8))


@pytest.fixture
def unreachable_elasticsearch(settings, db):
    from django.core.cache import cache

    from search import backends

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: refused at once
    settings.SEARCH_BACKEND = "elasticsearch"
    backends._backend.cache_clear()
    cache.delete(es.BREAKER_KEY)
    yield
    backends._backend.cache_clear()
    cache.delete(es.BREAKER_KEY)


def test_elasticsearch_down_the_database_answers_marked_degraded(unreachable_elasticsearch):
    from search.backends import database_backend
    from search.selectors import search_backend_health, search_run, search_suggest
    from search.services import search_index_update
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory(name="兰考县社区学院")
    search_index_update(kind="institution", ids=[institution.pk])  # written to the database index all the same
    assert database_backend().counts()["institution"] >= 1
    results = search_run(query=SearchQuery(text="兰考"))
    assert results.degraded and results.backend == "database"
    assert [h.title for h in results.hits] == ["兰考县社区学院"]
    assert [s.text for s in search_suggest(prefix="lankao")] == ["兰考县社区学院"]
    assert search_backend_health() == "degraded"


class FakeIndices:
    def __init__(self, calls):
        self.calls = calls

    def __getattr__(self, name):
        def call(**kwargs):
            self.calls.append((name, kwargs))
            return {"exists": False, "exists_alias": True, "get_alias": {"bianxue_search_old": {}}}.get(name, {})

        return call


class FakeClient:
    def __init__(self):
        self.calls = []
        self.indices = FakeIndices(self.calls)
        self.synonyms = type("S", (), {"put_synonym": lambda _self, **kw: self.calls.append(("put_synonym", kw))})()


def test_rebuild_fills_a_new_index_then_moves_the_alias_and_pushes_the_synonyms(db, monkeypatch, settings):
    import elasticsearch.helpers

    settings.ELASTICSEARCH_INDEX_PREFIX = "bianxue"
    monkeypatch.setattr(elasticsearch.helpers, "bulk", lambda client, actions, **kw: (len(list(actions)), []))
    monkeypatch.setattr(es.SearchDoc, "init", classmethod(lambda cls, index, using: using.calls.append(
        ("init", {"index": index}))))
    backend = es.ElasticsearchBackend(url="http://example.invalid:9200")
    backend._client = FakeClient()
    doc = SearchDocument(kind="institution", pk=1, title="开封老年大学", url="/learn/?provider=1")
    assert backend.rebuild(documents=[doc]) == 1
    names = [name for name, _kw in backend._client.calls]
    assert names[:2] == ["put_synonym", "init"]
    new = backend._client.calls[1][1]["index"]
    assert new.startswith("bianxue_search_")
    aliases = next(kw for name, kw in backend._client.calls if name == "update_aliases")["actions"]
    assert aliases == [{"remove": {"index": "bianxue_search_old", "alias": "bianxue_search"}},
                       {"add": {"index": new, "alias": "bianxue_search"}}]
    assert ("delete", {"index": "bianxue_search_old", "ignore_unavailable": True}) in backend._client.calls
    rules = backend._client.calls[0][1]["synonyms_set"]
    assert {"id": "g0", "synonyms": "养老, 照护, 护理, 养老护理"} in rules


def test_a_cms_synonym_saved_refreshes_the_synonyms_set_after_commit(db, monkeypatch, settings,
                                                                        django_capture_on_commit_callbacks):
    """On Elasticsearch a saved group is queued through the outbox (nothing sent before commit) and the task writes
    the synonyms set the analyzer reads; queries already expand the group in Python, so no reindexing either way."""
    from bianxue.outbox.models import OutboxMessage

    from search.models import SynonymGroup
    from search.services import SYNONYMS_TASK, search_synonyms_push

    settings.SEARCH_BACKEND = "elasticsearch"
    SynonymGroup.objects.create(terms="电焊，焊接")
    assert OutboxMessage.objects.filter(task=SYNONYMS_TASK).count() == 1

    client = FakeClient()
    monkeypatch.setattr(es.ElasticsearchBackend, "client", property(lambda self: client))
    search_synonyms_push()
    rules = client.calls[0][1]["synonyms_set"]
    assert client.calls[0][0] == "put_synonym" and {"id": f"g{len(rules) - 1}", "synonyms": "电焊, 焊接"} in rules


def test_on_the_database_a_cms_synonym_queues_nothing(db, settings):
    from bianxue.outbox.models import OutboxMessage

    from search.models import SynonymGroup
    from search.services import SYNONYMS_TASK

    settings.SEARCH_BACKEND = "database"
    SynonymGroup.objects.create(terms="电焊，焊接")
    assert not OutboxMessage.objects.filter(task=SYNONYMS_TASK).exists()

"""The search pages against the contract alone: a fake selector stands in for the backends, so these tests pin what
the views do with any answer (grouping, facets as links, bad input, no 5xx, escaping of highlights)."""

import pytest

from search import selectors
from search.contract import FACETS, FacetValue, Hit, SearchResults, Suggestion
from search.models import SearchTerm

pytestmark = pytest.mark.django_db


def _results(query, hits=(), total=None, **extra):
    facets = {name: [] for name in FACETS}
    facets["kind"] = [FacetValue(code="course", label="课程", count=len([h for h in hits if h.kind == "course"]))]
    facets["district"] = [FacetValue(code="410202", label="龙亭区", count=2,
                                     selected=query.filters.get("district") == "410202")]
    return SearchResults(query=query, hits=list(hits), total=len(hits) if total is None else total, facets=facets,
                         **extra)


@pytest.fixture
def asked(monkeypatch):
    """The queries the page asked; answers two courses and a news item."""
    seen = []

    def fake_run(*, query, user=None):
        seen.append(query)
        hits = [
            Hit(kind="news", key="news:9", title="养老新闻", url="/news/9/"),
            Hit(kind="course", key="course:1", title="老年照护", url="/c/1/", title_html="<mark>老年</mark>照护",
                summary_html="学<mark>护理</mark> &lt;b&gt;", facts={"provider": "开封老年大学"}),
            Hit(kind="course", key="course:2", title="家庭养老", url="/c/2/"),
        ]
        return _results(query, hits)

    monkeypatch.setattr(selectors, "search_run", fake_run, raising=False)
    return seen


def test_results_grouped_by_kind_courses_first_with_highlights(client, asked):
    html = client.get("/search/", {"q": "养老"}).content.decode()
    assert html.index('data-kind="course"') < html.index('data-kind="news"')
    assert "<mark>老年</mark>照护" in html
    assert "学<mark>护理</mark> &lt;b&gt;" in html  # only <mark> is markup; the rest stays text
    assert asked[0].text == "养老" and asked[0].page == 1 and asked[0].kinds == ()


def test_facets_are_links_that_add_and_remove_the_filter(client, asked):
    html = client.get("/search/", {"q": "养老"}).content.decode()
    assert 'href="?q=%E5%85%BB%E8%80%81&amp;district=410202"' in html
    html = client.get("/search/", {"q": "养老", "district": "410202"}).content.decode()
    assert asked[-1].filters == {"district": "410202"}
    assert 'href="?q=%E5%85%BB%E8%80%81" aria-current="true"' in html  # the selected value removes itself
    assert '<option value="410202" selected>' in html  # and the GET form shows it


@pytest.mark.parametrize("params", [
    {"q": "养" * 500}, {"q": "\x00\u200b养老\t\n"}, {"page": "abc", "q": "x"}, {"page": "0", "q": "x"},
    {"page": "99999999999999999999", "q": "x"}, {"q": "x", "district": "<script>"}, {"q": "x", "kind": "nope"},
    {"q": "'; DROP TABLE x; --"},
])
def test_bad_input_is_answered_with_a_page_not_an_error(client, asked, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    query = asked[-1]
    assert len(query.text) <= 60 and "\x00" not in query.text and "\u200b" not in query.text
    assert 1 <= query.page <= 50 and "<" not in "".join(query.filters.values())


def test_a_long_query_is_cut_and_said_so(client, asked):
    html = client.get("/search/", {"q": "养" * 80}).content.decode()
    assert "搜索词太长，已按前 60 个字搜索。" in html


def test_a_failing_backend_gives_a_calm_page(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(selectors, "search_run", broken, raising=False)
    response = client.get("/search/", {"q": "养老"})
    assert response.status_code == 200 and "暂时无法搜索" in response.content.decode()


def test_nothing_found_offers_did_you_mean_and_related(client, monkeypatch):
    def none(*, query, user=None):
        return _results(query, did_you_mean="照护", related=[Hit(kind="course", key="course:3", title="照护入门",
                                                                     url="/c/3/")])

    monkeypatch.setattr(selectors, "search_run", none, raising=False)
    html = client.get("/search/", {"q": "照户"}).content.decode()
    assert "没有找到相关结果" in html and 'href="?q=%E7%85%A7%E6%8A%A4"' in html and "照护入门" in html


def test_empty_page_shows_the_box_and_asks_nothing(client, asked):
    response = client.get("/search/")
    assert response.status_code == 200 and 'name="q"' in response.content.decode() and asked == []


def test_every_query_is_counted_once_per_session(client, asked):
    client.get("/search/", {"q": " 养老  "})
    client.get("/search/", {"q": "养老"})
    client.get("/search/", {"q": "养老", "page": "2"})  # paging is not a new search
    client.get("/search/", {"q": "养老", "district": "410202"})  # nor is a facet
    term = SearchTerm.objects.get()
    assert (term.text, term.searches, term.sessions, term.results) == ("养老", 2, 1, 3)


def test_suggestions_json(client, monkeypatch):
    monkeypatch.setattr(selectors, "search_suggest", lambda *, prefix, limit=8: [
        Suggestion(text="智能手机入门", url="/c/1/", kind="course"), Suggestion(text=prefix + "课")], raising=False)
    data = client.get("/search/suggest", {"q": " sj "}).json()
    assert data["q"] == "sj"
    assert data["suggestions"][0] == {"text": "智能手机入门", "url": "/c/1/", "kind": "course", "kind_label": "课程"}
    assert client.get("/search/suggest").json() == {"q": "", "suggestions": []}


def test_suggestions_never_fail(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(selectors, "search_suggest", broken, raising=False)
    response = client.get("/search/suggest", {"q": "手机"})
    assert response.status_code == 200 and response.json()["suggestions"] == []


def test_a_phone_or_id_number_typed_in_the_box_is_searched_but_never_counted(client, asked):
    client.get("/search/", {"q": "138 1234 5678"})
    client.get("/search/", {"q": "41020219900101123X"})
    assert len(asked) == 2 and not SearchTerm.objects.exists()

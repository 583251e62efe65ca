"""/search/ and /search/suggest on real results (the database backend): what a resident types finds the course,
facets narrow by plain GET links, and the page's queries do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.services import search_index_rebuild
from tests.courses.factories import create_course
from tests.factories import DistrictFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(sections):
    longting = DistrictFactory(code="410202", name="龙亭区")
    gulou = DistrictFactory(code="410204", name="鼓楼区")
    near = InstitutionFactory(name="龙亭区老年大学", district=longting, type="elderly_university")
    far = InstitutionFactory(name="鼓楼社区学院", district=gulou, type="community_college")
    courses = {
        "care": create_course(sections, title="老年照护基础", provider=near, summary="居家照护与护理常识"),
        "phone": create_course(sections, title="智能手机使用入门", provider=far, summary="微信、扫码、视频通话"),
        "calligraphy": create_course(sections, title="书法入门", provider=far, category="community"),
    }
    search_index_rebuild()
    return courses


@pytest.fixture
def sections(db):
    from courses.services import catalog_setup

    return {s.category: s for s in catalog_setup()["sections"]}


def _hit_urls(html: str) -> list[str]:
    import re

    return re.findall(r'<li class="search-hit" data-key="[^"]+">\s*<h3><a href="([^"]+)"', html)


@pytest.mark.parametrize("typed", ["养老", "照护", "zhaohu", "老年照户"])
def test_what_a_resident_types_finds_the_course_among_the_first(client, catalog, typed):
    html = client.get("/search/", {"q": typed}).content.decode()
    assert catalog["care"].url in _hit_urls(html)[:3], typed


def test_matches_are_highlighted(client, catalog):
    html = client.get("/search/", {"q": "手机"}).content.decode()
    assert "<mark>" in html and "智能" in html


def test_a_district_facet_is_a_get_link_that_narrows_the_results(client, catalog):
    html = client.get("/search/", {"q": "入门"}).content.decode()
    assert catalog["phone"].url in _hit_urls(html) and catalog["calligraphy"].url in _hit_urls(html)
    assert "?q=%E5%85%A5%E9%97%A8&amp;category=community" in html  # the link a resident follows without JavaScript
    narrowed = client.get("/search/", {"q": "入门", "category": "community"}).content.decode()
    assert _hit_urls(narrowed) == [catalog["calligraphy"].url]
    assert 'aria-current="true"' in narrowed


def test_nothing_found_says_so_calmly(client, catalog):
    response = client.get("/search/", {"q": "量子力学研究生"})
    assert response.status_code == 200 and "没有找到相关结果" in response.content.decode()


def test_english_page_speaks_english(client, catalog):
    html = client.get("/search/", {"q": "书法"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Search courses, institutions and news" in html and "站内搜索" not in html.split("<main", 1)[1]


@pytest.mark.parametrize("typed", ["智能", "zhineng", "znsj"])
def test_suggestions_as_you_type_in_characters_pinyin_and_initials(client, catalog, typed):
    data = client.get("/search/suggest", {"q": typed}).json()
    assert "智能手机使用入门" in [s["text"] for s in data["suggestions"]], (typed, data)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/search/", params).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_queries_do_not_grow_with_the_data(client, catalog, sections):
    client.get("/search/", {"q": "入门"})  # the session and the synonyms' cache exist
    few = _queries(client, {"q": "入门"})
    provider = InstitutionFactory(name="开封开放大学")
    for n in range(12):
        create_course(sections, title=f"入门课程{n}", provider=provider, category="community" if n % 2 else "elderly")
    search_index_rebuild()
    many = _queries(client, {"q": "入门"})
    assert many == few, (few, many)
    assert many <= 20

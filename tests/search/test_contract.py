"""The contract every backend answers to (search.contract through search.selectors), on the demo catalog:
relevance (tests/search/relevance_cases.py, top 3), facets, permissions, suggestions, "did you mean", query counts."""

import datetime
import re

import pytest

from search.contract import FACETS, KINDS, SearchQuery
from search.selectors import search_run, search_suggest
from tests.search.relevance_cases import CASES


def run(text="", **kwargs):
    return search_run(query=SearchQuery(text=text, **kwargs))


def titles(results, n=3):
    return [(h.title, h.kind) for h in results.hits[:n]]


@pytest.mark.parametrize(("text", "title", "kind", "why"), CASES, ids=[c[0] for c in CASES])
def test_what_residents_type_finds_the_course_among_the_first_three(backend, text, title, kind, why):
    results = run(text)
    assert (title, kind) in titles(results), f"{text!r} ({why}): {titles(results, 6)}"
    assert results.backend == backend and not results.degraded


def test_matches_are_marked_and_escaped(backend):
    hit = next(h for h in run("shouji").hits if h.title == "手机挂号与网上就医")
    assert hit.title_html == "<mark>手机</mark>挂号与网上就医"
    assert "<mark>" not in run("养老").hits[0].summary_html or "<script" not in run("养老").hits[0].summary_html


def test_every_facet_is_returned_with_counts_that_add_up(backend):
    results = run("培训")
    assert set(results.facets) == set(FACETS)
    kinds = {v.code: v.count for v in results.facets["kind"]}
    assert sum(kinds.values()) == results.total and set(kinds) <= set(KINDS)
    for name in ("category", "district", "mode", "provider", "fee", "target_group", "certificate", "level"):
        assert results.facets[name], name
        assert all(v.count > 0 and v.label for v in results.facets[name]), name
    # a facet's count is what choosing it gives
    category = results.facets["category"][0]
    chosen = run("培训", filters={"category": category.code})
    assert chosen.total == category.count
    assert next(v for v in chosen.facets["category"] if v.code == category.code).selected
    # the other categories are still offered, with the counts they would give
    assert len(chosen.facets["category"]) == len(results.facets["category"])


def test_filters_narrow_by_fee_district_and_kind(backend):
    free = run("", filters={"fee": "free"}, kinds=("course",), per_page=100)
    assert free.total and all(h.facts.get("fee") == "免费" for h in free.hits)
    lankao = run("", filters={"district": "410225"}, kinds=("course",), per_page=100)
    assert lankao.total and "焦裕禄精神与兰考发展" in [h.title for h in lankao.hits]
    assert all(h.kind == "course" for h in lankao.hits)
    soon = run("", filters={"starts_within": "90"}, per_page=100)
    assert soon.total <= run("", per_page=1).total


def test_the_residents_district_comes_first_at_equal_match(backend):
    plain = run("老年教育中心", kinds=("institution",))
    last = plain.hits[-1]
    district = next(v.code for v in plain.facets["district"] if v.label in last.facts["district"])
    near = run("老年教育中心", kinds=("institution",), district=district)
    assert near.hits[0].key == last.key != plain.hits[0].key
    assert near.total == plain.total  # the district boosts, it filters nothing


def test_unpublished_private_and_cancelled_never_appear(backend):
    from wagtail.models import PageViewRestriction

    from courses.models import CoursePage, Session
    from search.services import search_index_update

    hidden = CoursePage.objects.get(slug="electrician-yrcw")
    private = CoursePage.objects.get(slug="taichi-shunhe")
    session = Session.objects.filter(course__slug="smartphone-for-elders", starts_at__gte=datetime.datetime.now(
        tz=datetime.UTC)).first()
    hidden.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    Session.objects.filter(pk=session.pk).update(cancelled_at=datetime.datetime.now(tz=datetime.UTC))
    # even before the index hears of it, the page shown is checked
    assert "低压电工作业培训" not in [h.title for h in run("电工").hits]
    assert "太极拳（二十四式）" not in [h.title for h in run("太极").hits]
    search_index_update(kind="course", ids=[hidden.pk, private.pk])
    search_index_update(kind="session", ids=[session.pk])
    everything = run("", per_page=100)
    keys = set()
    for page in range(1, everything.total // 100 + 2):
        keys |= {h.key for h in run("", per_page=100, page=page).hits}
    assert f"course:{hidden.pk}" not in keys and f"course:{private.pk}" not in keys
    assert f"session:{session.pk}" not in keys
    assert not [s for s in search_suggest(prefix="低压") if s.kind == "course"]


def test_suggestions_as_one_types_in_characters_pinyin_and_initials(backend):
    for prefix in ("手机", "shouj", "sj", "照户"):
        suggestions = search_suggest(prefix=prefix, limit=5)
        assert suggestions and len(suggestions) <= 5, prefix
        assert all(s.url.startswith("/") for s in suggestions)
    assert "手机挂号与网上就医" in [s.text for s in search_suggest(prefix="shouj")]
    assert any("照护" in s.text for s in search_suggest(prefix="照户"))
    assert search_suggest(prefix="   ") == []


def test_nothing_found_offers_a_correction_and_related_results(backend):
    results = run("shuoji")  # a slip of the keyboard for shouji
    assert results.total == 0 and results.hits == []
    assert results.did_you_mean == "手机"
    assert results.related and "手机" in results.related[0].title
    nothing = run("qqqqqqxyzw")
    assert nothing.total == 0 and nothing.did_you_mean is None


def test_hit_facts_are_in_the_readers_language(backend):
    from django.utils import translation

    with translation.override("en"):
        hit = next(h for h in run("智能手机入门").hits if h.kind == "course")
    assert hit.facts["mode"] and not re.search(r"[\u4e00-\u9fff]", hit.facts["mode"] + hit.facts["fee"])


def test_a_search_takes_a_constant_number_of_queries(backend, django_assert_max_num_queries):
    run("手机")  # warm the synonym and vocabulary caches
    # match, load the page, then re-check visibility: restrictions, pages, sessions, institutions
    with django_assert_max_num_queries(7):
        results = run("培训", per_page=50)
    assert results.total > 20
    with django_assert_max_num_queries(2):
        search_suggest(prefix="shou")

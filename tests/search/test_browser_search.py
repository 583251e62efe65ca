"""Search in a real browser (headless Chromium, zh-CN): from the home page to a course, elder mode's first screen
on a phone, facets without JavaScript, and suggestions as you type."""

import pytest

from tests.browser_checks import CspCollector, mixed_labels
from tests.browser_harness import format_violations, off_first_screen, small_targets

pytestmark = pytest.mark.browser


def _catalog():
    from courses.services import catalog_setup
    from search.services import search_index_rebuild
    from tests.courses.factories import create_course
    from tests.factories import DistrictFactory, InstitutionFactory

    sections = {s.category: s for s in catalog_setup()["sections"]}
    district = DistrictFactory(code="410202", name="龙亭区")
    college = InstitutionFactory(name="龙亭区老年大学", district=district, type="elderly_university")
    courses = {
        "care": create_course(sections, title="老年照护基础", provider=college, summary="居家照护与护理常识"),
        "phone": create_course(sections, title="智能手机使用入门", provider=college, summary="微信、扫码、视频通话"),
        "calligraphy": create_course(sections, title="书法入门", provider=college, category="community"),
    }
    search_index_rebuild()
    return courses


def test_from_the_home_page_type_yanglao_and_reach_the_course(page):
    courses = _catalog()
    csp = CspCollector.attach(page)
    page.goto("/")
    page.fill("#home-q", "养老")
    page.locator("form[role=search] button[type=submit]").first.click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("h1").inner_text().strip() == "站内搜索"
    assert mixed_labels(page) == []
    page.get_by_role("link", name="老年照护基础").first.click()
    page.wait_for_url(f"**{courses['care'].url}")
    assert page.locator("h1").inner_text().strip() == "老年照护基础"
    assert csp.violations(page) == []


def test_elder_mode_on_a_phone_first_screen_holds_the_box_and_the_first_result(new_page, axe_check):
    _catalog()
    page = new_page(elder=True, viewport=(390, 844))
    page.goto("/search/?q=%E5%85%BB%E8%80%81")  # 养老
    assert page.locator("html.elder").count() == 1
    first = ".search-hits .search-hit:first-child h3 a"
    assert page.locator(first).first.inner_text().strip() == "老年照护基础"
    assert off_first_screen(page, ["#search-q", "form[role=search] button[type=submit]", first]) == []
    assert small_targets(page, 60) == []
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


def test_facets_work_without_javascript(js_off_page):
    courses = _catalog()
    page = js_off_page
    page.goto("/search/?q=%E5%85%A5%E9%97%A8")  # 入门
    titles = page.locator(".search-hit h3 a").all_inner_texts()
    assert "智能手机使用入门" in titles and "书法入门" in titles
    page.locator("nav[data-facet=category] a", has_text="社区教育").click()
    page.wait_for_url("**category=community**")
    assert page.locator(".search-hit h3 a").all_inner_texts() == ["书法入门"]
    # and the GET form: choose a value and press 筛选
    page.goto("/search/?q=%E5%85%A5%E9%97%A8")
    page.select_option("#facet-category", "elderly")
    page.locator(".facet-form button[type=submit]").click()
    page.wait_for_url("**category=elderly**")
    assert page.locator(".search-hit h3 a").all_inner_texts() == ["智能手机使用入门"]
    page.get_by_role("link", name="智能手机使用入门").click()
    page.wait_for_url(f"**{courses['phone'].url}")


def test_suggestions_appear_while_typing(page):
    courses = _catalog()
    csp = CspCollector.attach(page)
    page.goto("/search/")
    page.locator("#search-q").press_sequentially("zhineng", delay=60)
    page.wait_for_function("() => document.querySelectorAll('.suggestions a').length > 0")
    assert page.locator("#search-q").get_attribute("aria-expanded") == "true"
    option = page.locator(".suggestions a", has_text="智能手机使用入门")
    assert option.count() == 1
    page.locator("#search-q").press("ArrowDown")
    assert page.locator(".suggestions a[aria-selected=true]").count() == 1
    option.click()
    page.wait_for_url(f"**{courses['phone'].url}")
    assert csp.violations(page) == []

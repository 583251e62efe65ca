"""The home page's first screen holds the task (issue 12): the search box, the resident's next lesson and the
first category tiles, in elder mode on a 390 × 844 phone and in normal mode at 1280 px. Headless Chromium."""

import pytest

from tests.browser_harness import format_violations, off_first_screen, small_targets
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

TASK = ["#home-q", "form[role=search] button[type=submit]", "[data-next-lesson]", "a.tile[href*='category=']"]


def _learner_with_a_lesson_to_do(elder: bool):
    from courses import services
    from courses.services import catalog_setup
    from tests.courses.factories import create_course, lesson

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, title="智能手机使用入门（长辈班）",
                           lessons=[lesson("text", "第一课：认识智能手机"), lesson("text", "第二课：微信视频通话")])
    user = UserFactory(elder_mode=elder)
    services.enrolment_create(user=user, course=course)
    return user, course


def test_elder_home_first_screen_on_a_phone_holds_search_next_lesson_and_tiles(new_page, login, axe_check):
    user, course = _learner_with_a_lesson_to_do(elder=True)
    page = new_page(elder=True, viewport=(390, 844))
    login(page, user)
    page.goto("/")
    assert page.locator("html.elder").count() == 1
    assert off_first_screen(page, TASK) == []
    assert page.locator("[data-next-lesson]").inner_text().strip() == "下一课：第一课：认识智能手机"
    assert small_targets(page, 60) == []
    violations = axe_check(page)
    assert violations == [], format_violations(violations)
    # the tile leads to the filtered catalog; the next lesson opens the lesson itself
    page.locator("a.tile[href*='category=']").first.click()
    page.wait_for_url("**/learn/?category=elderly")
    assert page.locator("nav.tabs-nav a[aria-current=page]").inner_text().strip() == "老年教育"
    page.go_back()
    page.locator("[data-next-lesson]").click()
    page.wait_for_url(f"**/learn/c/{course.pk}/lesson/**")
    assert page.locator("h1").inner_text().strip() == "第一课：认识智能手机"


def test_normal_home_first_screen_on_a_desktop_holds_the_same_task(new_page, login):
    user, _course = _learner_with_a_lesson_to_do(elder=False)
    page = new_page(viewport=(1280, 800))
    login(page, user)
    page.goto("/")
    assert page.locator("html.elder").count() == 0
    assert off_first_screen(page, TASK) == []
    assert [t for t in small_targets(page, 44) if t["tag"] != "a"] == []

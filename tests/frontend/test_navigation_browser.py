"""Each role finds its work from the home page by clicking only (issue 12, item 2), and 长辈版 keeps the header
to one row with one 菜单 button (item 4), in Chromium (zh-CN) at 390 px and 1280 px. Signing in is by session
cookie (the sign-in form has its own tests); after that, nothing but clicks."""

import re

import pytest
from bianxue.accounts.models import Role

from tests.browser_checks import CspCollector
from tests.factories import InstitutionFactory, UserFactory, bureau_admin, staff_user

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1280, 900)


def _open_menu_if_closed(page) -> None:
    """In 长辈版 the links are behind the 菜单 button; in the standard view the menu is open."""
    menu = page.locator("details.site-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary", has_text="菜单").click()
        assert menu.get_attribute("open") is not None


def _click_header(page, name: str) -> None:
    _open_menu_if_closed(page)
    page.locator("header .site-nav").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def _learner_with_a_course(*, elder: bool):
    from courses.services import catalog_setup, enrolment_create
    from tests.courses.factories import create_course

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, title="智能手机入门")
    user = UserFactory(elder_mode=elder)  # signed in, the profile's choice holds
    enrolment_create(user=user, course=course)
    return user


@pytest.mark.parametrize("elder,viewport", [(True, PHONE), (False, DESKTOP)], ids=["elder-390", "standard-1280"])
def test_a_learner_reaches_my_learning_a_lesson_and_the_credit_bank(new_page, login, elder, viewport):
    user = _learner_with_a_course(elder=elder)
    page = new_page(elder=elder, viewport=viewport)
    csp = CspCollector.attach(page)
    login(page, user)
    page.goto("/")
    assert page.locator("html.elder").count() == int(elder)
    _click_header(page, "我的学习")
    assert page.url.endswith("/learn/me/")
    page.locator("main").get_by_role("link", name=re.compile("继续学习|开始学习")).first.click()
    page.wait_for_load_state()
    assert "/lesson/" in page.url
    _click_header(page, "学分银行")
    assert page.url.endswith("/credits/")
    assert page.locator("h1").count() == 1
    assert not csp.violations(page)


def _staff(role):
    school = InstitutionFactory(code="T-NAV-B", name="开封市测试职业学校")
    return bureau_admin() if role == "bureau" else staff_user(institution=school, role=role)


# role -> header links clicked in turn, each with the path it must reach
JOURNEYS = {
    Role.TEACHER: [("我的班级", r"/learn/staff/$"), ("内容管理", r"/admin/$")],
    Role.REGISTRAR: [("数据导入", r"/records/import/$"), ("本机构看板", r"/records/dashboard/\?institution=T-NAV-B$")],
    Role.CREDIT_OFFICER: [("审核队列", r"/credits/staff/$")],
    "bureau": [("指标看板", r"/records/dashboard/$"), ("角色授权", r"/me/memberships/grant/$"),
               ("认证资质", r"/credits/staff/accreditations/$")],
}


@pytest.mark.parametrize("role", list(JOURNEYS))
def test_each_staff_role_reaches_its_work_from_the_home_page(new_page, login, role):
    user = _staff(role)
    page = new_page(viewport=DESKTOP)
    login(page, user)
    for label, path in JOURNEYS[role]:
        page.goto("/")
        _click_header(page, label)
        assert re.search(path, page.url), (label, page.url)
        assert page.locator("h1").count() >= 1
    # the same work from the 我的 hub's tiles
    page.goto("/")
    _click_header(page, "我的")
    assert page.url.endswith("/my/")
    label, path = JOURNEYS[role][0]
    page.locator("main a.tile", has_text=label).first.click()
    page.wait_for_load_state()
    assert re.search(path, page.url)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_elder_mode_header_is_one_row_with_a_menu_button(new_page, viewport):
    page = new_page(elder=True, viewport=viewport)
    page.goto("/learn/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 130, header  # one row of 60 px targets, not the whole first screen
    main_top = page.locator("main").bounding_box()["y"]
    assert main_top < viewport[1] * 0.25
    assert not page.locator("header .site-nav").is_visible()
    assert page.locator("[data-elder-switch]").is_visible()  # 退出长辈版 stays in the header row
    button = page.locator("details.site-menu > summary")
    box = button.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 60
    button.click()
    assert page.locator("header .site-nav").is_visible()
    assert page.get_by_role("link", name="课程", exact=True).is_visible()
    assert page.get_by_role("button", name="放大").is_visible()  # text size is in the menu


def test_elder_mode_menu_opens_without_javascript(new_page):
    page = new_page(elder=True, javascript=False, viewport=PHONE)
    page.goto("/")
    page.locator("details.site-menu > summary").click()
    page.locator("header .site-nav").get_by_role("link", name="课程", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/learn/")


def test_standard_view_shows_the_links_without_a_menu_button(new_page):
    page = new_page(viewport=DESKTOP)
    page.goto("/")
    assert not page.locator("details.site-menu > summary").is_visible()
    assert page.locator("header .site-nav").get_by_role("link", name="课程", exact=True).is_visible()


@pytest.mark.parametrize("elder,viewport", [(True, PHONE), (False, DESKTOP)], ids=["elder-390", "standard-1280"])
def test_the_hub_and_the_open_menu_are_accessible(new_page, login, axe_check, elder, viewport):
    from tests.browser_harness import format_violations, small_targets

    page = new_page(elder=elder, viewport=viewport)
    school = InstitutionFactory(code="T-NAV-A")
    login(page, staff_user(institution=school, role=Role.REGISTRAR, elder_mode=elder))  # signed in: the profile's choice
    page.goto("/my/")
    if elder:
        page.locator("details.site-menu > summary").click()
    violations = axe_check(page)
    assert violations == [], format_violations(violations)
    if elder:
        assert small_targets(page, 60) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]

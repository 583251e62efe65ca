"""Main pages in real Chromium: WCAG (axe-core), elder-mode measurements, persistence, keyboard, no-JS."""

import pytest

from tests.browser_harness import format_violations, small_targets
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "login": "/accounts/login/", "signup": "/accounts/signup/", "404": "/no-such-page/"}


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violations(new_page, axe_check, name, elder):
    page = new_page(elder=elder)
    page.goto(PAGES[name])
    assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_elder_mode_measurements(new_page, name, width):
    page = new_page(elder=True, viewport=(width, 900))
    page.goto(PAGES[name])
    metrics = page.evaluate(
        """() => {
          const cs = (el) => getComputedStyle(el);
          const body = cs(document.body);
          const paras = [...document.querySelectorAll('main p, main li, main label')]
            .filter((el) => el.getClientRects().length && el.innerText.trim())
            .map((el) => ({text: el.innerText.trim().slice(0, 30), fs: parseFloat(cs(el).fontSize),
                           lh: parseFloat(cs(el).lineHeight) / parseFloat(cs(el).fontSize),
                           mb: parseFloat(cs(el).marginBottom), lhpx: parseFloat(cs(el).lineHeight),
                           followed: el.tagName === 'P' && el.nextElementSibling && el.nextElementSibling.tagName === 'P'}));
          const columns = [...document.querySelectorAll('main .card-grid, main .grid')]
            .map((g) => cs(g).gridTemplateColumns.split(' ').length);
          return {fs: parseFloat(body.fontSize), lh: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
                  paras, columns, scrollX: document.documentElement.scrollWidth - window.innerWidth};
        }"""
    )
    assert metrics["fs"] >= 24
    assert metrics["lh"] >= 1.3
    small_text = [p for p in metrics["paras"] if p["fs"] < 24 or p["lh"] < 1.3]
    assert small_text == []
    tight = [p for p in metrics["paras"] if p["followed"] and p["mb"] < 1.3 * p["lhpx"]]
    assert tight == []  # paragraph spacing >= 1.3 × line spacing
    assert all(n == 1 for n in metrics["columns"]), metrics["columns"]  # single column
    assert metrics["scrollX"] <= 1  # nothing wider than the screen
    assert small_targets(page, 60) == []


@pytest.mark.parametrize("name", list(PAGES))
def test_normal_mode_targets_are_at_least_44px(page, name):
    page.goto(PAGES[name])
    # inline links inside running text are exempt in normal mode (WCAG 2.5.8 inline exception)
    small = [t for t in small_targets(page, 44) if t["tag"] != "a"]
    assert small == []


def test_elder_mode_persists_across_pages(page):
    page.goto("/")
    page.locator("[data-elder-switch]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    for path in ("/accounts/login/", "/no-such-page/", "/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.classList.contains('elder')"), path
    page.locator("[data-elder-switch]").click()
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('elder')")


def test_elder_mode_persists_across_logout_and_login_in_another_browser(new_page, login):
    user = UserFactory(elder_mode=False)
    first = new_page()
    login(first, user)
    first.goto("/")
    first.locator("[data-elder-switch]").click()
    first.wait_for_load_state()
    user.refresh_from_db()
    assert user.elder_mode is True
    first.locator("details.site-menu > summary").click()  # in 长辈版 sign-out is in the header's 菜单
    first.locator("header form[action='/accounts/logout/'] button").click()
    first.wait_for_load_state()
    assert first.evaluate("document.documentElement.classList.contains('elder')")  # cookie, signed out
    second = new_page()  # a different browser: no cookies
    second.goto("/")
    assert not second.evaluate("document.documentElement.classList.contains('elder')")
    login(second, user, via_form=True)
    second.goto("/")
    assert second.evaluate("document.documentElement.classList.contains('elder')")


def test_text_size_control_in_both_modes(new_page):
    for elder in (False, True):
        page = new_page(elder=elder)
        page.goto("/")
        before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        if elder:  # in 长辈版 the text size is in the header's 菜单 (components/site_header.html)
            page.locator("details.site-menu > summary").click()
        page.get_by_role("button", name="放大").click()
        page.wait_for_load_state()
        after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert after > before
        assert page.evaluate("document.documentElement.classList.contains('elder')") is elder


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_keyboard_reaches_main_actions_with_visible_focus(new_page, elder):
    page = new_page(elder=elder)
    page.goto("/")
    wanted = {"search": False, "elder": False, "category": False}
    invisible = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
              const el = document.activeElement; const s = getComputedStyle(el);
              return {id: el.id, elder: el.hasAttribute('data-elder-switch'),
                      category: el.matches('a.tile[href*="category="]'),
                      visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
                      text: (el.innerText || el.name || '').trim().slice(0, 20)};
            }"""
        )
        wanted["search"] |= info["id"] == "home-q"
        wanted["elder"] |= info["elder"]
        wanted["category"] |= info["category"]
        if not info["visible"]:
            invisible.append(info["text"])
        if all(wanted.values()):
            break
    assert wanted == {"search": True, "elder": True, "category": True}
    assert invisible == []
    # Enter on the focused category opens the filtered catalog
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/?category=*")


def test_pages_render_and_work_without_javascript(js_off_page):
    page = js_off_page
    for path in PAGES.values():
        page.goto(path)
        assert page.locator("h1").count() == 1, path
    page.goto("/")
    page.fill("#home-q", "书法")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/search/?q=*")
    page.goto("/")
    page.locator("[data-elder-switch]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('elder')") is None or \
        page.locator("html.elder").count() == 1


def test_no_popups_or_dialogs(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/")
    assert dialogs == []
    assert page.locator("dialog[open], [role=dialog], [aria-modal=true]").count() == 0


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_main_pages(new_page, screenshot, width, elder):
    """Saved to test-artifacts/screenshots/ for a human look (phone and desktop, both modes)."""
    page = new_page(elder=elder, viewport=(width, 900))
    for name in ("home", "login", "404"):
        page.goto(PAGES[name])
        path = screenshot(page, f"{name}-{width}-{'elder' if elder else 'normal'}")
        assert path.stat().st_size > 1000

"""In Chromium, as a teacher would: from the home page to the CMS, a NEW course written from scratch with the
institution, district and certificate choosers, the date pickers and a first lesson, submitted for moderation. The test fails on
any content security policy violation (the browser's securitypolicyviolation events and console reports) and on
any script error in the pages it visits."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WATCH_CSP = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.bxCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watch_csp(page) -> list[str]:
    """Every CSP violation and script error of ``page`` (across its navigations), as messages."""
    problems: list[str] = []
    page.expose_function("bxCspViolation", lambda message: problems.append(f"CSP: {message}"))
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def _sign_in(page, teacher) -> None:
    from tests.factories import totp_code

    page.goto("/")
    page.locator("header").get_by_role("link", name="登录").click()
    page.fill("input[name=login]", teacher.email)
    page.fill("input[name=password]", "pass-word-123")
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code(margin=10))
    page.locator("form:has(input[name=code]) [type=submit]").first.click()
    page.wait_for_load_state()


def _open_cms(page) -> None:
    """The header's link to the CMS when there is one (stream nav), else 我的 → 进入管理后台."""
    page.goto("/")
    header_link = page.locator("header a[href='/admin/']")
    if header_link.count():
        header_link.first.click()
    else:
        page.locator("header").get_by_role("link", name="我的").click()
        page.locator("main a[href='/admin/']").first.click()
    page.wait_for_url("**/admin/")


def _choose(page, field: str, name: str) -> None:
    """Open the chooser of ``field``, search and pick ``name`` in its modal."""
    page.locator(f"#id_{field}-chooser [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.locator(f"a[data-chooser-modal-choice]:has-text('{name}')").first.click()
    expect(page.locator(f"#id_{field}")).not_to_have_value("")  # (wait_for_function would eval: CSP refuses)
    assert page.locator(f"#id_{field}-chooser [data-chooser-title]").inner_text().strip() == name


def _pick_date(page, field: str, day: int) -> str:
    page.locator(f"#id_{field}").click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.locator(f"td.xdsoft_date:not(.xdsoft_other_month)[data-date='{day}']").first.click()
    value = page.locator(f"#id_{field}").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return value


def test_teacher_creates_a_new_course_with_choosers_and_submits_it(new_page):
    from wagtail.models import WorkflowState

    from courses.models import CoursePage
    from courses.services import catalog_setup
    from tests.factories import CertificateFactory, DistrictFactory, InstitutionFactory, staff_user

    setup = catalog_setup()
    district = DistrictFactory(code="410205", name="禹王台区")
    provider = InstitutionFactory(name="开封职业学院", district=district)
    certificate = CertificateFactory(name="智能网联汽车检测与运维")
    teacher = staff_user(institution=provider, display_name="李老师")
    teacher.groups.add(setup["staff_group"])

    page = new_page()
    problems = watch_csp(page)
    _sign_in(page, teacher)
    _open_cms(page)

    # the dashboard's 新建课程 panel leads to a new course in the chosen section
    page.locator("main").get_by_role("link", name=re.compile("1\\+X证书培训")).click()
    page.wait_for_url("**/admin/pages/add/courses/coursepage/**")
    page.fill("#id_title", "智能网联汽车检测与运维（初级）考证培训")
    page.fill("#id_code", "X-ICV-2027")
    _choose(page, "provider", "开封职业学院")
    page.select_option("#id_category", "x_certificate")
    page.select_option("#id_mode", "blended")
    _choose(page, "district", "禹王台区")
    page.fill("#id_venue", "开封职业学院汽车实训楼 201")
    start = _pick_date(page, "start_date", 15)
    _pick_date(page, "end_date", 28)
    page.fill("#id_hours", "48")
    _choose(page, "certificate", "智能网联汽车检测与运维")
    page.fill("#id_summary", "面向汽车维修从业人员的 1+X 初级证书培训。")

    # a first lesson: a reading (图文课) with its title and text in the rich-text editor
    page.locator("[data-streamfield-action='ADD'], button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("图文课")).first.click()
    page.locator("input[id$='-value-title']").last.fill("第一课：认识智能网联汽车")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").last
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("本课介绍智能网联汽车的组成。")
    # the editor writes its content into the form's hidden input a moment after typing, as it does for a person
    expect(page.locator("input[type=hidden][id$='-value-body']").last).to_have_value(re.compile("智能网联汽车的组成"))

    # submit for moderation (teachers cannot publish): the save menu's second action
    page.locator("footer [aria-label] button.dropdown-toggle, footer button[data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-submit']").click()
    # Wagtail 8 autosaves the draft as soon as the form is valid (the address becomes the edit view), so wait for
    # the submission's own message, not for an address
    expect(page.locator(".messages")).to_contain_text("提交审核")

    course = CoursePage.objects.get(title="智能网联汽车检测与运维（初级）考证培训")
    assert (course.provider_id, course.district_id, course.certificate_id) == (provider.pk, district.pk,
                                                                                certificate.pk)
    assert course.start_date.isoformat() == start and not course.live
    # the submitted revision holds the lesson (an autosaved page's row keeps its first draft; revisions the rest)
    lessons = course.get_latest_revision_as_object().lessons
    assert [(block.block_type, block.value["title"]) for block in lessons] == [("text", "第一课：认识智能网联汽车")]
    assert "智能网联汽车的组成" in lessons[0].value["body"].source
    assert WorkflowState.objects.filter(object_id=str(course.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()
    assert problems == []


def test_the_watcher_reports_a_refused_inline_script(new_page):
    """The check above can fail: an inline script added to a page is refused and reported."""
    page = new_page()
    problems = watch_csp(page)
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.bxRan = 1';
                             document.body.appendChild(s); }""")
    for _ in range(100):  # the violation event is dispatched asynchronously
        if problems:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("() => window.bxRan") is None
    assert any(p.startswith("CSP: script-src") for p in problems), problems

"""The pages not covered by the other browser tests, in real Chromium, normal and elder mode (issue 6):
profile, identity linking (with a validation error), institution overview, membership grants, allauth's
password reset / login by code / MFA pages, news, community, the records upload page with its error table, 1+X exam
registration, the bureau's accreditation page, the real-name binding desks and the published ledger checkpoints.

Every page: no serious or critical axe violations (WCAG 2.1 A/AA); in elder mode the body text is >= 24px with
line height >= 1.3 (also every visible paragraph, list item, label and table cell in <main>), every visible link,
button and form control is >= 60x60 px and nothing is wider than the screen; in normal mode buttons and form
controls are >= 44x44 px (inline links in running text are exempt, WCAG 2.5.8)."""

import pytest

from tests.browser_harness import format_violations, small_targets

pytestmark = pytest.mark.browser


# --- scenarios: set up data, return (user or None, path, optional action on the page) ------------------------
def _learner():
    from tests.factories import UserFactory

    return UserFactory()


def _profile(tmp_path):
    return _learner(), "/me/", None


def _identity(tmp_path):
    return _learner(), "/me/identity/", None


def _identity_error(tmp_path):
    def submit_wrong_id(page):
        page.fill("input[name=name]", "张三")
        page.fill("input[name=resident_id]", "410202195001010010")  # wrong check character
        page.locator("main form [type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator("main .errorlist, main [role=alert], main .field-error, main .error").count() >= 1

    return _learner(), "/me/identity/", submit_wrong_id


def _institution(tmp_path):
    from bianxue.accounts.models import Role

    from tests.factories import InstitutionFactory, staff_user

    school = InstitutionFactory(code="T-A11Y-1", name="开封市测试职业学校")
    InstitutionFactory(code="T-A11Y-2", name="测试社区学院", parent=school)
    user = staff_user(institution=school, role=Role.REGISTRAR)
    staff_user(institution=school, role=Role.TEACHER)
    return user, f"/me/institution/{school.code}/", None


def _membership_grant(tmp_path):
    from tests.factories import InstitutionFactory, bureau_admin, mfa_enable, staff_user

    admin = bureau_admin()
    mfa_enable(admin)
    staff_user(institution=InstitutionFactory(name="开封市测试职业学校"))  # a row in the recent grants table
    return admin, "/me/memberships/grant/", None


def _password_reset(tmp_path):
    return None, "/accounts/password/reset/", None


def _login_code(tmp_path):
    return None, "/accounts/login/code/", None


def _mfa_index(tmp_path):
    from tests.factories import bureau_admin, mfa_enable

    admin = bureau_admin()
    mfa_enable(admin)
    return admin, "/accounts/2fa/", None


def _officer_without_totp():
    from bianxue.accounts.models import Role

    from tests.factories import InstitutionFactory, staff_user

    return staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER, mfa=False)


def _totp_activate(tmp_path):
    """A credit officer without TOTP is sent to the TOTP activation page whatever they open; allauth 65 asks for
    the password again first (MFA_REAUTHENTICATION_REQUIRED, even right after signing in)."""
    officer = _officer_without_totp()

    def confirm_password_then_activate(page):
        from tests.browser_harness import DEFAULT_PASSWORD

        assert "/accounts/reauthenticate/" in page.url, page.url
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.locator("main form [type=submit]").first.click()
        page.wait_for_url("**/accounts/2fa/totp/activate/**")
        assert page.locator("main img, main svg").count() >= 1  # the QR code

    return officer, "/me/", confirm_password_then_activate


def _reauthenticate(tmp_path):
    """Signed in a while ago (session cookie only): activating TOTP first asks for the password again."""
    officer = _officer_without_totp()

    def redirected(page):
        assert "/accounts/reauthenticate/" in page.url, page.url

    return officer, "/me/", redirected


def _news_setup():
    import io

    from frontend.demo import load

    load(stdout=io.StringIO())


def _news_index(tmp_path):
    _news_setup()
    return None, "/news/", None


def _news_page(tmp_path):
    from frontend.models import NewsPage

    _news_setup()
    return None, NewsPage.objects.live().first().url, None


def _community(tmp_path):
    return None, "/community/", None


def _registrar():
    from bianxue.accounts.models import Role

    from tests.factories import InstitutionFactory, staff_user

    return staff_user(institution=InstitutionFactory(code="T-VS-1", name="测试职业学校"), role=Role.REGISTRAR)


def _records_import(tmp_path):
    return _registrar(), "/records/import/", None


def _records_import_errors(tmp_path):
    from tests.credits.records.factories import base_files, write_folder

    files = base_files()
    files["records"][0]["kind"] = "lecture"
    files["records"][1]["date"] = "2025-13-01"
    folder = write_folder(tmp_path / "bad", files)

    def upload_bad_csv(page):
        page.set_input_files("#id_files", [str(p) for p in sorted(folder.iterdir())])
        page.locator("main form [type=submit]").first.click()
        page.wait_for_url("**/records/import/*/")
        assert page.locator("main table").count() >= 1

    return _registrar(), "/records/import/", upload_bad_csv


def _exam_sitting():
    import datetime

    from django.utils import timezone

    from courses.models import ExamSession
    from tests.factories import CertificateFactory, InstitutionFactory, exam_site_create

    school = InstitutionFactory(type="higher_vocational", name="开封智慧健康职业学院")
    cert = CertificateFactory(name="老年照护")
    exam_site_create(institution=school, certificate=cert)
    return ExamSession.objects.create(institution=school, certificate=cert, cert_level="junior",
                                      date=timezone.localdate() + datetime.timedelta(days=10), venue="实训楼 201")


def _exam_registration(tmp_path):
    _exam_sitting()
    return _learner(), "/learn/exams/", None


def _accreditations(tmp_path):
    from tests.factories import bureau_admin

    _exam_sitting()
    return bureau_admin(), "/credits/staff/accreditations/", None


def _identity_requests(tmp_path):
    from bianxue.people.services import binding_request_start

    from tests.factories import bureau_admin

    binding_request_start(user=_learner(), identifier="410102195001011236", name="张桂英")
    return bureau_admin(), "/me/identity/requests/", None


def _identity_bindings(tmp_path):
    from tests.factories import bureau_admin

    return bureau_admin(), "/me/identity/bindings/", None


def _checkpoints(tmp_path):
    return None, "/credits/checkpoints/", None


SCENARIOS = {
    "profile": _profile,
    "identity": _identity,
    "identity-error": _identity_error,
    "institution": _institution,
    "membership-grant": _membership_grant,
    "password-reset": _password_reset,
    "login-code": _login_code,
    "mfa-index": _mfa_index,
    "totp-activate": _totp_activate,
    "reauthenticate": _reauthenticate,
    "news-index": _news_index,
    "news-page": _news_page,
    "community": _community,
    "records-import": _records_import,
    "records-import-errors": _records_import_errors,
    # issue 10 and 11: exam registration, accreditation, real-name binding desks, ledger checkpoints
    "exam-registration": _exam_registration,
    "accreditations": _accreditations,
    "identity-requests": _identity_requests,
    "identity-bindings": _identity_bindings,
    "checkpoints": _checkpoints,
}

ELDER_METRICS_JS = """() => {
  const cs = (el) => getComputedStyle(el);
  const body = cs(document.body);
  const text = [...document.querySelectorAll('main p, main li, main label, main td, main th, main dd, main dt')]
    .filter((el) => el.getClientRects().length && el.innerText.trim())
    .map((el) => ({text: el.innerText.trim().slice(0, 30), fs: parseFloat(cs(el).fontSize),
                   lh: parseFloat(cs(el).lineHeight) / parseFloat(cs(el).fontSize)}))
    .filter((t) => t.fs < 24 || !(t.lh >= 1.3));
  return {fs: parseFloat(body.fontSize), lh: parseFloat(body.lineHeight) / parseFloat(body.fontSize), text,
          scrollX: document.documentElement.scrollWidth - window.innerWidth};
}"""


def _open(new_page, login, tmp_path, name, *, elder, viewport=(1280, 900)):
    user, path, action = SCENARIOS[name](tmp_path)
    page = new_page(elder=elder, viewport=viewport)
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(elder_mode=elder)  # a signed-in user's own setting wins
        login(page, user)
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    if action is not None:
        action(page)
    assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
    assert page.locator("h1").count() == 1, page.url
    return page


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_page_accessible(new_page, login, axe_check, tmp_path, name, elder):
    page = _open(new_page, login, tmp_path, name, elder=elder)
    problems = {}
    violations = axe_check(page)
    if violations:
        problems["axe"] = violations
    if elder:
        metrics = page.evaluate(ELDER_METRICS_JS)
        if metrics["fs"] < 24 or metrics["lh"] < 1.3:
            problems["body"] = {"font-size": metrics["fs"], "line-height": metrics["lh"]}
        if metrics["text"]:
            problems["small_text"] = metrics["text"]
        small = small_targets(page, 60)
    else:
        small = [t for t in small_targets(page, 44) if t["tag"] != "a"]
    if small:
        problems["small_targets"] = small
    assert not problems, f"{page.url}\n{format_violations(problems)}"


TABLES_JS = """() => [...document.querySelectorAll('main table')].filter((t) => t.getClientRects().length).map((t) => {
  const caption = t.querySelector('caption');
  return {wrapped: !!t.closest('.table-wrap'), width: t.getBoundingClientRect().width,
          caption: caption ? caption.getBoundingClientRect().width : null,
          unlabelled: [...t.querySelectorAll('tbody td')].filter((td) => !td.dataset.label).length};
})"""


@pytest.mark.parametrize("name", ["profile", "identity-error", "institution", "membership-grant", "records-import-errors",
                                  "news-page", "mfa-index", "exam-registration", "accreditations",
                                  "identity-requests", "checkpoints"])
def test_elder_mode_on_a_phone(new_page, login, screenshot, tmp_path, name):
    """390 px wide in elder mode: nothing wider than the screen, targets still 60 px; screenshots saved to
    test-artifacts/screenshots/ for a human look."""
    page = _open(new_page, login, tmp_path, name, elder=True, viewport=(390, 900))
    screenshot(page, f"remaining-{name}-390-elder")
    metrics = page.evaluate(ELDER_METRICS_JS)
    assert metrics["scrollX"] <= 1, metrics
    assert metrics["text"] == []
    assert small_targets(page, 60) == []
    # tables stack into one card per row (.table-wrap): every cell says which column it is, the caption keeps
    # the full width
    for table in page.evaluate(TABLES_JS):
        assert table["wrapped"] and table["unlabelled"] == 0, table
        assert table["caption"] is None or table["caption"] >= 0.8 * table["width"], table

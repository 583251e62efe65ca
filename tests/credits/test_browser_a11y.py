"""Credit-bank pages in real Chromium: no serious/critical axe violations in normal and elder mode, and the
elder-mode measurements (text >= 24px, line height >= 1.3, every visible link/button >= 60x60 px)."""

import datetime
from decimal import Decimal

import pytest
from bianxue.accounts.models import Role

from tests.browser_harness import format_violations, small_targets

pytestmark = pytest.mark.browser

PAGES = ["home", "verify", "credential", "queue", "lookup"]


@pytest.fixture
def bank():
    """A learner with certified, pending and revoked outcomes, ledger history, a transcript and a credential;
    a credit officer with a queue."""
    from bianxue.people.services import learner_for_user_get_or_create

    from credits import credentials, services
    from credits.documents import transcript_issue
    from credits.models import ValuationRule
    from credits.records.services import record_upsert
    from tests.factories import (
        CertificateFactory,
        InstitutionFactory,
        UserFactory,
        exam_site_create,
        mfa_enable,
        staff_user,
    )

    institution = InstitutionFactory(name="开封开放大学（测试）", type="open_university")
    certificate = CertificateFactory(name="老年照护")
    exam_site_create(institution=institution, certificate=certificate)  # its exam results certify on arrival
    ValuationRule.objects.create(code="hours", name="学时", kind="hours", valid_from=datetime.date(2020, 1, 1))
    ValuationRule.objects.create(code="x", name="1+X", kind="fixed", valid_from=datetime.date(2020, 1, 1))
    user = UserFactory(display_name="王秀兰")
    learner = learner_for_user_get_or_create(user=user)
    learner.name = "王秀兰"
    learner.save(update_fields=["name"])
    officer = staff_user(institution=institution, role=Role.CREDIT_OFFICER)
    mfa_enable(officer)

    def record(i, **kw):
        defaults = dict(institution_id=institution.pk, record_id=f"A{i}", kind="training", learner=learner,
                        programme_code=f"P{i}", programme_name=f"社区课程第{i}期", category="community",
                        date=datetime.date(2025, 1 + i, 1), result="completed", hours=Decimal("32"))
        defaults.update(kw)
        return record_upsert(**defaults)[0]

    for i in range(3):
        record(i)
    exam = record(3, kind="exam", category="x_certificate", result="passed", hours=None,
                  certificate_id=certificate.pk, cert_level="intermediate", programme_name="老年照护（中级）")
    revoked = record(4).outcomes.get()
    services.outcome_revoke(actor=officer, outcome=revoked, reason="重复录入")
    pending = services.declaration_submit(
        user=user, outcome_type="training", title="家庭急救员培训", institution_id=institution.pk,
        date=datetime.date(2025, 3, 1), hours=Decimal("16"), evidence=_png())
    transcript = transcript_issue(account=pending.account)
    cred = credentials.credential_issue(outcome=exam.outcomes.get())
    return {"user": user, "officer": officer, "paths": {
        "home": "/credits/", "verify": f"/credits/verify/{transcript.code}/",
        "credential": f"/credits/credentials/{cred.pk}/", "queue": "/credits/staff/",
        "lookup": "/credits/staff/lookup/"}}


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("证书.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def _open(new_page, login, bank, name, *, elder, viewport=(1280, 900)):
    page = new_page(elder=elder, viewport=viewport)
    user = {"home": bank["user"], "queue": bank["officer"], "lookup": bank["officer"]}.get(name)
    if user is not None:  # a signed-in user's own setting wins over the cookie
        type(user).objects.filter(pk=user.pk).update(elder_mode=elder)
        login(page, user)
    page.goto(bank["paths"][name])
    assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
    return page


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("name", PAGES)
def test_credit_pages_have_no_serious_axe_violations(new_page, login, axe_check, bank, name, elder):
    page = _open(new_page, login, bank, name, elder=elder)
    assert page.locator("h1").count() == 1
    if name == "queue":
        assert "家庭急救员培训" in page.content()
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


ELDER_METRICS_JS = """() => {
  const cs = (el) => getComputedStyle(el);
  const body = cs(document.body);
  const text = [...document.querySelectorAll('main p, main li, main label, main td, main th, main dd, main dt')]
    .filter((el) => el.getClientRects().length && el.innerText.trim())
    .map((el) => ({text: el.innerText.trim().slice(0, 30), fs: parseFloat(cs(el).fontSize),
                   lh: parseFloat(cs(el).lineHeight) / parseFloat(cs(el).fontSize)}));
  const unlabelled = [...document.querySelectorAll('main .table-wrap td:not([data-label]):not([colspan])')]
    .map((td) => td.innerText.trim().slice(0, 30));
  return {fs: parseFloat(body.fontSize), lh: parseFloat(body.lineHeight) / parseFloat(body.fontSize), text,
          unlabelled, scrollX: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_credit_pages_in_elder_mode(new_page, login, bank, name, width):
    page = _open(new_page, login, bank, name, elder=True, viewport=(width, 900))
    metrics = page.evaluate(ELDER_METRICS_JS)
    assert metrics["fs"] >= 24 and metrics["lh"] >= 1.3
    small_text = [t for t in metrics["text"] if t["fs"] < 24 or t["lh"] < 1.3]
    assert small_text == []
    assert small_targets(page, 60) == []
    assert metrics["unlabelled"] == []  # stacked table cells keep their column heading (data-label)
    assert metrics["scrollX"] <= 1  # wide tables scroll inside their wrapper, never the page


@pytest.mark.parametrize("name", PAGES)
def test_credit_pages_normal_mode_targets_are_at_least_44px(new_page, login, bank, name):
    page = _open(new_page, login, bank, name, elder=False)
    # inline links inside running text are exempt in normal mode (WCAG 2.5.8 inline exception)
    assert [t for t in small_targets(page, 44) if t["tag"] != "a"] == []


@pytest.mark.parametrize(("elder", "width"), [(False, 1280), (True, 390)], ids=["normal", "elder-390"])
def test_officer_looks_a_learner_up_from_the_queue(new_page, login, axe_check, bank, elder, width):
    """From the queue page, by clicking: the lookup, its result (the learner's account here) is accessible."""
    page = _open(new_page, login, bank, "queue", elder=elder, viewport=(width, 900))
    page.get_by_role("link", name="查询学员账户").click()
    page.fill("#lookup-q", _identifier(bank["user"]))
    page.get_by_role("button", name="查询").click()
    result = page.locator('[data-testid="lookup-account"]')
    assert result.count() == 1 and "王秀兰" in result.inner_text() and "社区课程第0期" in result.inner_text()
    violations = axe_check(page)
    assert violations == [], format_violations(violations)
    if elder:
        metrics = page.evaluate(ELDER_METRICS_JS)
        assert metrics["unlabelled"] == [] and metrics["scrollX"] <= 1
        assert small_targets(page, 60) == []


def _identifier(user) -> str:
    """The identifier of a login's own learner (``U000000042``), as an officer would type it."""
    return f"U{user.pk:09d}"

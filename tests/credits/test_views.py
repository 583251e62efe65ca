"""Pages: the learner's credit bank, declarations with private evidence, the officer queue across institutions."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credits import services
from credits.models import Outcome, OutcomeStatus
from credits.selectors import review_queue_outcomes
from tests.factories import LearnerFactory, UserFactory, mfa_enable

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _declare(client, institution, evidence, **extra):
    data = {"outcome_type": "training", "title": "家庭急救员培训", "institution": institution.pk,
            "date": "2025-05-01", "hours": "24", "evidence": evidence, **extra}
    return client.post("/credits/declare/", data)


def test_home_page_and_query_count_does_not_grow(client, learner_user, make_record, rules, learner,
                                                 django_assert_max_num_queries):
    client.force_login(learner_user)
    assert client.get("/credits/").status_code == 200
    for _ in range(3):
        make_record(learner=learner)
    with django_assert_max_num_queries(40) as small:
        client.get("/credits/")
    for _ in range(22):
        make_record(learner=learner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/credits/")
    text = page.content.decode()
    assert "我的学分银行" in text and learner.credit_account.number in text
    assert "更早的记录" in text and "?before=6" in text  # 25 entries, 20 a page: keyset pagination link
    older = client.get("/credits/?before=6").content.decode()
    assert "更早的记录" not in older


def test_anonymous_is_sent_to_login(client):
    assert client.get("/credits/").status_code == 302


def test_declaration_upload_checks_type_and_size(client, learner_user, institution):
    client.force_login(learner_user)
    bad = _declare(client, institution, SimpleUploadedFile("fake.pdf", b"MZ\x90\0 not a pdf"))
    assert bad.status_code == 400 and "PDF、JPEG 或 PNG" in bad.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert _declare(client, institution, big).status_code == 400
    ok = _declare(client, institution, SimpleUploadedFile("证书.png", PNG))
    assert ok.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.status == OutcomeStatus.SUBMITTED and outcome.evidence_type == "image/png"


@pytest.mark.parametrize(("language", "message"), [("zh-hans", "上传的文件太大：上限为 1 MB。"),
                                                   ("en", "The uploaded file is too large: the limit is 1 MB.")])
def test_evidence_over_the_limit_is_stopped_while_it_streams_in(client, learner_user, institution, settings,
                                                                language, message, tmp_path):
    from pathlib import Path

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")  # this test's own: parallel workers write too
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "/credits/declare/": 1024 * 1024}
    client.force_login(learner_user)
    client.cookies["django_language"] = language
    before = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    response = _declare(client, institution, SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Outcome.objects.exists()
    assert {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()} == before


def test_evidence_is_private(client, learner_user, institution, officer, other_officer, settings):
    from pathlib import Path

    client.force_login(learner_user)
    _declare(client, institution, SimpleUploadedFile("证书.png", PNG))
    outcome = Outcome.objects.get()
    path = Path(outcome.evidence.path)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))  # never under the public /media/
    assert client.get(f"/credits/outcomes/{outcome.pk}/evidence/").status_code == 200
    mfa_enable(officer)
    client.force_login(officer)
    assert client.get(f"/credits/outcomes/{outcome.pk}/evidence/").status_code == 200
    mfa_enable(other_officer)
    client.force_login(other_officer)
    assert client.get(f"/credits/outcomes/{outcome.pk}/evidence/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/credits/outcomes/{outcome.pk}/evidence/").status_code == 403


@pytest.fixture
def queued(institution, other_institution, learner_user):
    def declare(inst, title):
        return services.declaration_submit(
            user=learner_user, outcome_type="training", title=title, institution_id=inst.pk,
            date=datetime.date(2025, 3, 1), hours=Decimal("16"), evidence=SimpleUploadedFile("a.png", PNG))

    return declare(institution, "本校申报"), declare(other_institution, "他校申报")


def test_queue_is_scoped_to_the_officers_institution(client, queued, officer, other_institution, rules):
    mine, theirs = queued
    assert list(review_queue_outcomes(user=officer)) == [mine]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        review_queue_outcomes(user=officer, institution_id=other_institution.pk)
    mfa_enable(officer)
    client.force_login(officer)
    page = client.get("/credits/staff/").content.decode()
    assert "本校申报" in page and "他校申报" not in page
    assert client.get(f"/credits/staff/outcomes/{theirs.pk}/").status_code == 403
    response = client.post(f"/credits/staff/outcomes/{theirs.pk}/", {"action": "certify"})
    assert response.status_code == 403
    # bulk approve including another institution's item: refused, nothing certified
    client.post("/credits/staff/", {"action": "approve", "outcome": [mine.pk, theirs.pk], "reason": "批量"})
    theirs.refresh_from_db()
    assert theirs.status == OutcomeStatus.SUBMITTED
    # bulk approve own items with one reason
    client.post("/credits/staff/", {"action": "approve", "outcome": [mine.pk], "reason": "核对无误"})
    mine.refresh_from_db()
    assert mine.status == OutcomeStatus.CERTIFIED and mine.reason == "核对无误"
    audit = client.get("/credits/staff/audit/").content.decode()
    assert "credits.outcome.certify" in audit and "核对无误" in audit


def test_learners_and_teachers_are_kept_out_of_staff_pages(client, learner_user, institution):
    from tests.factories import staff_user

    client.force_login(learner_user)
    assert client.get("/credits/staff/").status_code == 403
    client.force_login(staff_user(institution=institution))  # a teacher
    assert client.get("/credits/staff/").status_code == 403


def test_reject_with_reason_and_learner_sees_it(client, queued, officer, learner_user):
    mine, _ = queued
    mfa_enable(officer)
    client.force_login(officer)
    client.post(f"/credits/staff/outcomes/{mine.pk}/", {"action": "reject", "reason": "证书照片不清晰"})
    mine.refresh_from_db()
    assert mine.status == OutcomeStatus.REJECTED
    client.force_login(learner_user)
    page = client.get("/credits/").content.decode()
    assert "证书照片不清晰" in page and "未通过" in page


def test_conversion_flow_over_http(client, learner_user, officer, make_record, learner, rules, institution,
                                   certificate):
    from credits.models import ConversionRule

    rule = ConversionRule.objects.create(
        institution=institution, programme_code="P", programme_name="老年保健与管理", course_code="C1",
        course_name="老年照护实务", credits=Decimal("4"), outcome_type="x_certificate", certificate=certificate)
    outcome = make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                          certificate_id=certificate.pk, cert_level="junior").outcomes.get()
    client.force_login(learner_user)
    page = client.get("/credits/apply/").content.decode()
    assert "老年照护实务" in page
    response = client.post("/credits/apply/", {"pair": f"{outcome.pk}:{rule.pk}"})
    assert response.status_code == 302
    app_url = response["Location"]
    mfa_enable(officer)
    client.force_login(officer)
    staff_url = app_url.replace("/credits/applications/", "/credits/staff/applications/")
    client.post(staff_url, {"action": "approve", "reason": "同意免修"})
    client.post(staff_url, {"action": "apply"})
    client.force_login(learner_user)
    page = client.get(app_url).content.decode()
    for step in ("已提交", "审核中", "已同意", "已登记免修", "同意免修"):
        assert step in page
    other = LearnerFactory()
    assert other.pk  # someone else cannot see the application
    client.force_login(UserFactory())
    assert client.get(app_url).status_code == 403


def test_rules_page_adds_versions_and_conversion_rules(client, officer, rules, institution):
    from django.utils import timezone

    from credits.models import ConversionRule, ValuationRule
    from tests.factories import bureau_admin

    admin = bureau_admin()  # valuation rules are the bureau's (tests/security for the refusals)
    mfa_enable(admin)
    client.force_login(admin)
    assert client.get("/credits/staff/rules/").status_code == 200
    client.post("/credits/staff/rules/", {"form": "revise", "rule": rules[0].pk,
                                          "valid_from": timezone.localdate().isoformat(), "hours_per_credit": "18"})
    assert ValuationRule.objects.filter(code="hours").count() == 2
    mfa_enable(officer)
    client.force_login(officer)
    assert client.get("/credits/staff/rules/").status_code == 200
    client.post("/credits/staff/rules/", {
        "form": "conversion", "institution": institution.pk, "programme_code": "P", "programme_name": "专业",
        "course_code": "C", "course_name": "课程", "credits": "2", "mode": "exempt_class",
        "outcome_type": "community", "min_credits": "0"})
    assert ConversionRule.objects.filter(institution=institution).count() == 1


def test_account_summary_for_user(learner_user, make_record, learner, rules):
    from credits.selectors import account_summary_for_user

    assert account_summary_for_user(user=UserFactory()) is None
    make_record(learner=learner)
    summary = account_summary_for_user(user=learner_user)
    assert summary["balance"] == Decimal("2") and summary["certified"] == 1

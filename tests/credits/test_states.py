"""State machines of outcomes and conversion applications: allowed and refused transitions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from credits import services
from credits.models import ApplicationStatus, ConversionRule, LedgerEntry, Outcome, OutcomeStatus
from credits.services import TransitionError


def _declaration(user, institution, **kw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.declaration_submit(
        user=user, outcome_type=kw.pop("outcome_type", "training"), title=kw.pop("title", "急救培训"),
        institution_id=institution.pk, date=datetime.date(2025, 3, 1), hours=Decimal("32"),
        evidence=SimpleUploadedFile("证书.pdf", b"%PDF-1.4 test", content_type="application/pdf"), **kw)


def test_outcome_happy_path_and_refusals(learner_user, institution, officer, rules):
    outcome = _declaration(learner_user, institution)
    assert outcome.status == OutcomeStatus.SUBMITTED and not outcome.entries.exists()
    outcome = services.outcome_start_review(actor=officer, outcome=outcome)
    with pytest.raises(TransitionError):
        services.outcome_start_review(actor=officer, outcome=outcome)
    with pytest.raises(TransitionError):
        services.outcome_revoke(actor=officer, outcome=outcome, reason="x")
    outcome = services.outcome_certify(actor=officer, outcome=outcome, reason="证书真实")
    assert outcome.status == OutcomeStatus.CERTIFIED and outcome.credits == Decimal("2")
    with pytest.raises(TransitionError):
        services.outcome_certify(actor=officer, outcome=outcome)
    with pytest.raises(TransitionError):
        services.outcome_reject(actor=officer, outcome=outcome, reason="x")
    with pytest.raises(ValidationError):
        services.outcome_revoke(actor=officer, outcome=outcome, reason=" ")
    outcome = services.outcome_revoke(actor=officer, outcome=outcome, reason="证书造假")
    kinds = list(outcome.entries.order_by("seq").values_list("kind", "credits"))
    assert kinds == [("deposit", Decimal("2.0")), ("reversal", Decimal("-2.0"))]
    for action in (services.outcome_certify, services.outcome_start_review):
        with pytest.raises(TransitionError):
            action(actor=officer, outcome=outcome)
    outcome.account.refresh_from_db()
    assert outcome.account.balance == 0


def test_rejected_is_final_and_needs_a_reason(learner_user, institution, officer):
    outcome = _declaration(learner_user, institution)
    with pytest.raises(ValidationError):
        services.outcome_reject(actor=officer, outcome=outcome, reason="")
    outcome = services.outcome_reject(actor=officer, outcome=outcome, reason="材料不清晰")
    with pytest.raises(TransitionError):
        services.outcome_certify(actor=officer, outcome=outcome)
    assert not LedgerEntry.objects.exists()


def test_staff_actions_are_audited(learner_user, institution, officer):
    from bianxue.accounts.models import AuditEntry

    outcome = _declaration(learner_user, institution)
    services.outcome_certify(actor=officer, outcome=outcome, reason="核对原件")
    entry = AuditEntry.objects.get(action="credits.outcome.certify")
    assert (entry.actor, entry.institution_id, entry.reason, entry.object_id) == (
        officer, institution.pk, "核对原件", str(outcome.pk))


def test_other_institution_officer_refused(learner_user, institution, other_officer, learner):
    outcome = _declaration(learner_user, institution)
    for action in (services.outcome_certify, services.outcome_start_review):
        with pytest.raises(PermissionDenied):
            action(actor=other_officer, outcome=outcome)
    with pytest.raises(PermissionDenied):
        services.outcome_reject(actor=other_officer, outcome=outcome, reason="x")
    with pytest.raises(PermissionDenied):
        services.outcome_certify(actor=learner_user, outcome=outcome)  # the learner cannot certify themself
    assert Outcome.objects.get(pk=outcome.pk).status == OutcomeStatus.SUBMITTED


@pytest.fixture
def conversion(institution, certificate, make_record, learner, rules):
    rule = ConversionRule.objects.create(
        institution=institution, programme_code="P", programme_name="老年保健与管理", programme_credits=Decimal("20"),
        share_cap_percent=40, course_code="C1", course_name="老年照护实务", credits=Decimal("4"),
        outcome_type="x_certificate", certificate=certificate, min_level="junior")
    rule2 = ConversionRule.objects.create(
        institution=institution, programme_code="P", programme_name="老年保健与管理", programme_credits=Decimal("20"),
        share_cap_percent=40, course_code="C2", course_name="护理基础", credits=Decimal("6"),
        outcome_type="x_certificate", certificate=certificate, min_level="junior")
    outcome = make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                          certificate_id=certificate.pk, cert_level="intermediate").outcomes.get()
    return rule, rule2, outcome


def test_application_walks_every_step_with_notifications(conversion, learner_user, officer):
    from bianxue.accounts.sms import outbox  # noqa: F401
    from bianxue.notifications.models import Notification

    from credits.selectors import conversion_suggestions

    rule, rule2, outcome = conversion
    suggestions = conversion_suggestions(account=outcome.account)
    assert {(s["outcome"].pk, s["rule"].pk) for s in suggestions} == {(outcome.pk, rule.pk), (outcome.pk, rule2.pk)}
    app = services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                                 programme_code="P", items=[(outcome.pk, rule.pk)])
    assert conversion_suggestions(account=outcome.account) == []  # the outcome is now in use
    with pytest.raises(TransitionError):
        services.conversion_application_apply(actor=officer, application=app)
    app = services.conversion_application_start_review(actor=officer, application=app)
    app = services.conversion_application_approve(actor=officer, application=app, reason="符合规则")
    with pytest.raises(TransitionError):
        services.conversion_application_reject(actor=officer, application=app, reason="x")
    app = services.conversion_application_apply(actor=officer, application=app)
    assert app.status == ApplicationStatus.APPLIED
    assert list(app.steps.values_list("status", flat=True)) == ["submitted", "under_review", "approved", "applied"]
    assert Notification.objects.filter(user=learner_user).count() >= 4
    entry = LedgerEntry.objects.get(kind="conversion")
    assert entry.credits == Decimal("4") and entry.application == app
    outcome.account.refresh_from_db()
    assert outcome.account.balance == Decimal("4")  # a conversion does not spend banked credits


def test_one_outcome_one_course_and_share_cap(conversion, learner_user, officer):
    rule, rule2, outcome = conversion
    with pytest.raises(ValidationError):  # the same outcome for two courses
        services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                               programme_code="P", items=[(outcome.pk, rule.pk), (outcome.pk, rule2.pk)])
    with pytest.raises(ValidationError):  # 6 credits > 40 % of 20 = 8? no: fits; 4+6 would not
        services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                               programme_code="P", items=[(outcome.pk, 999999)])
    app = services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                                 programme_code="P", items=[(outcome.pk, rule2.pk)])
    with pytest.raises(ValidationError):  # already used by a pending application
        services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                               programme_code="P", items=[(outcome.pk, rule.pk)])
    services.conversion_application_reject(actor=officer, application=app, reason="材料不全")
    # rejected: the outcome is free again
    services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                           programme_code="P", items=[(outcome.pk, rule.pk)])


def test_share_cap_refuses(conversion, learner_user, make_record, learner, certificate):
    rule, rule2, outcome = conversion
    ConversionRule.objects.filter(pk=rule2.pk).update(credits=Decimal("9"))
    with pytest.raises(ValidationError, match="40%"):
        services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                               programme_code="P", items=[(outcome.pk, rule2.pk)])


def test_other_officer_cannot_decide(conversion, learner_user, other_officer):
    rule, _rule2, outcome = conversion
    app = services.conversion_application_submit(user=learner_user, institution_id=rule.institution_id,
                                                 programme_code="P", items=[(outcome.pk, rule.pk)])
    with pytest.raises(PermissionDenied):
        services.conversion_application_approve(actor=other_officer, application=app)


def test_share_cap_message_speaks_only_the_active_language(conversion, learner_user):
    rule, rule2, outcome = conversion
    ConversionRule.objects.filter(pk=rule2.pk).update(credits=Decimal("9"))
    submit = dict(user=learner_user, institution_id=rule.institution_id, programme_code="P", items=[(outcome.pk, rule2.pk)])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.conversion_application_submit(**submit)
    message = exc.value.messages[0]
    assert message.startswith("转换学分不能超过专业总学分的 40%（") and message.endswith(" 学分）。")
    assert not re.search(r"[A-Za-z]", message)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.conversion_application_submit(**submit)
    message = exc.value.messages[0]
    assert message.startswith("Converted credits may not exceed 40% of the programme (")
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", message)

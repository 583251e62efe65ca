"""Four eyes (issue 10, scenario 2): nobody certifies, approves, applies or converts an outcome or application
where they are the learner, or that they entered or declared themselves. The rule lives in the services
(credits/services/four_eyes.py), so every door obeys; docs/trust.md explains it.

Scenario × door matrix (every cell a test or a named "not applicable"):

| scenario                                   | staff page                                                   | bulk action                                              | CMS admin (Wagtail)                                   | command                                                   |
|--------------------------------------------|--------------------------------------------------------------|----------------------------------------------------------|-------------------------------------------------------|-----------------------------------------------------------|
| officer decides on own declaration         | test_officer_cannot_certify_own_declaration_on_outcome_page   | test_bulk_approve_with_own_declaration_refuses_all       | n/a: no outcome view or action in the CMS admin         | n/a: no command certifies, rejects or revokes outcomes     |
| officer decides on outcome they entered    | test_officer_cannot_certify_outcome_they_entered             | (same check as the row above: four_eyes.outcomes_require_four_eyes) | n/a: as above                                   | n/a: as above                                              |
| officer approves/applies own conversion    | test_officer_cannot_approve_own_conversion_application       | n/a: applications have no bulk action                    | n/a: no application view in the CMS admin             | n/a: no command decides applications                      |
| own record certified on arrival            | test_own_record_entered_by_learner_waits_in_queue (service seam of the pages that enter records) | n/a: arrival, not a decision | n/a | test_import_command_does_not_certify_the_actors_own_records |
| legitimate: a colleague approves           | test_colleague_approves_an_officers_declaration              | test_colleague_bulk_approves_an_officers_declaration     |                                                       |                                                           |
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from credits.models import LedgerEntry, Outcome, OutcomeStatus
from tests.factories import LearnerFactory
from tests.security.conftest import LANGUAGES, declare, in_language, ledger_state

OWN_ZH = "不能审核本人的成果，也不能审核自己录入或申报的成果"
OWN_EN = "You cannot review your own outcome, or one you entered or declared yourself"
MESSAGES = {"zh-hans": OWN_ZH, "en": OWN_EN}


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_certify_own_declaration_on_outcome_page(client, officer, institution, rules, language):
    own = declare(officer, institution)
    assert own.entered_by == officer and own.status == OutcomeStatus.SUBMITTED  # it waits in the queue
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    for action in ("certify", "review", "reject"):
        response = client.post(f"/credits/staff/outcomes/{own.pk}/", {"action": action, "reason": "本人审核"})
        assert response.status_code == 403
        assert MESSAGES[language] in response.content.decode()
    assert ledger_state() == before
    page = client.get(f"/credits/staff/outcomes/{own.pk}/").content.decode()
    assert 'value="certify"' not in page  # the page offers no decision on one's own case


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_certify_outcome_they_entered(client, officer, institution, rules, language):
    """An outcome the officer entered for someone else (a record handed over with the officer as actor, certified
    on arrival at their accredited institution) is decided by another officer: here, its revocation. (Outcomes
    outside accreditation go to the bureau's queue: tests/security/test_accreditation.py.)"""
    from credits.records.services import record_upsert

    record, _status = record_upsert(
        institution_id=institution.pk, record_id="ENTERED-1", kind="training", learner=LearnerFactory(),
        programme_code="P1", programme_name="电工培训", category="vocational", date=datetime.date(2026, 3, 1),
        result="completed", hours=Decimal("32"), actor=officer)
    entered = record.outcomes.get()
    assert entered.entered_by == officer and entered.status == OutcomeStatus.CERTIFIED
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    response = client.post(f"/credits/staff/outcomes/{entered.pk}/", {"action": "revoke", "reason": "录入有误"})
    assert response.status_code == 403 and MESSAGES[language] in response.content.decode()
    assert ledger_state() == before
    assert "认定员甲" in client.get(f"/credits/staff/outcomes/{entered.pk}/").content.decode() or language == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_bulk_approve_with_own_declaration_refuses_all(client, officer, colleague, institution, rules, language):
    """All or nothing: a queue selection holding one's own declaration certifies none of it."""
    theirs, own = declare(colleague, institution, title="同事的申报"), declare(officer, institution)
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    response = client.post("/credits/staff/", {"action": "approve", "outcome": [theirs.pk, own.pk], "reason": "批量"})
    assert response.status_code == 403
    expected = {"zh-hans": "所选成果中有 1 项是您本人的或由您录入、申报的",
                "en": "1 of the selected outcomes are your own or were entered or declared by you"}[language]
    assert expected in response.content.decode()
    response = client.post("/credits/staff/", {"action": "reject", "outcome": [theirs.pk, own.pk], "reason": "批量"})
    assert response.status_code == 403
    assert ledger_state() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_approve_own_conversion_application(client, officer, institution, rules, language):
    from credits.models import ConversionRule
    from credits.records.services import record_upsert
    from credits.services import conversion_application_submit

    record, _ = record_upsert(
        institution_id=institution.pk, record_id="OWN-1", kind="training", learner=officer.learner,
        programme_code="P1", programme_name="社区课程", category="community", date=datetime.date(2026, 3, 1),
        result="completed", hours=Decimal("32"))
    outcome = record.outcomes.get()
    assert outcome.status == OutcomeStatus.CERTIFIED  # a platform fact, entered by nobody
    rule = ConversionRule.objects.create(
        institution=institution, programme_code="P", programme_name="社区管理", course_code="C1", course_name="社区概论",
        credits=Decimal("2"), outcome_type="community")
    application = conversion_application_submit(user=officer, institution_id=institution.pk, programme_code="P",
                                                 items=[(outcome.pk, rule.pk)])
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    expected = {"zh-hans": "不能处理本人的转换申请",
                "en": "You cannot decide on your own conversion application"}[language]
    for action in ("approve", "apply", "review"):
        response = client.post(f"/credits/staff/applications/{application.pk}/", {"action": action, "reason": "同意"})
        assert response.status_code == 403 and expected in response.content.decode()
    assert ledger_state() == before


def test_own_record_entered_by_learner_waits_in_queue(officer, institution, rules):
    """A record whose entering user is its own learner (a teacher entering their own exam result, say) is not
    certified on arrival, even at an accredited institution; someone else's record entered by them is."""
    from credits.records.services import record_upsert

    common = {"institution_id": institution.pk, "kind": "training", "programme_code": "P1", "category": "vocational",
              "date": datetime.date(2026, 3, 1), "result": "completed", "hours": Decimal("32"), "actor": officer}
    own, _ = record_upsert(record_id="SELF-1", learner=officer.learner, **common)
    other, _ = record_upsert(record_id="OTHER-1", learner=LearnerFactory(), **common)
    assert own.outcomes.get().status == OutcomeStatus.SUBMITTED
    assert not LedgerEntry.objects.filter(outcome__record=own).exists()
    assert other.outcomes.get().status == OutcomeStatus.CERTIFIED


def test_import_command_does_not_certify_the_actors_own_records(tmp_path, bureau, districts):
    """The import command's actor is kept as who entered the outcomes; their own records wait in the queue."""
    from bianxue.people.services import learner_get_or_create

    from tests.credits.records.factories import ID_B, base_files, write_folder

    me = learner_get_or_create(identifier=ID_B, name="李四")
    me.user = bureau
    me.save(update_fields=["user"])
    folder = write_folder(tmp_path / "sub", base_files())
    call_command("import_records", str(folder), "--user", bureau.email)
    mine = Outcome.objects.filter(account__learner=me)
    others = Outcome.objects.exclude(account__learner=me)
    assert mine.count() == 2 and others.count() == 1
    assert set(mine.values_list("status", flat=True)) == {OutcomeStatus.SUBMITTED}
    assert not LedgerEntry.objects.filter(outcome__in=mine).exists()
    assert others.get().status == OutcomeStatus.CERTIFIED
    assert set(Outcome.objects.values_list("entered_by", flat=True)) == {bureau.pk}


def test_colleague_approves_an_officers_declaration(client, officer, colleague, institution, rules):
    """The legitimate flow: another officer of the same institution certifies the officer's declaration."""
    own = declare(officer, institution)
    client.force_login(colleague)
    response = client.post(f"/credits/staff/outcomes/{own.pk}/", {"action": "certify", "reason": "核对无误"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == OutcomeStatus.CERTIFIED and own.credits == Decimal("10")
    assert officer.learner.credit_account.entries.get().credits == Decimal("10")
    page = client.get(f"/credits/staff/outcomes/{own.pk}/").content.decode()
    assert "认定员甲" in page and "个人申报" in page  # who entered it, and how


def test_colleague_bulk_approves_an_officers_declaration(client, officer, colleague, institution, rules):
    own = declare(officer, institution)
    client.force_login(colleague)
    response = client.post("/credits/staff/", {"action": "approve", "outcome": [own.pk], "reason": "核对无误"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == OutcomeStatus.CERTIFIED


def test_teacher_scanning_their_own_attendance_code_is_not_certified(rules):
    """A teacher who is also enrolled scans their own personal code (the staff door for attendance): the record
    is kept, but its outcome waits for someone else; a learner's attendance scanned by the teacher certifies."""
    import datetime as dt

    from django.utils import timezone

    from courses import services as course_services
    from courses.models import Session
    from courses.services import catalog_setup
    from credits.records.models import LearningRecord
    from tests.courses.factories import create_course
    from tests.factories import UserFactory, staff_user

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, mode="offline", lessons=[], category="community")
    teacher = staff_user(institution=course.provider)
    resident = UserFactory()
    start = timezone.now() - dt.timedelta(minutes=10)
    session = Session.objects.create(course=course, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    for user in (teacher, resident):
        course_services.enrolment_create(user=user, course=course)
        code = course_services.personal_code_make(user=user, session=session)
        course_services.attendance_by_personal_code(user=teacher, code=code)
    own = LearningRecord.objects.get(record_id=f"att-{course.pk}-{teacher.learner.pk}")
    other = LearningRecord.objects.get(record_id=f"att-{course.pk}-{resident.learner.pk}")
    assert own.outcomes.get().status == OutcomeStatus.SUBMITTED and own.outcomes.get().entered_by == teacher
    assert not LedgerEntry.objects.filter(outcome__record=own).exists()
    assert other.outcomes.get().status == OutcomeStatus.CERTIFIED

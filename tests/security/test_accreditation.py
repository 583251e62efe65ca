"""Accreditation and provenance (issue 10, scenarios 3 and 7, exam part): 1+X exam sittings only at exam sites
(考核站点) registered by the bureau, results only for candidates registered for the sitting, exam results from a
non-site import wait for the bureau, outcomes outside accreditation go to the bureau's queue (never a colleague's),
and only the bureau changes accreditation. The rules live in credits/services (accreditation.py, routing.py) and
courses/services (exams.py, registrations.py); docs/trust.md explains them.

Scenario × door matrix (every cell a test or a named "not applicable"):

| scenario | staff page | bulk action | CMS admin (Wagtail) | command |
|---|---|---|---|---|
| teacher of a non-site institution creates a sitting | test_teacher_of_non_site_cannot_create_exam_sitting | n/a: sittings have no bulk action | n/a: exam sittings are not in the CMS admin (courses/wagtail_hooks.py registers pages only) | n/a: no command schedules sittings |
| results for unregistered candidates | test_result_for_unregistered_candidate_is_refused | test_pasted_results_with_unregistered_candidate_save_nothing | n/a: results are not entered in the CMS admin | n/a: no command enters exam results (imports are records: next row) |
| exam results from a non-site import | test_upload_of_non_site_exam_results_waits_for_the_bureau | n/a: an import is one batch | n/a: imports are not in the CMS admin | test_import_command_non_site_exam_results_wait_for_the_bureau |
| outcome outside accreditation decided by a colleague | test_colleague_cannot_see_or_decide_outcome_outside_accreditation | test_colleague_bulk_approval_of_outcome_outside_accreditation_refused | n/a: no outcome view or action in the CMS admin | n/a: no command decides outcomes |
| officer changes accreditation | test_officer_cannot_change_accreditation_on_page | n/a: accreditation has no bulk action | test_officer_cannot_change_accreditation_in_cms_admin | n/a: no command changes accreditation |
| legitimate: the bureau; an exam site's teacher | test_bureau_registers_exam_site_on_page_and_in_cms | | test_bureau_registers_exam_site_on_page_and_in_cms | |
| legitimate: results for registered candidates at an exam site | test_teacher_at_exam_site_enters_results_for_registered_candidates | test_teacher_at_exam_site_enters_results_for_registered_candidates (pasted) | | |
"""

import datetime

import pytest
from bianxue.accounts.models import AuditEntry, Role
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from courses.models import ExamRegistration, ExamResult, ExamSession
from credits.models import Accreditation, LedgerEntry, Outcome, OutcomeStatus
from credits.records.models import LearningRecord
from tests.courses.factories import exam_candidate_register
from tests.factories import CertificateFactory, InstitutionFactory, exam_site_create, staff_user
from tests.security.conftest import LANGUAGES, in_language, ledger_state

NOT_A_SITE = {"zh-hans": "本机构不是该证书的考核站点",
              "en": "is not an exam site for this certificate"}
NOT_REGISTERED = {"zh-hans": "未报名本场考试：只能为已报名的考生登记成绩",
                  "en": "is not registered for this sitting: results are entered only for registered candidates"}
NOTHING_SAVED = {"zh-hans": "本次没有保存任何成绩", "en": "no result was saved"}
FOR_BUREAU = {"zh-hans": "不在录入机构的认证资质范围内，由教育局审核",
              "en": "accreditation: the bureau reviews"}
BUREAU_ONLY = {"zh-hans": "只有教育局管理员可以调整认证资质和考核站点",
               "en": "Only bureau administrators may change accreditation and exam sites"}
IMPORT_NOTICE = {"zh-hans": "已转教育局审核，未计入学分", "en": "review, no credits deposited"}
ID_1, ID_2 = "410221199003150021", "41020419881102003X"


@pytest.fixture
def web_cert(db):
    return CertificateFactory(code="X-WEB", name="Web前端开发")


@pytest.fixture
def elders_university(db):
    return InstitutionFactory(type="elderly_university", name="开封老年大学")


@pytest.fixture
def site(db, web_cert):
    school = InstitutionFactory(type="higher_vocational", name="开封大学")
    exam_site_create(institution=school, certificate=web_cert)
    return school


def _sitting(institution, certificate, *, days=0) -> ExamSession:
    return ExamSession.objects.create(institution=institution, certificate=certificate, cert_level="senior",
                                      date=timezone.localdate() + datetime.timedelta(days=days))


def _written() -> tuple:
    return (ExamSession.objects.count(), ExamResult.objects.count(), ExamRegistration.objects.count(),
            LearningRecord.objects.count(), ledger_state())


# --- scenario 3: a sitting only at an exam site ------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_teacher_of_non_site_cannot_create_exam_sitting(client, elders_university, web_cert, rules, language):
    """Issue 10: a teacher of 开封老年大学 created a senior Web前端开发 sitting, a certificate it has nothing to do
    with. The form offers no certificate it is not an exam site for; a forged POST is refused, nothing written."""
    teacher = staff_user(institution=elders_university)
    before = _written()
    client.force_login(teacher)
    in_language(client, language)
    assert web_cert.name not in client.get("/learn/staff/exam/new/").content.decode()
    response = client.post("/learn/staff/exam/new/", {
        "institution": elders_university.pk, "certificate": web_cert.pk, "cert_level": "senior",
        "date": timezone.localdate().isoformat(), "venue": "教室"})
    assert response.status_code == 200 and NOT_A_SITE[language] in response.content.decode()
    assert _written() == before


# --- scenario 7 (exam part): results only for registered candidates ----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_result_for_unregistered_candidate_is_refused(client, site, web_cert, rules, language):
    exam = _sitting(site, web_cert)
    teacher = staff_user(institution=site)
    before = _written()
    client.force_login(teacher)
    in_language(client, language)
    response = client.post(f"/learn/staff/exam/{exam.pk}/", {
        "identifier": ID_1, "name": "李春燕", "result": "passed", "certificate_no": "WEB-1"}, follow=True)
    assert NOT_REGISTERED[language] in response.content.decode()
    assert _written() == before
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pasted_results_with_unregistered_candidate_save_nothing(client, site, web_cert, rules, language):
    """All or nothing: one unregistered candidate in a pasted list saves none of it, and names the line."""
    exam = _sitting(site, web_cert)
    exam_candidate_register(exam, identifier=ID_1, name="李春燕")
    teacher = staff_user(institution=site)
    before = _written()
    client.force_login(teacher)
    in_language(client, language)
    text = f"证件号,姓名,结果,分数,证书编号\n{ID_1},李春燕,通过,90,WEB-1\n{ID_2},赵建国,通过,88,WEB-2\n"
    page = client.post(f"/learn/staff/exam/{exam.pk}/", {"bulk": text}, follow=True).content.decode()
    assert NOT_REGISTERED[language] in page and NOTHING_SAVED[language] in page
    assert ("第 3 行" if language == "zh-hans" else "Line 3") in page
    assert _written() == before


# --- exam results from a non-site import: the bureau's queue ------------------------------------------------


def _outside_exam_outcomes():
    return Outcome.objects.filter(type="x_certificate", accreditation_basis="outside")


def test_import_command_non_site_exam_results_wait_for_the_bureau(tmp_path, bureau, districts, rules, capsys):
    from tests.credits.records.factories import base_files, write_folder

    folder = write_folder(tmp_path / "sub", base_files())  # an exam result (R2) of a school that is no exam site
    call_command("import_records", str(folder))
    exam = _outside_exam_outcomes().get()
    assert exam.status == OutcomeStatus.SUBMITTED and not LedgerEntry.objects.filter(outcome=exam).exists()
    out = capsys.readouterr().out
    assert IMPORT_NOTICE["zh-hans"] in out and IMPORT_NOTICE["en"] in out  # the command speaks both
    # the training record of the same import is covered by the default accreditation
    assert Outcome.objects.filter(accreditation_basis="default", status=OutcomeStatus.CERTIFIED).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_upload_of_non_site_exam_results_waits_for_the_bureau(client, bureau, districts, rules, tmp_path, language):
    from credits.records.models import ImportBatch
    from tests.credits.records.factories import base_files, write_folder

    folder = write_folder(tmp_path / "up", base_files())
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(folder.iterdir())]
    client.force_login(bureau)
    in_language(client, language)
    client.post("/records/import/", {"files": uploads})
    batch = ImportBatch.objects.get()
    client.post(f"/records/import/{batch.pk}/")
    page = client.get(f"/records/import/{batch.pk}/").content.decode()
    assert IMPORT_NOTICE[language] in page
    exam = _outside_exam_outcomes().get()
    assert exam.status == OutcomeStatus.SUBMITTED and not LedgerEntry.objects.filter(outcome=exam).exists()


# --- outcomes outside accreditation: the bureau's queue, never a colleague's --------------------------------


@pytest.fixture
def outside_outcome(officer, institution, web_cert):
    """An exam result entered by a teacher of the officer's institution, which is no exam site for it."""
    from credits.records.services import record_upsert
    from tests.factories import LearnerFactory

    teacher = staff_user(institution=institution, display_name="录入老师")
    record, _ = record_upsert(
        institution_id=institution.pk, record_id="X-1", kind="exam", learner=LearnerFactory(), programme_code="X-WEB",
        programme_name="Web前端开发（高级）", category="x_certificate", date=datetime.date(2026, 3, 1), result="passed",
        certificate_id=web_cert.pk, cert_level="senior", certificate_no="WEB-9", actor=teacher)
    outcome = record.outcomes.get()
    assert outcome.status == OutcomeStatus.SUBMITTED and outcome.review_by_bureau
    return outcome


@pytest.mark.parametrize("language", LANGUAGES)
def test_colleague_cannot_see_or_decide_outcome_outside_accreditation(client, officer, outside_outcome, rules,
                                                                     language):
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    assert f"/credits/staff/outcomes/{outside_outcome.pk}/" not in client.get("/credits/staff/").content.decode()
    for method in (lambda url: client.get(url), lambda url: client.post(url, {"action": "certify"})):
        response = method(f"/credits/staff/outcomes/{outside_outcome.pk}/")
        assert response.status_code == 403 and FOR_BUREAU[language] in response.content.decode()
    assert ledger_state() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_colleague_bulk_approval_of_outcome_outside_accreditation_refused(client, officer, outside_outcome, rules,
                                                                         language):
    before = ledger_state()
    client.force_login(officer)
    in_language(client, language)
    response = client.post("/credits/staff/", {"action": "approve", "outcome": [outside_outcome.pk], "reason": "x"})
    assert response.status_code == 403 and FOR_BUREAU[language] in response.content.decode()
    assert ledger_state() == before


def test_bureau_decides_outcome_outside_accreditation(client, bureau, outside_outcome, rules):
    client.force_login(bureau)
    queue = client.get("/credits/staff/?queue=bureau").content.decode()
    assert f"/credits/staff/outcomes/{outside_outcome.pk}/" in queue
    page = client.get(f"/credits/staff/outcomes/{outside_outcome.pk}/").content.decode()
    assert "录入老师" in page and "未获认证，待教育局审核" in page  # who entered it, and the accreditation
    client.post(f"/credits/staff/outcomes/{outside_outcome.pk}/", {"action": "certify", "reason": "核对证书"})
    outside_outcome.refresh_from_db()
    assert outside_outcome.status == OutcomeStatus.CERTIFIED and outside_outcome.entries.get().credits == 6


# --- only the bureau changes accreditation ------------------------------------------------------------------


def _accreditation_post(institution, certificate) -> dict:
    return {"institution": institution.pk, "outcome_type": "x_certificate", "certificate": certificate.pk,
            "accredited": "1", "note": "自行登记"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_change_accreditation_on_page(client, officer, institution, web_cert, language):
    client.force_login(officer)
    in_language(client, language)
    response = client.post("/credits/staff/accreditations/", _accreditation_post(institution, web_cert))
    assert response.status_code == 403 and BUREAU_ONLY[language] in response.content.decode()
    assert not Accreditation.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_change_accreditation_in_cms_admin(client, officer, institution, web_cert, language):
    row = Accreditation.objects.create(institution=institution, outcome_type="", accredited=False, note="整改")
    client.force_login(officer)
    in_language(client, language)
    attacks = (
        lambda: client.get("/admin/snippets/credits/accreditation/add/"),
        lambda: client.post("/admin/snippets/credits/accreditation/add/", _accreditation_post(institution, web_cert)),
        lambda: client.post(f"/admin/snippets/credits/accreditation/edit/{row.pk}/", {
            "institution": institution.pk, "outcome_type": "", "certificate": "", "accredited": "on", "note": "x"}),
    )
    for attack in attacks:
        response = attack()
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert BUREAU_ONLY[language] in client.get("/admin/").content.decode()
    assert list(Accreditation.objects.values_list("pk", "accredited")) == [(row.pk, False)]


def test_bureau_registers_exam_site_on_page_and_in_cms(client, bureau, institution, web_cert):
    client.force_login(bureau)
    response = client.post("/credits/staff/accreditations/", _accreditation_post(institution, web_cert))
    assert response.status_code == 302
    row = Accreditation.objects.get()
    assert (row.outcome_type, row.certificate_id, row.accredited) == ("x_certificate", web_cert.pk, True)
    other = CertificateFactory(name="物流管理")
    response = client.post("/admin/snippets/credits/accreditation/add/", {
        **_accreditation_post(institution, other), "accredited": "on"})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert Accreditation.objects.filter(certificate=other, accredited=True).exists()
    assert AuditEntry.objects.filter(action="credits.accreditation.set", actor=bureau).count() == 2


# --- the legitimate flow --------------------------------------------------------------------------------------


def test_teacher_at_exam_site_enters_results_for_registered_candidates(client, site, web_cert, rules):
    """A teacher at an accredited exam site registers candidates, the sitting is held, results are entered
    (one, then pasted): the credits appear, with the exam site as the accreditation that let them through."""
    from bianxue.people.selectors import learner_get_by_identifier

    teacher = staff_user(institution=site, role=Role.TEACHER)
    client.force_login(teacher)
    response = client.post("/learn/staff/exam/new/", {
        "institution": site.pk, "certificate": web_cert.pk, "cert_level": "senior",
        "date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(), "venue": "实训楼"})
    exam = ExamSession.objects.get()
    assert response.status_code == 302
    for identifier, name in ((ID_1, "李春燕"), (ID_2, "赵建国")):
        client.post(f"/learn/staff/exam/{exam.pk}/", {"action": "register", "identifier": identifier, "name": name})
    assert exam.registrations.count() == 2
    ExamSession.objects.filter(pk=exam.pk).update(date=timezone.localdate())  # the day of the sitting
    client.post(f"/learn/staff/exam/{exam.pk}/", {"identifier": ID_1, "name": "李春燕", "result": "passed",
                                                  "certificate_no": "WEB-1"})
    client.post(f"/learn/staff/exam/{exam.pk}/", {"bulk": f"{ID_2},赵建国,通过,91,WEB-2"})
    page = client.get(f"/learn/staff/exam/{exam.pk}/").content.decode()
    assert "李春燕" in page and "WEB-2" in page
    for identifier in (ID_1, ID_2):
        outcome = Outcome.objects.get(account__learner=learner_get_by_identifier(identifier=identifier))
        assert outcome.status == OutcomeStatus.CERTIFIED and outcome.entries.get().credits == 6
        assert outcome.accreditation.certificate_id == web_cert.pk and outcome.entered_by == teacher

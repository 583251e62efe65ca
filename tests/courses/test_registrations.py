"""1+X exam registration: learners register on the site and cancel before the date; staff register candidates;
results only for registered candidates; sittings only at exam sites."""

import datetime

import pytest
from bianxue.accounts.models import AuditEntry, Role
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses import services
from courses.models import ExamRegistration, ExamSession
from tests.factories import CertificateFactory, InstitutionFactory, UserFactory, exam_site_create, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """The services' messages are matched in Chinese, whatever an earlier test of the worker activated."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def site_exam():
    school, cert = InstitutionFactory(type="higher_vocational"), CertificateFactory(name="老年照护")
    exam_site_create(institution=school, certificate=cert)
    return ExamSession.objects.create(institution=school, certificate=cert, cert_level="junior",
                                      date=timezone.localdate() + datetime.timedelta(days=10), venue="考点")


def test_learner_registers_and_cancels_on_the_site(client, site_exam):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/learn/exams/").content.decode()
    assert "老年照护" in page and f"/learn/exams/{site_exam.pk}/register/" in page
    client.post(f"/learn/exams/{site_exam.pk}/register/")
    client.post(f"/learn/exams/{site_exam.pk}/register/")  # twice is once
    registration = ExamRegistration.objects.get()
    assert registration.learner.user == user and registration.registered_by == user
    assert "取消报名" in client.get("/learn/exams/").content.decode()
    client.post(f"/learn/exams/registrations/{registration.pk}/cancel/")
    assert not ExamRegistration.objects.exists()
    assert AuditEntry.objects.filter(action="exam_registration.cancel").exists()


def test_registration_closes_the_day_before(client, site_exam):
    user = UserFactory()
    services.exam_registration_create(user=user, exam_session=site_exam)
    ExamSession.objects.filter(pk=site_exam.pk).update(date=timezone.localdate())  # the day of the sitting
    site_exam.refresh_from_db()
    with pytest.raises(ValidationError, match="报名已截止"):
        services.exam_registration_create(user=UserFactory(), exam_session=site_exam)
    with pytest.raises(ValidationError):
        services.exam_registration_cancel(user=user, registration=ExamRegistration.objects.get())
    assert site_exam.pk not in [s.pk for s in client.get("/learn/exams/").context["sittings"]]


def test_staff_register_candidates_of_their_institution_only(site_exam):
    teacher = staff_user(institution=site_exam.institution)
    outsider = staff_user(institution=InstitutionFactory())
    officer = staff_user(institution=site_exam.institution, role=Role.CREDIT_OFFICER)
    for user in (outsider, officer):
        with pytest.raises(PermissionDenied):
            services.exam_registration_by_staff(user=user, exam_session=site_exam, identifier="S1", name="甲")
    services.exam_registration_by_staff(user=teacher, exam_session=site_exam, identifier="S1", name="甲")
    with pytest.raises(ValidationError):  # the same ID under another name
        services.exam_registration_by_staff(user=teacher, exam_session=site_exam, identifier="S1", name="乙")
    assert site_exam.registrations.count() == 1


def test_results_only_for_registered_candidates_by_name(site_exam):
    from bianxue.people.models import Learner

    registrar = staff_user(institution=site_exam.institution, role=Role.REGISTRAR)
    services.exam_registration_by_staff(user=registrar, exam_session=site_exam, identifier="S1", name="甲")
    ExamSession.objects.filter(pk=site_exam.pk).update(date=timezone.localdate())
    site_exam.refresh_from_db()
    learners = Learner.objects.count()
    with pytest.raises(ValidationError, match="未报名本场考试"):
        services.exam_result_record(user=registrar, exam_session=site_exam, identifier="S2", name="乙",
                                    result="failed")
    with pytest.raises(ValidationError, match="姓名与报名信息不一致"):
        services.exam_result_record(user=registrar, exam_session=site_exam, identifier="S1", name="乙",
                                    result="failed")
    assert Learner.objects.count() == learners and not site_exam.results.exists()  # nothing created
    services.exam_result_record(user=registrar, exam_session=site_exam, identifier="S1", name="甲", result="failed")
    with pytest.raises(ValidationError):  # a candidate with a result stays registered
        services.exam_registration_cancel(user=registrar, registration=site_exam.registrations.get())


def test_sittings_only_at_exam_sites(site_exam):
    registrar = staff_user(institution=site_exam.institution, role=Role.REGISTRAR)
    other_cert = CertificateFactory(name="Web前端开发")
    with pytest.raises(ValidationError, match="考核站点"):
        services.exam_session_create(user=registrar, institution_id=site_exam.institution_id,
                                     certificate_id=other_cert.pk, cert_level="senior", date=timezone.localdate())
    with pytest.raises(ValidationError, match="考核站点"):
        services.exam_session_update(user=registrar, exam_session=site_exam, certificate_id=other_cert.pk)
    site_exam.refresh_from_db()
    assert site_exam.certificate_id != other_cert.pk and ExamSession.objects.count() == 1


def test_staff_exam_page_lists_candidates(client, site_exam, django_assert_max_num_queries):
    teacher = staff_user(institution=site_exam.institution)
    for n in range(5):
        services.exam_registration_by_staff(user=teacher, exam_session=site_exam, identifier=f"S{n}", name=f"考生{n}")
    client.force_login(teacher)
    client.get(f"/learn/staff/exam/{site_exam.pk}/")
    with django_assert_max_num_queries(20):
        page = client.get(f"/learn/staff/exam/{site_exam.pk}/").content.decode()
    assert all(f"考生{n}" in page for n in range(5)) and "为考生报名" in page


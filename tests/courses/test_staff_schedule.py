"""Staff pages that schedule, change and cancel offline sessions and 1+X exam sittings."""

import datetime

import pytest
from bianxue.accounts.models import AuditEntry, Role
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Attendance, ExamSession, Session
from tests.courses.factories import exam_candidate_register
from tests.factories import CertificateFactory, UserFactory, exam_site_create, staff_user

pytestmark = pytest.mark.django_db


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _later(days=3, hours=0):
    return (timezone.now() + datetime.timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def test_staff_create_edit_cancel_a_session_over_http(client, make_course):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    client.force_login(teacher)
    form = client.get(reverse("courses:staff_session_new"))
    assert form.status_code == 200 and course.title in form.content.decode()
    start = _later()
    response = client.post(reverse("courses:staff_session_new"), {
        "course": course.pk, "title": "第一课", "starts_at": _local(start),
        "ends_at": _local(start + datetime.timedelta(hours=2)), "venue": "鼓楼区老年大学 201 教室", "capacity": "30",
    })
    session = Session.objects.get(course=course)
    assert response.status_code == 302 and response.url == reverse("courses:staff_session", args=[session.pk])
    assert (session.title, session.capacity, session.starts_at) == ("第一课", 30, start)
    assert AuditEntry.objects.filter(action="session.create", object_id=str(session.pk)).exists()

    edit = reverse("courses:staff_session_edit", args=[session.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "第一课", "starts_at": _local(start + datetime.timedelta(days=1)),
                       "ends_at": _local(start + datetime.timedelta(days=1, hours=2)), "venue": "202 教室",
                       "capacity": ""})
    session.refresh_from_db()
    assert (session.venue, session.capacity, session.starts_at) == ("202 教室", None, start + datetime.timedelta(days=1))

    # a bad time range is a form error, nothing changes
    bad = client.post(edit, {"starts_at": _local(start), "ends_at": _local(start - datetime.timedelta(hours=1))})
    assert bad.status_code == 200 and bad.context["form"].errors["ends_at"]

    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    assert course.title in client.get(course.url).content.decode()
    client.post(reverse("courses:staff_session_cancel", args=[session.pk]), {"reason": ""})
    session.refresh_from_db()
    assert session.cancelled_at is None  # a reason is required
    client.post(reverse("courses:staff_session_cancel", args=[session.pk]), {"reason": "老师生病"})
    session.refresh_from_db()
    assert session.is_cancelled and session.cancel_reason == "老师生病"
    assert AuditEntry.objects.filter(action="session.cancel", reason="老师生病").exists()
    # learners no longer see it
    client.force_login(learner)
    assert client.get("/learn/me/").context["sessions"] == []
    assert client.get(course.url).context["upcoming_sessions"] == []


def test_my_learning_leads_to_typing_the_class_code_when_a_session_is_ahead(client, make_course):
    course = make_course(mode="offline", lessons=[])
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert reverse("courses:attend_code") not in client.get("/learn/me/").content.decode()  # nothing to attend
    start = _later()
    Session.objects.create(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    assert reverse("courses:attend_code") in client.get("/learn/me/").content.decode()


def test_other_institution_is_refused_over_http(client, make_course):
    mine, theirs = make_course(mode="offline", lessons=[]), make_course(mode="offline", lessons=[])
    start = _later()
    their_session = Session.objects.create(course=theirs, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    their_exam = ExamSession.objects.create(institution=theirs.provider, certificate=CertificateFactory(),
                                            cert_level="junior", date=timezone.localdate())
    teacher = staff_user(institution=mine.provider)
    client.force_login(teacher)
    # their course is not offered in the form, and a forged POST is refused
    form = client.get(reverse("courses:staff_session_new")).content.decode()
    assert mine.title in form and theirs.title not in form
    forged = client.post(reverse("courses:staff_session_new"), {
        "course": theirs.pk, "starts_at": _local(start), "ends_at": _local(start + datetime.timedelta(hours=1))})
    assert forged.status_code == 200 and forged.context["form"].errors["course"]
    assert not Session.objects.filter(course=theirs).exclude(pk=their_session.pk).exists()
    for url in (reverse("courses:staff_session_edit", args=[their_session.pk]),
                reverse("courses:staff_session", args=[their_session.pk]),
                reverse("courses:staff_exam_edit", args=[their_exam.pk]),
                reverse("courses:staff_exam", args=[their_exam.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("courses:staff_session_edit", args=[their_session.pk]), {
        "starts_at": _local(start), "ends_at": _local(start + datetime.timedelta(hours=3)), "venue": "x"}
    ).status_code == 403
    assert client.post(reverse("courses:staff_session_cancel", args=[their_session.pk]),
                       {"reason": "x"}).status_code == 403
    assert client.post(reverse("courses:staff_exam_cancel", args=[their_exam.pk]), {"reason": "x"}).status_code == 403
    forged_exam = client.post(reverse("courses:staff_exam_new"), {
        "institution": theirs.provider.pk, "certificate": their_exam.certificate_id, "cert_level": "junior",
        "date": "2030-01-01"})
    assert forged_exam.status_code == 200 and forged_exam.context["form"].errors["institution"]
    their_session.refresh_from_db()
    their_exam.refresh_from_db()
    assert their_session.venue == "" and not their_session.is_cancelled and not their_exam.is_cancelled
    # learners and anonymous visitors have no staff pages at all
    client.force_login(UserFactory())
    assert client.get(reverse("courses:staff_session_new")).status_code == 403
    assert client.get(reverse("courses:staff_exam_new")).status_code == 403
    client.logout()
    assert client.get(reverse("courses:staff_session_new")).status_code == 302


def test_services_refuse_other_institutions_and_credit_officers(make_course):
    course = make_course(mode="offline", lessons=[])
    start = _later()
    outsider = staff_user(institution=make_course().provider)
    officer = staff_user(institution=course.provider, role=Role.CREDIT_OFFICER)
    for user in (outsider, officer, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.session_create(user=user, course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        with pytest.raises(PermissionDenied):
            services.exam_session_create(user=user, institution_id=course.provider_id,
                                         certificate_id=CertificateFactory().pk, cert_level="junior",
                                         date=timezone.localdate())
    registrar = staff_user(institution=course.provider, role=Role.REGISTRAR)
    session = services.session_create(user=registrar, course=course, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=1), capacity=2)
    with pytest.raises(PermissionDenied):
        services.session_update(user=outsider, session=session, venue="x")
    with pytest.raises(PermissionDenied):
        services.session_cancel(user=outsider, session=session, reason="x")
    with pytest.raises(ValidationError):
        services.session_update(user=registrar, session=session, course=make_course())  # the course is fixed


def test_session_capacity_and_cancel_rules(make_course):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    now = timezone.now()
    session = services.session_create(user=teacher, course=course, starts_at=now,
                                      ends_at=now + datetime.timedelta(hours=1), capacity=1)
    code = services.session_code_make(user=teacher, session=session)
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        services.enrolment_create(user=user, course=course)
    services.attendance_by_session_code(user=first, code=code)
    services.attendance_by_session_code(user=first, code=code)  # scanning twice is fine
    with pytest.raises(ValidationError, match="座位已满"):
        services.attendance_by_session_code(user=second, code=code)
    # staff may still add a learner beyond the seats
    services.attendance_correct(user=teacher, session=session, learner=second.learner, present=True, reason="加座")
    assert Attendance.objects.filter(session=session, present=True).count() == 2
    # attended: time and cancellation are locked, venue may change
    with pytest.raises(ValidationError):
        services.session_update(user=teacher, session=session, starts_at=now - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.session_cancel(user=teacher, session=session, reason="停电")
    services.session_update(user=teacher, session=session, venue="另一间教室")
    # a cancelled session takes no attendance
    later = services.session_create(user=teacher, course=course, starts_at=now,
                                    ends_at=now + datetime.timedelta(hours=2))
    services.session_cancel(user=teacher, session=later, reason="停电")
    with pytest.raises(ValidationError, match="已取消"):
        services.attendance_by_session_code(user=first, code=services.session_code_make(user=teacher, session=later))
    with pytest.raises(ValidationError):
        services.attendance_correct(user=teacher, session=later, learner=first.learner, present=True, reason="x")
    with pytest.raises(ValidationError):
        services.session_update(user=teacher, session=later, venue="x")


def test_staff_exam_sessions_over_http(client, make_course):
    course = make_course(category="x_certificate", certificate=CertificateFactory(), cert_level="junior")
    cert = CertificateFactory()
    exam_site_create(institution=course.provider, certificate=cert)
    registrar = staff_user(institution=course.provider, role=Role.REGISTRAR)
    client.force_login(registrar)
    assert client.get(reverse("courses:staff_exam_new")).status_code == 200
    today = timezone.localdate()
    response = client.post(reverse("courses:staff_exam_new"), {
        "institution": course.provider.pk, "certificate": cert.pk, "cert_level": "intermediate",
        "date": today.isoformat(), "venue": "实训楼"})
    exam = ExamSession.objects.get(institution=course.provider)
    assert response.url == reverse("courses:staff_exam", args=[exam.pk])
    assert (exam.certificate_id, exam.cert_level, exam.venue) == (cert.pk, "intermediate", "实训楼")
    edit = reverse("courses:staff_exam_edit", args=[exam.pk])
    client.post(edit, {"certificate": cert.pk, "cert_level": "senior", "date": today.isoformat(), "venue": "A"})
    exam.refresh_from_db()
    assert (exam.cert_level, exam.venue) == ("senior", "A")
    exam_candidate_register(exam, identifier="410102199001011234", name="张三")
    services.exam_result_record(user=registrar, exam_session=exam, identifier="410102199001011234", name="张三",
                                result="passed", certificate_no="X-1")
    # with results, only the venue may change, and the sitting cannot be cancelled
    refused = client.post(edit, {"certificate": cert.pk, "cert_level": "junior", "date": today.isoformat(),
                                 "venue": "B"})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    client.post(edit, {"certificate": cert.pk, "cert_level": "senior", "date": today.isoformat(), "venue": "B"})
    client.post(reverse("courses:staff_exam_cancel", args=[exam.pk]), {"reason": "x"})
    exam.refresh_from_db()
    assert (exam.cert_level, exam.venue, exam.is_cancelled) == ("senior", "B", False)
    # a sitting without results can be cancelled, and then takes no results
    other = services.exam_session_create(user=registrar, institution_id=course.provider_id, certificate_id=cert.pk,
                                         cert_level="junior", date=today)
    client.post(reverse("courses:staff_exam_cancel", args=[other.pk]), {"reason": "报名不足"})
    other.refresh_from_db()
    assert other.is_cancelled
    with pytest.raises(ValidationError):
        services.exam_result_record(user=registrar, exam_session=other, identifier="410102199001011234",
                                    name="张三", result="failed")
    assert "已取消" in client.get(reverse("courses:staff")).content.decode()

"""Staff tools of /learn/staff/: rosters per learner (xlsx), names instead of phone numbers, the class QR code full
screen with a short code to type, the teacher-scan page naming the learner."""

import datetime
import io

import pytest
from bianxue.accounts.models import AuditEntry, Role
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Attendance, Session
from tests.courses.factories import lesson
from tests.factories import InstitutionFactory, UserFactory, bureau_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _session(course, *, minutes_ago=10, hours=1):
    start = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Session.objects.create(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=hours))


def _phone_user(phone="13800001234", **kwargs):
    return UserFactory(email="", username=phone, phone=f"+86{phone}", display_name="", **kwargs)


def _workbook(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


# --- names, never phone numbers ------------------------------------------------------------------------


def test_learners_registered_by_phone_show_as_a_name_or_a_masked_number(client, make_course):
    from bianxue.people.selectors import learner_display_name

    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    by_phone, named = _phone_user(), _phone_user("13900005678")
    for user in (by_phone, named):
        services.enrolment_create(user=user, course=course)
    named.display_name = "王秀兰"
    named.save()
    assert by_phone.learner.name == "+8613800001234"  # the login's own learner was named after the login
    assert learner_display_name(by_phone.learner) == "138****1234"
    session = _session(course)
    client.force_login(teacher)
    body = client.get(reverse("courses:staff_session", args=[session.pk])).content.decode()
    assert "王秀兰" in body and "138****1234" in body
    assert "13800001234" not in body and "13900005678" not in body


def test_exam_candidates_are_listed_by_name(client, make_course):
    from courses.models import ExamSession
    from tests.courses.factories import exam_candidate_register
    from tests.factories import CertificateFactory

    institution = InstitutionFactory()
    teacher = staff_user(institution=institution)
    exam = ExamSession.objects.create(institution=institution, certificate=CertificateFactory(),
                                      cert_level="junior", date=timezone.localdate() + datetime.timedelta(days=9))
    exam_candidate_register(exam, identifier="410203199001011236", name="李建国")
    client.force_login(teacher)
    body = client.get(reverse("courses:staff_exam", args=[exam.pk])).content.decode()
    assert "李建国" in body


def test_the_scan_page_names_the_learner_before_and_after_the_check_in(client, make_course):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    learner = _phone_user()
    learner.display_name = "赵桂芳"
    learner.save()
    services.enrolment_create(user=learner, course=course)
    session = _session(course)
    code = services.personal_code_make(user=learner, session=session)
    url = reverse("courses:scan_personal", args=[code])
    client.force_login(teacher)
    page = client.get(url)
    assert page.status_code == 200 and "赵桂芳" in page.content.decode()
    assert not Attendance.objects.exists()  # nothing written on GET
    done = client.post(url)
    assert done.status_code == 200
    assert "签到成功" in done.content.decode() and "赵桂芳" in done.content.decode()
    assert reverse("courses:staff_session", args=[session.pk]) in done.content.decode()
    client.force_login(UserFactory())  # not staff of the provider: the code tells them nothing
    assert client.get(url).status_code == 403


# --- the class code: full screen, short code --------------------------------------------------------------


def test_full_screen_code_shows_the_qr_and_the_short_code_for_staff_only(client, make_course):
    course = make_course(mode="offline", lessons=[])
    session = _session(course)
    short = services.session_short_code(session=session)
    assert len(short) == 6 and not set(short) & set("0O1IL")
    client.force_login(staff_user(institution=course.provider))
    staff_page = client.get(reverse("courses:staff_session", args=[session.pk])).content.decode()
    assert reverse("courses:staff_session_qr", args=[session.pk]) in staff_page and short in staff_page
    for elder in (False, True):
        client.cookies["elder"] = "1" if elder else "0"
        page = client.get(reverse("courses:staff_session_qr", args=[session.pk]))
        body = page.content.decode()
        assert page.status_code == 200 and "data:image/svg+xml;base64," in body
        assert short in body and reverse("courses:attend_code") in body and 'class="qr-screen"' in body
    client.force_login(staff_user(institution=InstitutionFactory()))
    assert client.get(reverse("courses:staff_session_qr", args=[session.pk])).status_code == 403


def test_typing_the_short_code_checks_in_exactly_like_the_qr(client, make_course):
    course = make_course(mode="offline", lessons=[])
    session = _session(course)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    short = services.session_short_code(session=session)
    client.force_login(user)
    assert client.get(reverse("courses:attend_code")).status_code == 200
    typed = f"{short[:3].lower()} {short[3:]}"  # lower case and a space: still the code
    response = client.post(reverse("courses:attend_code"), {"code": typed})
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    attendance = Attendance.objects.get(session=session, learner=user.learner)
    assert attendance.present and attendance.method == Attendance.Method.SESSION_CODE
    from credits.records.models import LearningRecord

    assert LearningRecord.objects.filter(record_id=f"att-{course.pk}-{user.learner.pk}", result="attended").exists()


def test_the_short_code_is_refused_out_of_window_out_of_course_and_when_wrong(client, make_course):
    course, other = make_course(mode="offline", lessons=[]), make_course(mode="offline", lessons=[])
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    past = _session(course, minutes_ago=60 * 5)  # ended 4 hours ago
    elsewhere = _session(other)  # a course the learner is not enrolled in
    client.force_login(user)
    for code in (services.session_short_code(session=past), services.session_short_code(session=elsewhere),
                 "ABCDEF", "AB"):
        assert client.post(reverse("courses:attend_code"), {"code": code}).status_code == 400
    assert not Attendance.objects.exists()
    client.logout()
    assert client.post(reverse("courses:attend_code"), {"code": "ABCDEF"}).status_code == 302  # to sign in


def test_typing_codes_is_rate_limited(client, make_course):
    course = make_course(mode="offline", lessons=[])
    session = _session(course)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    statuses = [client.post(reverse("courses:attend_code"), {"code": "ZZZZZZ"}).status_code for _ in range(10)]
    assert statuses == [400] * 10
    right = client.post(reverse("courses:attend_code"), {"code": services.session_short_code(session=session)})
    assert right.status_code == 429 and not Attendance.objects.exists()


# --- rosters per learner ----------------------------------------------------------------------------------


def _roster_course(make_course, *, learners=2, sessions=2, prefix="1370000"):
    course = make_course(mode="blended", lessons=[lesson("text"), lesson("text")])
    teacher = staff_user(institution=course.provider)
    made = [_session(course, minutes_ago=60 * 24 * (i + 1)) for i in range(sessions)]
    users = []
    for i in range(learners):
        user = _phone_user(f"{prefix}{i:04d}")
        enrolment = services.enrolment_create(user=user, course=course)
        users.append((user, enrolment))
    return course, teacher, made, users


def test_course_roster_xlsx_has_one_row_per_learner_with_attendance_progress_and_completion(client, make_course):
    course, teacher, (first, second), users = _roster_course(make_course)
    (alice, alice_enrolment), (bob, _bob_enrolment) = users
    alice.display_name = "张秀英"
    alice.save()
    services.attendance_correct(user=teacher, session=first, learner=alice.learner, present=True, reason="补登")
    services.attendance_correct(user=teacher, session=second, learner=bob.learner, present=True, reason="补登")
    services.attendance_correct(user=teacher, session=second, learner=bob.learner, present=False, reason="记错")
    item = course.lesson_list()[0]
    services.lesson_complete(user=alice, enrolment=alice_enrolment, lesson_id=item["id"])
    client.force_login(teacher)
    sheet = _workbook(client.get(reverse("courses:staff_course_roster", args=[course.pk])))
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:6] == ["姓名", "手机号（隐去中间四位）", "报名日期", "状态", "已完成课时", "课时总数"]
    assert header[6] == timezone.localtime(first.starts_at).strftime("%Y-%m-%d %H:%M") or \
        header[6] == timezone.localtime(second.starts_at).strftime("%Y-%m-%d %H:%M")
    assert header[-2:] == ["出勤次数", "结业日期"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"张秀英", "137****0001"}
    alice_row = by_name["张秀英"]
    assert alice_row[1] == "137****0000" and alice_row[3] == "在学" and alice_row[4:6] == [1, 2]
    first_col = 6 + sorted([first, second], key=lambda s: s.starts_at).index(first)
    assert alice_row[first_col] == "出勤" and alice_row[-2] == 1
    bob_row = by_name["137****0001"]
    assert "缺勤" in bob_row and bob_row[-2] == 0
    assert not any("13700000000" in str(c) for r in rows for c in r)  # never a full number
    entry = AuditEntry.objects.get(action="courses.roster.export")
    assert entry.actor == teacher and entry.institution_id == course.provider_id
    assert entry.data == {"course": course.pk, "session": None, "rows": 2}


def test_session_roster_has_that_session_only(client, make_course):
    course, teacher, (first, _second), _users = _roster_course(make_course)
    client.force_login(teacher)
    sheet = _workbook(client.get(reverse("courses:staff_session_roster", args=[first.pk])))
    header = next(sheet.iter_rows(values_only=True))
    assert len(header) == 6 + 1 + 2
    assert AuditEntry.objects.get(action="courses.roster.export").data["session"] == first.pk


def test_roster_query_count_does_not_grow_with_learners_or_sessions(client, make_course):
    course, teacher, _sessions, _users = _roster_course(make_course, learners=1, sessions=1)
    client.force_login(teacher)
    url = reverse("courses:staff_course_roster", args=[course.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    big, _t, sessions, users = _roster_course(make_course, learners=8, sessions=5, prefix="1360000")
    for user, _e in users:
        for session in sessions:
            services.attendance_correct(user=_t, session=session, learner=user.learner, present=True,
                                        reason="补登")
    big_teacher = staff_user(institution=big.provider, role=Role.REGISTRAR)
    client.force_login(big_teacher)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("courses:staff_course_roster", args=[big.pk]))
    assert response.status_code == 200
    assert len(many) <= len(few)


def test_roster_is_for_the_providers_teachers_registrars_and_the_bureau(client, make_course):
    course, _teacher, _sessions, _users = _roster_course(make_course)
    url = reverse("courses:staff_course_roster", args=[course.pk])
    for user, status in ((staff_user(institution=InstitutionFactory()), 403),
                         (staff_user(institution=course.provider, role=Role.CREDIT_OFFICER), 403),
                         (UserFactory(), 403),
                         (staff_user(institution=course.provider, role=Role.REGISTRAR), 200),
                         (bureau_admin(), 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
    assert AuditEntry.objects.filter(action="courses.roster.export").count() == 2


def test_staff_page_links_each_course_roster(client, make_course):
    course, teacher, _sessions, _users = _roster_course(make_course)
    client.force_login(teacher)
    body = client.get(reverse("courses:staff")).content.decode()
    assert reverse("courses:staff_course_roster", args=[course.pk]) in body
    client.force_login(staff_user(institution=course.provider, role=Role.CREDIT_OFFICER))
    assert reverse("courses:staff_course_roster", args=[course.pk]) not in client.get(
        reverse("courses:staff")).content.decode()


def test_a_cancelled_session_has_no_code_to_show(client, make_course):
    course = make_course(mode="offline", lessons=[])
    session = _session(course)
    teacher = staff_user(institution=course.provider)
    services.session_cancel(user=teacher, session=session, reason="下雨停课")
    client.force_login(teacher)
    response = client.get(reverse("courses:staff_session_qr", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("courses:staff_session", args=[session.pk])
    assert services.session_short_code(session=session) not in client.get(response["Location"]).content.decode()

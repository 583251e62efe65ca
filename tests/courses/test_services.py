import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from courses import services
from courses.models import Attendance, Enrolment, Session
from credits.records.models import LearningRecord
from tests.courses.factories import lesson, watch
from tests.factories import CertificateFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


def _answers_all_right(course, quiz_id):
    item = course.lesson_get(quiz_id)
    return {i: [j for j, c in enumerate(q["choices"]) if c["correct"]] for i, q in enumerate(item["value"]["questions"])}


def test_enrol_waitlist_and_promotion(make_course):
    course = make_course(mode="offline", capacity=1, lessons=[])
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    ea = services.enrolment_create(user=a, course=course)
    eb = services.enrolment_create(user=b, course=course)
    ec = services.enrolment_create(user=c, course=course)
    assert (ea.status, eb.status, ec.status) == ("enrolled", "waitlisted", "waitlisted")
    assert services.enrolment_create(user=a, course=course).pk == ea.pk  # idempotent
    promoted = services.enrolment_withdraw(user=a, enrolment=ea)
    assert promoted.pk == eb.pk
    eb.refresh_from_db()
    assert eb.status == "enrolled"
    course.stats.refresh_from_db()
    assert (course.stats.enrolled, course.stats.waitlisted) == (1, 1)
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(user=c, enrolment=eb)


def test_online_course_has_no_seat_limit(make_course):
    course = make_course(mode="online", capacity=1)
    assert {services.enrolment_create(user=UserFactory(), course=course).status for _ in range(3)} == {"enrolled"}


def test_enrolment_window(make_course):
    course = make_course(enrol_closes=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.enrolment_create(user=UserFactory(), course=course)
    draft = make_course(live=False)
    with pytest.raises(ValidationError):
        services.enrolment_create(user=UserFactory(), course=draft)


def test_quiz_marking_and_attempt_limit(make_course, learner_user):
    course = make_course(lessons=[lesson("quiz", max_attempts=2, pass_mark=100)])
    quiz = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    first = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz, answers={0: [0], 1: [1]})
    assert (first.score, first.passed) == (50, False)
    second = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz, answers={0: [1], 1: [0]})
    assert (second.score, second.passed) == (50, False)
    with pytest.raises(ValidationError):
        services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz,
                             answers=_answers_all_right(course, quiz))


def test_quiz_with_an_unanswered_question_is_refused_without_using_an_attempt(make_course, learner_user):
    course = make_course(lessons=[lesson("quiz", max_attempts=1)])
    quiz = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    for answers in ({}, {0: [0]}, {0: [0], 1: []}, {0: [0], 1: [7]}):  # nothing, one missing, empty, no such choice
        with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
            services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz, answers=answers)
        assert refused.value.code == "unanswered"
    assert enrolment.quiz_attempts.count() == 0
    assert refused.value.messages == ["还有 1 道题没有作答（第 2 题）。请全部作答后再提交；这次不算作答次数。"]
    # the only attempt is still there: answering every question is marked
    attempt = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz, answers={0: [0], 1: [0]})
    assert (attempt.score, attempt.passed) == (100, True)


def test_quiz_questions_are_single_or_multiple_answer(make_course):
    questions = [{"text": "单选", "explanation": "", "choices": [{"text": "对", "correct": True},
                                                                {"text": "错", "correct": False}]},
                 {"text": "多选", "explanation": "", "choices": [{"text": "甲", "correct": True},
                                                                {"text": "乙", "correct": True},
                                                                {"text": "丙", "correct": False}]}]
    course = make_course(lessons=[lesson("quiz", questions=questions)])
    single, multiple = course.lesson_list()[0]["value"]["questions"]
    assert (single.multiple(), multiple.multiple()) == (False, True)
    assert multiple.correct_indexes() == [0, 1]


def test_quiz_feedback_per_question(make_course, learner_user):
    questions = [{"text": "1+1=?", "explanation": "一加一等于二。",
                  "choices": [{"text": "2", "correct": True}, {"text": "3", "correct": False}]},
                 {"text": "哪些是水果？", "explanation": "",
                  "choices": [{"text": "苹果", "correct": True}, {"text": "白菜", "correct": False},
                              {"text": "香蕉", "correct": True}]}]
    course = make_course(lessons=[lesson("quiz", questions=questions, max_attempts=2, pass_mark=100)])
    item = course.lesson_list()[0]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    attempt = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=item["id"],
                                   answers={0: [0], 1: [0]})
    feedback = services.quiz_attempt_feedback(enrolment=enrolment, lesson=item, attempt=attempt, attempt_number=1,
                                              attempts_left=1)
    first, second = feedback["questions"]
    assert (feedback["right"], feedback["total"], feedback["revealed"]) == (1, 2, True)
    assert (first["right"], first["chosen"], first["correct"], first["explanation"]) == (True, ["2"], ["2"],
                                                                                          "一加一等于二。")
    assert (second["right"], second["chosen"], second["correct"]) == (False, ["苹果"], ["苹果", "香蕉"])


def test_quiz_feedback_keeps_the_answers_back_when_the_block_says_so(make_course, learner_user):
    course = make_course(lessons=[lesson("quiz", max_attempts=2, pass_mark=100, show_answers=False)])
    item = course.lesson_list()[0]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    wrong = {0: [1], 1: [0]}
    first = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=item["id"], answers=wrong)
    hidden = services.quiz_attempt_feedback(enrolment=enrolment, lesson=item, attempt=first, attempt_number=1,
                                            attempts_left=1)
    assert hidden["revealed"] is False
    assert [q["right"] for q in hidden["questions"]] == [False, True]  # right/wrong always shows
    assert all(q["correct"] == [] for q in hidden["questions"])
    last = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=item["id"], answers=wrong)
    shown = services.quiz_attempt_feedback(enrolment=enrolment, lesson=item, attempt=last, attempt_number=2,
                                           attempts_left=0)
    assert shown["revealed"] is True and shown["questions"][0]["correct"] == ["2"]


def test_quiz_draws_from_the_bank_stably(make_course, learner_user):
    questions = [{"text": f"Q{i}", "explanation": "", "choices": [{"text": "对", "correct": True},
                                                                   {"text": "错", "correct": False}]}
                 for i in range(6)]
    course = make_course(lessons=[lesson("quiz", draw=3, questions=questions)])
    item = course.lesson_list()[0]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    drawn = services.quiz_questions_for_attempt(enrolment=enrolment, lesson=item, attempt_number=1)
    assert len(drawn) == 3
    assert drawn == services.quiz_questions_for_attempt(enrolment=enrolment, lesson=item, attempt_number=1)
    attempt = services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=item["id"],
                                   answers={i: [0] for i, _ in drawn})
    assert attempt.score == 100


def test_completion_records_a_learning_record(make_course, learner_user, clock):
    certificate = CertificateFactory()
    course = make_course(category="x_certificate", certificate=certificate, cert_level="junior", hours="12",
                         lessons=[lesson("video"), lesson("text"), lesson("text", required=False), lesson("quiz")])
    video, text, _optional, quiz = (x["id"] for x in course.lesson_list())
    enrolment = services.enrolment_create(user=learner_user, course=course)
    watch(user=learner_user, enrolment=enrolment, lesson_id=video, seconds=20, clock=clock)
    services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=text)
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    services.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz,
                         answers=_answers_all_right(course, quiz))
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    record = LearningRecord.objects.get(institution=course.provider, record_id=f"enrol-{enrolment.pk}")
    assert (record.kind, record.result, record.category, record.certificate_id) == (
        "training", "completed", "x_certificate", certificate.pk)
    assert record.hours == 12 and record.programme_code == course.programme_code
    assert record.learner.user_id == learner_user.pk
    course.stats.refresh_from_db()
    assert course.stats.completed == 1


def _session_now(course):
    now = timezone.now()
    return Session.objects.create(course=course, starts_at=now - datetime.timedelta(minutes=10),
                                  ends_at=now + datetime.timedelta(hours=1), venue="教室")


def test_attendance_by_session_code(make_course, learner_user):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    session = _session_now(course)
    code = services.session_code_make(user=teacher, session=session)
    with pytest.raises(ValidationError):  # not enrolled
        services.attendance_by_session_code(user=learner_user, code=code)
    services.enrolment_create(user=learner_user, course=course)
    services.attendance_by_session_code(user=learner_user, code=code)
    services.attendance_by_session_code(user=learner_user, code=code)  # scanning twice is harmless
    assert Attendance.objects.filter(session=session).count() == 1
    learner = learner_user.learner
    record = LearningRecord.objects.get(record_id=f"att-{course.pk}-{learner.pk}")
    assert (record.kind, record.result) == ("training", "attended")
    with pytest.raises(ValidationError):
        services.attendance_by_session_code(user=learner_user, code=code + "x")
    with pytest.raises(PermissionDenied):  # only the provider's staff show the code
        services.session_code_make(user=learner_user, session=session)


def test_attendance_code_only_during_the_session(make_course, learner_user):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    start = timezone.now() + datetime.timedelta(days=2)
    session = Session.objects.create(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    services.enrolment_create(user=learner_user, course=course)
    code = services.session_code_make(user=teacher, session=session)
    with pytest.raises(ValidationError):
        services.attendance_by_session_code(user=learner_user, code=code)


def test_personal_code_scanned_by_staff_and_correction_audited(make_course, learner_user):
    from bianxue.accounts.models import AuditEntry

    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    other = staff_user(institution=make_course().provider)
    session = _session_now(course)
    services.enrolment_create(user=learner_user, course=course)
    code = services.personal_code_make(user=learner_user, session=session)
    with pytest.raises(PermissionDenied):
        services.attendance_by_personal_code(user=other, code=code)
    attendance = services.attendance_by_personal_code(user=teacher, code=code)
    assert attendance.method == "personal_code"
    with pytest.raises(ValidationError):
        services.attendance_correct(user=teacher, session=session, learner=learner_user.learner, present=False,
                                    reason=" ")
    services.attendance_correct(user=teacher, session=session, learner=learner_user.learner, present=False,
                                reason="早退")
    attendance.refresh_from_db()
    assert attendance.present is False
    assert AuditEntry.objects.filter(action="attendance.correct", reason="早退").exists()
    with pytest.raises(PermissionDenied):
        services.attendance_correct(user=other, session=session, learner=learner_user.learner, present=True,
                                    reason="x")


def test_exam_results_single_and_bulk(db):
    from tests.courses.factories import exam_candidate_register
    from tests.factories import InstitutionFactory, exam_site_create

    school = InstitutionFactory(type="higher_vocational")
    certificate = CertificateFactory()
    registrar = staff_user(institution=school, role="registrar")
    exam_site_create(institution=school, certificate=certificate)
    exam = services.exam_session_create(user=registrar, institution_id=school.pk, certificate_id=certificate.pk,
                                        cert_level="junior", date=timezone.localdate())
    for identifier, name in (("S0001", "甲"), ("S0002", "乙"), ("S0003", "丙")):
        exam_candidate_register(exam, identifier=identifier, name=name)
    with pytest.raises(PermissionDenied):
        services.exam_session_create(user=UserFactory(), institution_id=school.pk, certificate_id=certificate.pk,
                                     cert_level="junior", date=timezone.localdate())
    with pytest.raises(ValidationError):  # passed needs a certificate number
        services.exam_result_record(user=registrar, exam_session=exam, identifier="S0001", name="甲", result="passed")
    services.exam_result_record(user=registrar, exam_session=exam, identifier="S0001", name="甲", result="passed",
                                certificate_no="LNZH-0001")
    text = "证件号,姓名,结果,分数,证书编号\nS0002,乙,通过,88,LNZH-0002\nS0003,丙,未通过,40\n"
    result = services.exam_results_bulk(user=registrar, exam_session=exam, text=text + "S0001,甲,缺考\n")
    assert result.saved == 0 and "4" in result.errors[-1]  # all or nothing: one bad line saves none
    assert LearningRecord.objects.filter(institution=school, kind="exam").count() == 1
    result = services.exam_results_bulk(user=registrar, exam_session=exam, text=text)
    assert result.saved == 2 and not result.errors
    records = LearningRecord.objects.filter(institution=school, kind="exam")
    assert sorted(records.values_list("result", flat=True)) == ["failed", "passed", "passed"]
    passed = records.get(certificate_no="LNZH-0002")
    assert (passed.category, passed.certificate_id, passed.cert_level) == ("x_certificate", certificate.pk, "junior")
    # a corrected result replaces the record
    services.exam_result_record(user=registrar, exam_session=exam, identifier="S0003", name="丙", result="passed",
                                certificate_no="LNZH-0003")
    assert records.filter(result="passed").count() == 3


def test_enrolment_status_values():
    assert set(Enrolment.Status.values) == {"enrolled", "waitlisted", "completed", "withdrawn"}


def test_learner_merge_moves_enrolments(make_course, learner_user):
    from tests.factories import LearnerFactory

    course = make_course()
    enrolment = services.enrolment_create(user=learner_user, course=course)
    target = LearnerFactory()
    assert services.learner_rows_move(source=learner_user.learner, target=target) == 1
    enrolment.refresh_from_db()
    assert enrolment.learner_id == target.pk


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_service_errors_speak_only_the_active_language(make_course):
    course = make_course(lessons=[])
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as exc:
        services.enrolment_create(user=AnonymousUser(), course=course)
    assert str(exc.value) == "请先登录。"
    with translation.override("en"), pytest.raises(PermissionDenied) as exc:
        services.enrolment_create(user=AnonymousUser(), course=course)
    assert str(exc.value) == "Please sign in first."
    assert not CJK.search(str(exc.value))

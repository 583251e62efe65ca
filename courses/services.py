"""Writes of the courses app: enrolment, progress, quizzes, completion, attendance, 1+X results.

Every function takes the acting user and checks what they may do. Completion, attendance and
exam results become learning records through ``credits.records.services.record_upsert`` in the
same transaction (it hands eligible records on to the credit bank).
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bianxue.accounts.models import Role
from bianxue.accounts.selectors import user_can_act_for_institution
from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.people.services import learner_for_user_get_or_create, learner_get_or_create
from bianxue.vocab import Category, RecordKind, RecordResult
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import (
    Attendance,
    CoursePage,
    CourseStats,
    Enrolment,
    ExamResult,
    ExamSession,
    LessonProgress,
    QuizAttempt,
    Session,
)

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
# Who schedules sessions and exams for an institution (and bureau admins, for every institution).
SCHEDULE_ROLES = (Role.TEACHER, Role.REGISTRAR)
# Attendance codes are valid from this long before a session starts until this long after it ends.
ATTENDANCE_MARGIN = datetime.timedelta(minutes=30)
SESSION_CODE_SALT = "courses.session-code"
PERSONAL_CODE_SALT = "courses.personal-code"


def _record_upsert(**kwargs):
    from credits.records.services import record_upsert

    return record_upsert(**kwargs)


def _stats_locked(course: CoursePage) -> CourseStats:
    CourseStats.objects.get_or_create(course=course)
    return CourseStats.objects.select_for_update().get(course=course)


# --- enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol the user's learner, or put them on the waiting list when an offline course is full."""
    if not user or not user.is_authenticated:
        raise PermissionDenied("请先登录。Please sign in first.")
    if not course.live:
        raise ValidationError("课程尚未发布。The course is not published.")
    today = timezone.localdate()
    if course.enrol_opens and today < course.enrol_opens:
        raise ValidationError("报名尚未开始。Enrolment has not opened yet.")
    if course.enrol_closes and today > course.enrol_closes:
        raise ValidationError("报名已截止。Enrolment has closed.")
    learner = learner_for_user_get_or_create(user=user)
    stats = _stats_locked(course)  # serialises enrolments of this course
    enrolment = Enrolment.objects.filter(course=course, learner=learner).first()
    if enrolment and enrolment.status in (*ACTIVE, Enrolment.Status.WAITLISTED):
        return enrolment
    full = course.has_seats_limit and stats.enrolled >= course.capacity
    status = Enrolment.Status.WAITLISTED if full else Enrolment.Status.ENROLLED
    if enrolment is None:
        enrolment = Enrolment.objects.create(course=course, learner=learner, status=status)
    else:  # re-enrolling after a withdrawal keeps the earlier progress
        enrolment.status = status
        enrolment.created_at = timezone.now()
        enrolment.save(update_fields=["status", "created_at"])
    field = "waitlisted" if full else "enrolled"
    CourseStats.objects.filter(pk=stats.pk).update(**{field: F(field) + 1})
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, user, enrolment: Enrolment) -> Enrolment | None:
    """Withdraw; a freed seat goes to the first learner on the waiting list (returned)."""
    _require_own(user=user, enrolment=enrolment)
    if enrolment.status not in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED):
        raise ValidationError("只能退出在学或候补中的课程。Only an active or waiting enrolment can be withdrawn.")
    course = enrolment.course
    stats = _stats_locked(course)
    was = enrolment.status
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    promoted = None
    if was == Enrolment.Status.WAITLISTED:
        CourseStats.objects.filter(pk=stats.pk).update(waitlisted=F("waitlisted") - 1)
        return None
    CourseStats.objects.filter(pk=stats.pk).update(enrolled=F("enrolled") - 1)
    if course.has_seats_limit:
        promoted = (
            Enrolment.objects.select_for_update()
            .filter(course=course, status=Enrolment.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if promoted:
            promoted.status = Enrolment.Status.ENROLLED
            promoted.save(update_fields=["status"])
            CourseStats.objects.filter(pk=stats.pk).update(
                enrolled=F("enrolled") + 1, waitlisted=F("waitlisted") - 1
            )
    return promoted


def _require_own(*, user, enrolment: Enrolment) -> None:
    if not user or not user.is_authenticated or enrolment.learner.user_id != user.pk:
        raise PermissionDenied("只能操作自己的学习。You may act only on your own learning.")


def _require_active(enrolment: Enrolment) -> None:
    if enrolment.status not in ACTIVE:
        raise ValidationError("请先报名（候补中不能学习）。Enrol first (not while waiting for a seat).")


# --- progress -------------------------------------------------------------------------------


def lesson_heartbeat(*, user, enrolment: Enrolment, lesson_id: str, position: int, duration: int) -> bool:
    """Save the player's position. One small write per call; completion when watched far enough.

    Returns whether the lesson is (now) complete.
    """
    _require_own(user=user, enrolment=enrolment)
    _require_active(enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] not in ("video", "audio"):
        raise ValidationError("没有这个音视频课时。No such video or audio lesson.")
    position = max(0, int(position))
    duration = max(0, int(duration))
    if duration:
        position = min(position, duration)
    now = timezone.now()
    updated = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).update(
        position=position, furthest=Greatest(F("furthest"), position), duration=Greatest(F("duration"), duration),
        updated_at=now,
    )
    if not updated:
        try:
            with transaction.atomic():
                LessonProgress.objects.create(
                    enrolment=enrolment, lesson_id=lesson_id, position=position, furthest=position,
                    duration=duration, updated_at=now,
                )
        except IntegrityError:  # two heartbeats raced; the other one created the row
            pass
    threshold = enrolment.course.completion_threshold / 100
    if duration and position >= duration * threshold:
        _lesson_mark_complete(enrolment=enrolment, lesson_id=lesson_id)
        return True
    return False


def lesson_complete(*, user, enrolment: Enrolment, lesson_id: str) -> bool:
    """"Mark done" on a text, document or audio lesson (a video completes by being watched)."""
    _require_own(user=user, enrolment=enrolment)
    _require_active(enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] in ("quiz", "video"):
        raise ValidationError("该课时不能手动标记完成。This lesson cannot be marked done by hand.")
    _lesson_mark_complete(enrolment=enrolment, lesson_id=lesson_id)
    return True


@transaction.atomic
def _lesson_mark_complete(*, enrolment: Enrolment, lesson_id: str) -> None:
    now = timezone.now()
    progress, _ = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson_id=lesson_id, defaults={"updated_at": now}
    )
    if progress.completed_at is None:
        LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=lesson_id)
        enrolment_complete_if_done(enrolment=enrolment)


# --- quizzes --------------------------------------------------------------------------------


def quiz_questions_for_attempt(*, enrolment: Enrolment, lesson: dict, attempt_number: int) -> list[tuple[int, dict]]:
    """The questions (index in the bank, question) shown in an attempt: all, or ``draw`` drawn stably."""
    questions = list(enumerate(lesson["value"]["questions"]))
    draw = lesson["value"].get("draw") or 0
    if draw and draw < len(questions):
        rng = random.Random(f"{enrolment.pk}-{lesson['id']}-{attempt_number}")
        questions = sorted(rng.sample(questions, draw), key=lambda q: q[0])
    return questions


@transaction.atomic
def quiz_submit(*, user, enrolment: Enrolment, lesson_id: str, answers: dict[int, list[int]]) -> QuizAttempt:
    """Mark an attempt. ``answers`` maps question index (in the bank) to chosen choice indexes."""
    _require_own(user=user, enrolment=enrolment)
    _require_active(enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] != "quiz":
        raise ValidationError("没有这个测验。No such quiz.")
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one attempt at a time
    done = QuizAttempt.objects.filter(enrolment=enrolment, lesson_id=lesson_id)
    if done.filter(passed=True).exists():
        raise ValidationError("测验已通过。The quiz is already passed.")
    attempts = done.count()
    if attempts >= lesson["value"]["max_attempts"]:
        raise ValidationError("作答次数已用完。No attempts left.")
    questions = quiz_questions_for_attempt(enrolment=enrolment, lesson=lesson, attempt_number=attempts + 1)
    right = 0
    for index, question in questions:
        correct = {i for i, c in enumerate(question["choices"]) if c["correct"]}
        if set(answers.get(index, [])) == correct:
            right += 1
    score = round(100 * right / len(questions)) if questions else 0
    passed = score >= lesson["value"]["pass_mark"]
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment, lesson_id=lesson_id, answers={str(k): v for k, v in answers.items()},
        score=score, passed=passed,
    )
    if passed:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=lesson_id)
        enrolment_complete_if_done(enrolment=enrolment)
    return attempt


# --- completion -----------------------------------------------------------------------------


def enrolment_missing_lessons(*, enrolment: Enrolment) -> list[str]:
    """Ids of required lessons (and quizzes) not yet done."""
    lessons = [item for item in enrolment.course.lesson_list() if item["value"].get("required", True)]
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list("lesson_id", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(enrolment=enrolment, passed=True).values_list("lesson_id", flat=True)
    )
    return [
        item["id"] for item in lessons
        if (item["id"] not in passed if item["type"] == "quiz" else item["id"] not in done)
    ]


@transaction.atomic
def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment when every required lesson and quiz is done; record it for credit."""
    enrolment = Enrolment.objects.select_for_update().select_related("course", "learner").get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    if enrolment.status != Enrolment.Status.ENROLLED:
        return False
    course = enrolment.course
    if not course.lesson_list() or enrolment_missing_lessons(enrolment=enrolment):
        return False
    now = timezone.now()
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    CourseStats.objects.get_or_create(course=course)
    CourseStats.objects.filter(course=course).update(completed=F("completed") + 1)
    _record_upsert(
        institution_id=course.provider_id,
        record_id=f"enrol-{enrolment.pk}",
        kind=RecordKind.TRAINING,
        learner=enrolment.learner,
        programme_code=course.programme_code,
        programme_name=course.title,
        category=course.category,
        date=timezone.localdate(now),
        result=RecordResult.COMPLETED,
        hours=course.hours,
        certificate_id=course.certificate_id,
        cert_level=course.cert_level,
        source="platform",
    )
    return True


# --- offline sessions and attendance --------------------------------------------------------


def _session_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - ATTENDANCE_MARGIN, session.ends_at + ATTENDANCE_MARGIN


def session_code_make(*, user, session: Session) -> str:
    """The signed code a trainer shows in class (staff of the provider only)."""
    institution_require_role(user=user, institution_id=session.course.provider_id)
    return signing.TimestampSigner(salt=SESSION_CODE_SALT).sign(str(session.pk))


def personal_code_make(*, user, session: Session) -> str:
    """The learner's own code for a session, for the trainer to scan."""
    learner = learner_for_user_get_or_create(user=user)
    return signing.TimestampSigner(salt=PERSONAL_CODE_SALT).sign(f"{session.pk}.{learner.pk}")


def _session_from_code(code: str, salt: str) -> tuple[Session, str]:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(code, max_age=datetime.timedelta(days=2))
    except signing.SignatureExpired as exc:
        raise ValidationError("签到码已过期。The attendance code has expired.") from exc
    except signing.BadSignature as exc:
        raise ValidationError("签到码无效。The attendance code is not valid.") from exc
    session_id, _, rest = value.partition(".")
    session = Session.objects.select_related("course").filter(pk=int(session_id)).first()
    if session is None:
        raise ValidationError("课次不存在。No such session.")
    if session.is_cancelled:
        raise ValidationError("该课次已取消。The session is cancelled.")
    opens, closes = _session_window(session)
    if not opens <= timezone.now() <= closes:
        raise ValidationError("不在上课时间内，不能签到。Attendance is taken only during the session.")
    return session, rest


def session_from_code(*, code: str) -> Session:
    return _session_from_code(code, SESSION_CODE_SALT)[0]


@transaction.atomic
def attendance_by_session_code(*, user, code: str) -> Attendance:
    """A learner scanned the code shown in class."""
    if not user or not user.is_authenticated:
        raise PermissionDenied("请先登录。Please sign in first.")
    session, _ = _session_from_code(code, SESSION_CODE_SALT)
    learner = learner_for_user_get_or_create(user=user)
    if not Enrolment.objects.filter(course=session.course, learner=learner, status__in=ACTIVE).exists():
        raise ValidationError("您没有报名这门课程。You are not enrolled in this course.")
    Session.objects.select_for_update().filter(pk=session.pk).first()  # serialise the seat count
    if (session.capacity
            and not Attendance.objects.filter(session=session, learner=learner, present=True).exists()
            and Attendance.objects.filter(session=session, present=True).count() >= session.capacity):
        raise ValidationError("本课次座位已满，请联系老师登记。The session is full; ask the teacher to record you.")
    return _attendance_mark(session=session, learner=learner, method=Attendance.Method.SESSION_CODE, actor=user)


@transaction.atomic
def attendance_by_personal_code(*, user, code: str) -> Attendance:
    """A trainer scanned a learner's personal code."""
    session, learner_id = _session_from_code(code, PERSONAL_CODE_SALT)
    institution_require_role(user=user, institution_id=session.course.provider_id)
    from bianxue.people.models import Learner

    learner = Learner.objects.get(pk=int(learner_id))
    attendance = _attendance_mark(session=session, learner=learner, method=Attendance.Method.PERSONAL_CODE, actor=user)
    audit_record(actor=user, action="attendance.scan", obj=attendance, institution_id=session.course.provider_id)
    return attendance


def _attendance_mark(*, session: Session, learner, method: str, actor, present: bool = True) -> Attendance:
    attendance, created = Attendance.objects.get_or_create(
        session=session, learner=learner,
        defaults={"method": method, "recorded_by": actor if actor and actor.is_authenticated else None,
                  "present": present},
    )
    if not created and attendance.present != present:
        attendance.present = present
        attendance.method = method
        attendance.recorded_by = actor
        attendance.save(update_fields=["present", "method", "recorded_by"])
    if present or not created:
        _attendance_record(session=session, learner=learner)
    return attendance


def _attendance_record(*, session: Session, learner) -> None:
    """Keep the learner's training record (attended) of the course in step with their attendance.

    One record per learner and course (``att-<course>-<learner>``), dated at the first attended
    session. When corrections leave no attended session, the record cannot be deleted (records are
    append-only evidence): it is corrected to result "withdrawn", which the indicators do not count
    and for which the credit bank closes the outcome. Attending again corrects it back.
    """
    course = session.course
    first = (
        Attendance.objects.filter(session__course=course, learner=learner, present=True)
        .select_related("session").order_by("session__starts_at").first()
    )
    record_id = f"att-{course.pk}-{learner.pk}"
    if first is None:
        date = _record_date(institution_id=course.provider_id, record_id=record_id)
        if date is None:  # never recorded: nothing to withdraw
            return
        result = RecordResult.WITHDRAWN
    else:
        date = timezone.localdate(first.session.starts_at)
        if date > timezone.localdate():
            return
        result = RecordResult.ATTENDED
    _record_upsert(
        institution_id=course.provider_id,
        record_id=record_id,
        kind=RecordKind.TRAINING,
        learner=learner,
        programme_code=course.programme_code,
        programme_name=course.title,
        category=course.category,
        date=date,
        result=result,
        hours=course.hours,
        certificate_id=course.certificate_id,
        cert_level=course.cert_level,
        source="platform",
        correction=True,
    )


def _record_date(*, institution_id: int, record_id: str):
    """The date of an existing learning record (read only; records are written through record_upsert)."""
    from credits.records.models import LearningRecord

    return (
        LearningRecord.objects.filter(institution_id=institution_id, record_id=record_id)
        .values_list("date", flat=True).first()
    )


@transaction.atomic
def attendance_correct(*, user, session: Session, learner, present: bool, reason: str) -> Attendance:
    """A staff correction (present or absent), with an audit entry and a reason."""
    institution_require_role(user=user, institution_id=session.course.provider_id)
    if not reason.strip():
        raise ValidationError("请填写更正原因。Give a reason for the correction.")
    if Session.objects.filter(pk=session.pk, cancelled_at__isnull=False).exists():
        raise ValidationError("该课次已取消。The session is cancelled.")
    attendance = _attendance_mark(
        session=session, learner=learner, method=Attendance.Method.STAFF, actor=user, present=present
    )
    audit_record(actor=user, action="attendance.correct", obj=attendance, institution_id=session.course.provider_id,
                 reason=reason, data={"present": present, "learner": learner.pk, "session": session.pk})
    return attendance


def _session_require_staff(*, user, course: CoursePage) -> None:
    institution_require_role(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES)


@transaction.atomic
def session_create(*, user, course: CoursePage, starts_at, ends_at, venue: str = "", title: str = "",
                   capacity: int | None = None) -> Session:
    """Schedule an offline session of one of the user's institution's courses (teacher/registrar)."""
    _session_require_staff(user=user, course=course)
    session = Session(course=course, starts_at=starts_at, ends_at=ends_at, venue=venue or course.venue, title=title,
                      capacity=capacity)
    session.full_clean()
    session.save()
    audit_record(actor=user, action="session.create", obj=session, institution_id=course.provider_id)
    return session


SESSION_FIELDS = ("title", "starts_at", "ends_at", "venue", "capacity")


@transaction.atomic
def session_update(*, user, session: Session, **changes) -> Session:
    """Change time, venue, capacity or title. The course stays; times are fixed once anyone attended."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _session_require_staff(user=user, course=session.course)
    if session.is_cancelled:
        raise ValidationError("课次已取消，不能修改。The session is cancelled and cannot be changed.")
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改 {', '.join(sorted(unknown))}。These fields cannot be changed.")
    before = {f: str(getattr(session, f)) for f in changes}
    moved = any(f in changes and changes[f] != getattr(session, f) for f in ("starts_at", "ends_at"))
    if moved and session.attendances.filter(present=True).exists():
        raise ValidationError("已有学员签到，不能修改上课时间。Learners have attended; the time cannot change.")
    for field, value in changes.items():
        setattr(session, field, value)
    session.full_clean()
    session.save(update_fields=list(changes) or None)
    audit_record(actor=user, action="session.update", obj=session, institution_id=session.course.provider_id,
                 data={"before": before})
    return session


@transaction.atomic
def session_cancel(*, user, session: Session, reason: str) -> Session:
    """Cancel a session (kept for the record, hidden from learners). Refused once anyone attended."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _session_require_staff(user=user, course=session.course)
    if not reason.strip():
        raise ValidationError("请填写取消原因。Give a reason for the cancellation.")
    if session.is_cancelled:
        return session
    if session.attendances.filter(present=True).exists():
        raise ValidationError("已有学员签到，不能取消；如确未上课请先更正考勤。"
                              "Learners have attended; correct their attendance first if the class did not happen.")
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason.strip()[:200]
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_record(actor=user, action="session.cancel", obj=session, institution_id=session.course.provider_id,
                 reason=reason)
    return session


# --- 1+X exams ------------------------------------------------------------------------------


def _exam_check(*, institution_id: int, programme) -> None:
    if programme is not None and programme.provider_id != institution_id:
        raise ValidationError("培训项目须属于本机构。The programme must belong to the institution.")


@transaction.atomic
def exam_session_create(*, user, institution_id: int, certificate_id: int, cert_level: str, date: datetime.date,
                        venue: str = "", programme=None) -> ExamSession:
    """Schedule a 1+X exam sitting of one of the user's institutions (teacher/registrar)."""
    institution_require_role(user=user, institution_id=institution_id, roles=SCHEDULE_ROLES)
    _exam_check(institution_id=institution_id, programme=programme)
    exam = ExamSession(institution_id=institution_id, certificate_id=certificate_id, cert_level=cert_level,
                       date=date, venue=venue, programme=programme)
    exam.full_clean()
    exam.save()
    audit_record(actor=user, action="exam_session.create", obj=exam, institution_id=institution_id)
    return exam


EXAM_FIELDS = ("certificate_id", "cert_level", "date", "venue", "programme")


@transaction.atomic
def exam_session_update(*, user, exam_session: ExamSession, **changes) -> ExamSession:
    """Change an exam sitting. Once results are entered only the venue may change (results are records)."""
    exam = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    institution_require_role(user=user, institution_id=exam.institution_id, roles=SCHEDULE_ROLES)
    if exam.is_cancelled:
        raise ValidationError("考试已取消，不能修改。The exam is cancelled and cannot be changed.")
    unknown = set(changes) - set(EXAM_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改 {', '.join(sorted(unknown))}。These fields cannot be changed.")
    changed = {f for f, v in changes.items() if v != getattr(exam, f)}
    if changed - {"venue"} and exam.results.exists():
        raise ValidationError("已登记成绩，只能修改考点。Results are entered; only the venue may change.")
    _exam_check(institution_id=exam.institution_id, programme=changes.get("programme", exam.programme))
    before = {f: str(getattr(exam, f)) for f in changes}
    for field, value in changes.items():
        setattr(exam, field, value)
    exam.full_clean()
    exam.save()
    audit_record(actor=user, action="exam_session.update", obj=exam, institution_id=exam.institution_id,
                 data={"before": before})
    return exam


@transaction.atomic
def exam_session_cancel(*, user, exam_session: ExamSession, reason: str) -> ExamSession:
    """Cancel an exam sitting; refused once results are entered."""
    exam = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    institution_require_role(user=user, institution_id=exam.institution_id, roles=SCHEDULE_ROLES)
    if not reason.strip():
        raise ValidationError("请填写取消原因。Give a reason for the cancellation.")
    if exam.is_cancelled:
        return exam
    if exam.results.exists():
        raise ValidationError("已登记成绩，不能取消。Results are entered; the exam cannot be cancelled.")
    exam.cancelled_at = timezone.now()
    exam.cancel_reason = reason.strip()[:200]
    exam.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_record(actor=user, action="exam_session.cancel", obj=exam, institution_id=exam.institution_id,
                 reason=reason)
    return exam


@transaction.atomic
def exam_result_record(*, user, exam_session: ExamSession, identifier: str, name: str, result: str,
                       score: Decimal | None = None, certificate_no: str = "") -> ExamResult:
    """Enter one result; it becomes an exam record (category x_certificate) for indicators and credit."""
    institution_require_role(user=user, institution_id=exam_session.institution_id)
    if result not in ExamResult.Result.values:
        raise ValidationError(f"结果应为 passed 或 failed：{result}。The result must be passed or failed.")
    if result == ExamResult.Result.PASSED and not certificate_no:
        raise ValidationError("通过者须填写证书编号。A passed result needs the certificate number.")
    if exam_session.is_cancelled:
        raise ValidationError("考试已取消。The exam is cancelled.")
    if exam_session.date > timezone.localdate():
        raise ValidationError("考试尚未举行。The exam has not taken place yet.")
    learner = learner_get_or_create(identifier=identifier, name=name)
    row, created = ExamResult.objects.update_or_create(
        exam_session=exam_session, learner=learner,
        defaults={"result": result, "score": score, "certificate_no": certificate_no, "recorded_by": user},
    )
    _record_upsert(
        institution_id=exam_session.institution_id,
        record_id=f"exam-{exam_session.pk}-{learner.pk}",
        kind=RecordKind.EXAM,
        learner=learner,
        programme_code=f"X-{exam_session.certificate.code}-{exam_session.cert_level}",
        programme_name=f"{exam_session.certificate.name}（{exam_session.get_cert_level_display()}）",
        category=Category.X_CERTIFICATE,
        date=exam_session.date,
        result=result,
        certificate_id=exam_session.certificate_id,
        cert_level=exam_session.cert_level,
        certificate_no=certificate_no,
        source="platform",
        correction=not created,
        actor=user,
    )
    audit_record(actor=user, action="exam_result.record" if created else "exam_result.correct", obj=row,
                 institution_id=exam_session.institution_id, data={"result": result})
    return row


@dataclass
class BulkResult:
    saved: int
    errors: list[str]


RESULT_WORDS = {"passed": "passed", "通过": "passed", "合格": "passed", "failed": "failed", "未通过": "failed",
                "不合格": "failed"}


def exam_results_bulk(*, user, exam_session: ExamSession, text: str) -> BulkResult:
    """Paste or CSV: one line per learner, ``identifier,name,result[,score[,certificate_no]]``.

    Each good line is saved on its own (a bad line does not stop the others); errors name the line.
    """
    institution_require_role(user=user, institution_id=exam_session.institution_id)
    saved, errors = 0, []
    rows = csv.reader(io.StringIO(text.replace("\t", ",").replace("，", ",")))
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].lower() in ("learner_id", "identifier", "证件号"):
            continue
        try:
            if len(cells) < 3:
                raise ValidationError("至少需要 证件号,姓名,结果。Need identifier, name and result.")
            result = RESULT_WORDS.get(cells[2].lower())
            if result is None:
                raise ValidationError(f"无法识别的结果 {cells[2]}。Unknown result.")
            score = None
            if len(cells) > 3 and cells[3]:
                try:
                    score = Decimal(cells[3])
                except InvalidOperation as exc:
                    raise ValidationError(f"分数无效 {cells[3]}。Invalid score.") from exc
            exam_result_record(user=user, exam_session=exam_session, identifier=cells[0], name=cells[1],
                               result=result, score=score, certificate_no=cells[4] if len(cells) > 4 else "")
            saved += 1
        except ValidationError as exc:
            errors.append(f"第 {number} 行 line {number}: {' '.join(exc.messages)}")
    return BulkResult(saved=saved, errors=errors)


def require_course_staff(*, user, course: CoursePage) -> None:
    if not user_can_act_for_institution(user=user, institution_id=course.provider_id):
        raise PermissionDenied("无权管理该课程。You may not manage this course.")


# --- catalog setup: sections, groups, page permissions, moderation workflow -----------------

STAFF_GROUP = "机构工作人员 Institution staff"
BUREAU_GROUP = "教育局管理员 Bureau administrators"
WORKFLOW_NAME = "课程发布审核 Course publication review"
TASK_NAME = "教育局审核 Bureau approval"


@transaction.atomic
def catalog_setup() -> dict:
    """Idempotent: the catalog sections under the home page, the editor groups' page permissions
    and the moderation workflow (bureau administrators approve every publication).

    Institution staff may add and change pages in the sections (never publish); which courses they
    may touch is narrowed to their own institution's by wagtail_hooks.py and CoursePageForm.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from .models import CATALOG_CATEGORIES, SECTION_TITLES, CourseIndexPage

    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    bureau, _ = Group.objects.get_or_create(name=BUREAU_GROUP)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    staff.permissions.add(access)
    bureau.permissions.add(access)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for codename in ("add_document", "change_document", "choose_document"):
            perm = Permission.objects.filter(content_type__app_label="wagtaildocs", codename=codename).first()
            if perm:
                for group in (staff, bureau):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )

    from frontend.models import HomePage

    home = HomePage.objects.first()
    sections = []
    if home is not None:
        for category in CATALOG_CATEGORIES:
            section = CourseIndexPage.objects.filter(category=category).first()
            if section is None:
                title, slug = SECTION_TITLES[category]
                section = CourseIndexPage(title=title, slug=slug, category=category)
                home.add_child(instance=section)
                section.save_revision().publish()
            sections.append(section)

    page_perm = {c: Permission.objects.get(content_type__app_label="wagtailcore", codename=c)
                 for c in ("add_page", "change_page", "publish_page")}
    for section in sections:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(group=staff, page=section, permission=page_perm[codename])
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(group=bureau, page=section, permission=page_perm[codename])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(bureau)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    for section in sections:
        WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=section.pk), defaults={"workflow": workflow})
    return {"sections": sections, "workflow": workflow, "staff_group": staff, "bureau_group": bureau}


# --- learner merge --------------------------------------------------------------------------


@transaction.atomic
def learner_rows_move(*, source, target) -> int:
    """Move a merged learner's enrolments, attendance and exam results to the surviving learner.

    Where the target already has a row for the same course / session / exam, the target's row is
    kept and the source's stays behind (unique constraints). Returns the number of rows moved.
    """
    from .models import Attendance, Enrolment, ExamResult

    moved = Enrolment.objects.filter(learner=source).exclude(
        course_id__in=Enrolment.objects.filter(learner=target).values("course_id")
    ).update(learner=target)
    moved += Attendance.objects.filter(learner=source).exclude(
        session_id__in=Attendance.objects.filter(learner=target).values("session_id")
    ).update(learner=target)
    moved += ExamResult.objects.filter(learner=source).exclude(
        exam_session_id__in=ExamResult.objects.filter(learner=target).values("exam_session_id")
    ).update(learner=target)
    return moved


def on_learner_merged(sender, *, source, target, **kwargs) -> None:
    learner_rows_move(source=source, target=target)

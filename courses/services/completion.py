"""Completion: a course is complete when every required lesson and quiz is done (a media lesson counts only when
its duration was measured; a course with no counting lesson is not completed online) and, for a blended course
with offline sessions, when the learner attended the course's share of its scheduled sessions
(``CoursePage.attendance_required``, of every session not cancelled, past and ahead: with 100 % none may be missed,
so the course cannot complete while a session is still ahead); the completion becomes a training record through
``credits.records.services.record_upsert``."""

import math

from bianxue.vocab import RecordKind, RecordResult
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from credits.records.services import record_upsert

from ..models import Attendance, CourseStats, Enrolment, LessonProgress, Mode, QuizAttempt, Session
from .media import lesson_counts_toward_completion, lesson_media_durations


def enrolment_counting_lessons(*, course) -> list[dict]:
    """The required lessons that count toward completion: a video or audio lesson whose media could not be
    measured when the course was saved does not (it is marked so for editors and learners)."""
    lessons = course.lesson_list()
    durations = lesson_media_durations(course=course, lessons=lessons)
    return [item for item in lessons if item["value"].get("required", True)
            and lesson_counts_toward_completion(lesson=item, durations=durations)]


def enrolment_missing_lessons(*, enrolment: Enrolment) -> list[str]:
    """Ids of required (counting) lessons and quizzes not yet done."""
    lessons = enrolment_counting_lessons(course=enrolment.course)
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


def enrolment_sessions_state(*, enrolment: Enrolment, now=None) -> dict:
    """The offline part of the course's rule for this learner (two queries; none for an online course):
    ``counted`` whether sessions take part in completion (a blended course with sessions), ``total`` sessions
    (not cancelled), ``ahead`` those not yet ended and not attended, ``next_session`` the first of them,
    ``attended``, ``needed`` (attendances the rule asks for), ``missing`` attendances still needed, and ``met``.
    Completion is decided on events (a lesson, a quiz, an attendance), so the rule counts every scheduled session
    rather than waiting for dates to pass."""
    course = enrolment.course
    state = {"counted": False, "total": 0, "ahead": 0, "attended": 0, "needed": 0, "missing": 0, "met": True,
             "next_session": None}
    if course.mode != Mode.BLENDED:
        return state
    now = now or timezone.now()
    sessions = list(Session.objects.filter(course_id=course.pk, cancelled_at__isnull=True)
                    .only("pk", "starts_at", "ends_at", "venue").order_by("starts_at"))
    if not sessions:
        return state
    attended = set(Attendance.objects.filter(learner_id=enrolment.learner_id, present=True,
                                             session_id__in=[s.pk for s in sessions])
                   .values_list("session_id", flat=True))
    ahead = [s for s in sessions if s.ends_at > now and s.pk not in attended]
    needed = math.ceil(len(sessions) * (course.attendance_required or 0) / 100)
    missing = max(0, needed - len(attended))
    state.update(counted=needed > 0, total=len(sessions), ahead=len(ahead), attended=len(attended), needed=needed,
                 missing=missing, met=not missing, next_session=ahead[0] if ahead else None)
    return state


@transaction.atomic
def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment when every required lesson and quiz is done and the offline sessions are behind and
    attended as the course asks; record it for credit. Called after each lesson, quiz and attendance."""
    enrolment = Enrolment.objects.select_for_update().select_related("course", "learner").get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    if enrolment.status != Enrolment.Status.ENROLLED:
        return False
    course = enrolment.course
    if not enrolment_counting_lessons(course=course) or enrolment_missing_lessons(enrolment=enrolment):
        return False
    if not enrolment_sessions_state(enrolment=enrolment)["met"]:
        return False
    now = timezone.now()
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    CourseStats.objects.get_or_create(course=course)
    CourseStats.objects.filter(course=course).update(completed=F("completed") + 1)
    record_upsert(
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


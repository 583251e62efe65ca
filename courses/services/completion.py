"""Completion: a course is complete when every required lesson and quiz is done (a media lesson counts only when
its duration was measured; a course with no counting lesson is not completed online); the completion
becomes a training record through ``credits.records.services.record_upsert``."""

from bianxue.vocab import RecordKind, RecordResult
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from credits.records.services import record_upsert

from ..models import CourseStats, Enrolment, LessonProgress, QuizAttempt
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


@transaction.atomic
def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment when every required lesson and quiz is done; record it for credit."""
    enrolment = Enrolment.objects.select_for_update().select_related("course", "learner").get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    if enrolment.status != Enrolment.Status.ENROLLED:
        return False
    course = enrolment.course
    if not enrolment_counting_lessons(course=course) or enrolment_missing_lessons(enrolment=enrolment):
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


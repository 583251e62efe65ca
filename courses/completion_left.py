"""结业还差 for many enrolments at once (我的学习): the rule of the course page's ``completion_left``
(courses.selectors.course_page_context) in a constant number of queries."""

import math

from django.utils import timezone

from .models import Attendance, LessonMedia, Mode, Session
from .services.media import MEDIA_TYPES, lesson_media_source


def completion_left_bulk(*, enrolments: list, learner, done_by_enrolment: dict) -> dict[int, dict]:
    """结业还差 for many enrolments at once (three queries whatever their number): the same rule as the course
    page's ``completion_left`` (required lessons whose media was measured; the blended courses' sessions)."""
    if not enrolments:
        return {}
    now = timezone.now()
    course_ids = [e.course_id for e in enrolments]
    measured = {(row.course_id, row.lesson_id, row.source) for row in LessonMedia.objects.filter(
        course_id__in=course_ids, duration__gt=0).only("course_id", "lesson_id", "source")}
    blended = [e.course_id for e in enrolments if e.course.mode == Mode.BLENDED]
    sessions: dict[int, list] = {}
    for session in (Session.objects.filter(course_id__in=blended, cancelled_at__isnull=True)
                    .only("pk", "course_id", "starts_at", "ends_at", "venue").order_by("starts_at")):
        sessions.setdefault(session.course_id, []).append(session)
    attended = set(Attendance.objects.filter(
        learner=learner, present=True, session__course_id__in=blended).values_list("session_id", flat=True))
    result = {}
    for enrolment in enrolments:
        course = enrolment.course
        done = done_by_enrolment.get(enrolment.pk, set())
        lessons = [item for item in course.lesson_list()
                   if item["value"].get("required", True) and item["id"] not in done
                   and (item["type"] not in MEDIA_TYPES
                        or (course.pk, item["id"], lesson_media_source(item)) in measured)]
        own = sessions.get(course.pk, [])
        went = [s for s in own if s.pk in attended]
        needed = math.ceil(len(own) * (course.attendance_required or 0) / 100)
        ahead = [s for s in own if s.ends_at > now and s.pk not in attended]
        state = {"attended": len(went), "needed": needed, "missing": max(0, needed - len(went)),
                 "next_session": ahead[0] if ahead else None}
        result[enrolment.pk] = {"lessons": lessons, "sessions": state}
    return result

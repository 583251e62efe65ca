"""Rosters per learner for a course's staff (read only): one row per learner, a fixed number of queries."""

from bianxue.accounts.selectors import user_can_act_for_institution
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Attendance, CoursePage, Enrolment, LessonProgress, QuizAttempt, Session
from .services.completion import enrolment_counting_lessons


def staff_course_get(*, user, course_id: int) -> CoursePage:
    """One course for a roster; PermissionDenied unless the user schedules for its provider (teacher,
    registrar) or is a bureau admin."""
    from django.shortcuts import get_object_or_404

    from .constants import SCHEDULE_ROLES

    course = get_object_or_404(CoursePage.objects.select_related("provider"), pk=course_id)
    if not user_can_act_for_institution(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES):
        raise PermissionDenied(_("无权查看该课程的学员名单。"))
    return course


def course_roster(*, user, course: CoursePage, session: Session | None = None) -> dict:
    """A course's learners, one row each: name (never a phone number), masked mobile, enrolment date and
    status, lesson progress, attendance at each session (or at ``session`` only), completion. Waiting-list
    places are left out; withdrawn learners stay (their status says so).

    For the provider's teachers and registrars (and bureau admins). A fixed number of queries, whatever the
    number of learners or sessions: enrolments (with learner and login), recorded mobiles, sessions,
    attendance, lesson progress and quiz passes, each once."""
    from bianxue.people.identifiers import phone_mask, phone_normalize
    from bianxue.people.models import LearnerPhone
    from bianxue.people.selectors import learner_display_name

    from .constants import SCHEDULE_ROLES

    if not user_can_act_for_institution(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES):
        raise PermissionDenied(_("无权查看该课程的学员名单。"))
    enrolments = list(
        Enrolment.objects.filter(course=course).exclude(status=Enrolment.Status.WAITLISTED)
        .select_related("learner", "learner__user").order_by("learner__name", "pk")
    )
    learner_ids = [e.learner_id for e in enrolments]
    phones = dict(LearnerPhone.objects.filter(institution_id=course.provider_id, learner_id__in=learner_ids)
                  .values_list("learner_id", "phone_masked"))
    sessions_qs = Session.objects.filter(course=course, cancelled_at__isnull=True).order_by("starts_at", "pk")
    if session is not None:
        sessions_qs = sessions_qs.filter(pk=session.pk)
    sessions = list(sessions_qs)
    attended = {
        (a["learner_id"], a["session_id"]): a["present"]
        for a in Attendance.objects.filter(session__course=course, session__cancelled_at__isnull=True,
                                           learner_id__in=learner_ids).values("learner_id", "session_id", "present")
    }
    counting = enrolment_counting_lessons_ids(course=course)
    lessons_total = len(counting["lessons"]) + len(counting["quizzes"])
    done = dict(
        LessonProgress.objects.filter(enrolment__course=course, completed_at__isnull=False,
                                      lesson_id__in=counting["lessons"] or [""])
        .values("enrolment_id").annotate(n=Count("lesson_id", distinct=True)).values_list("enrolment_id", "n")
    )
    for enrolment_id, n in (
        QuizAttempt.objects.filter(enrolment__course=course, passed=True, lesson_id__in=counting["quizzes"] or [""])
        .values("enrolment_id").annotate(n=Count("lesson_id", distinct=True)).values_list("enrolment_id", "n")
    ):
        done[enrolment_id] = done.get(enrolment_id, 0) + n
    rows = []
    for e in enrolments:
        learner = e.learner
        user_phone = learner.user.phone if learner.user_id and learner.user and learner.user.phone else ""
        marks = [attended.get((learner.pk, s.pk)) for s in sessions]
        rows.append({
            "learner": learner, "name": learner_display_name(learner),
            "phone": phones.get(learner.pk) or (phone_mask(phone_normalize(user_phone) or user_phone)
                                                if user_phone else ""),
            "enrolled_at": e.created_at, "status": e.get_status_display(), "status_code": e.status,
            "lessons_done": done.get(e.pk, 0), "lessons_total": lessons_total,
            "attendance": marks, "attended": sum(1 for m in marks if m),
            "completed_at": e.completed_at if e.status == Enrolment.Status.COMPLETED else None,
        })
    return {"course": course, "sessions": sessions, "rows": rows, "lessons_total": lessons_total}


def enrolment_counting_lessons_ids(*, course: CoursePage) -> dict:
    """The ids of the lessons and of the quizzes that count toward completion (as ``enrolment_counting_lessons``)."""
    counting = enrolment_counting_lessons(course=course)
    return {"lessons": [i["id"] for i in counting if i["type"] != "quiz"],
            "quizzes": [i["id"] for i in counting if i["type"] == "quiz"]}

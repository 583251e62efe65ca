"""Reads of the courses app: the catalog, a learner's own learning, staff figures, home-page blocks
and the catalog statistics of indicator L8. Permissions are checked here (they take the user)."""

import datetime
from decimal import Decimal

from bianxue.accounts.selectors import institutions_for_user, user_can_act_for_institution
from bianxue.registry import COURSE_PAGE, page_links_for
from bianxue.vocab import CATALOG_LIFELONG_CATEGORIES
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credits.selectors import account_summary_for_user

from .models import (
    Attendance,
    Audience,
    CoursePage,
    Enrolment,
    ExamRegistration,
    ExamResult,
    ExamSession,
    LessonProgress,
    Mode,
    QuizAttempt,
    Session,
    TargetGroup,
)
from .services.completion import enrolment_sessions_state
from .services.media import MEDIA_TYPES, lesson_counts_toward_completion, lesson_media_durations

SORTS = {
    "start": ("start_date", "-first_published_at"),
    "-start": ("-start_date", "-first_published_at"),
    "popular": ("-stats__enrolled", "start_date"),
    "new": ("-first_published_at",),
}


def course_list(
    *,
    category: str | None = None,
    district: str | None = None,
    mode: str | None = None,
    audience: str | None = None,
    provider: int | None = None,
    q: str | None = None,
    sort: str = "start",
    free: bool = False,
    target_group: str | None = None,
) -> QuerySet:
    """Published courses with everything a catalog card shows, in a constant number of queries. ``free``: only
    courses without a fee (index course_fee_cat); ``target_group``: courses for that group (the M2M table's index
    on the group)."""
    qs = (
        CoursePage.objects.live()
        .select_related("provider", "district", "stats")
        .prefetch_related(Prefetch("audiences", queryset=Audience.objects.all()))
    )
    if category:
        qs = qs.filter(category=category)
    if district:
        qs = qs.filter(Q(district_id=district) | Q(district__isnull=True, provider__district_id=district))
    if mode:
        qs = qs.filter(mode=mode)
    if audience:
        qs = qs.filter(audiences__code=audience)
    if free:
        qs = qs.filter(fee_yuan=0)
    if target_group:
        qs = qs.filter(Exists(CoursePage.target_groups.through.objects.filter(
            coursepage_id=OuterRef("pk"), targetgroup_id=target_group)))
    if provider:
        qs = qs.filter(provider_id=provider)
    if q:
        terms = q.split()
        for term in terms[:5]:
            qs = qs.filter(
                Q(title__icontains=term) | Q(summary__icontains=term) | Q(provider__name__icontains=term)
            )
    return qs.order_by(*SORTS.get(sort, SORTS["start"]), "pk")


def target_groups() -> QuerySet:
    """The plan's target groups (the catalog filter and the CMS checkboxes), in display order."""
    return TargetGroup.objects.all()


def course_providers() -> QuerySet:
    """Institutions that have published courses (the provider filter)."""
    from bianxue.institutions.models import Institution

    return Institution.objects.filter(Exists(CoursePage.objects.live().filter(provider=OuterRef("pk")))).order_by("code")


# --- one learner's learning -----------------------------------------------------------------


def _learner_of(user):
    if not user or not user.is_authenticated:
        return None
    from bianxue.people.models import Learner

    return Learner.objects.filter(user=user).first()


def enrolment_progress(*, enrolment: Enrolment, course: CoursePage | None = None) -> dict:
    """Per-lesson state of one enrolment: {lesson_id: {"done", "position", "attempts", "passed"}}."""
    state: dict[str, dict] = {}
    for row in LessonProgress.objects.filter(enrolment=enrolment).only("lesson_id", "position", "completed_at"):
        state[row.lesson_id] = {"done": row.completed_at is not None, "position": row.position, "attempts": 0,
                                "passed": False}
    for row in QuizAttempt.objects.filter(enrolment=enrolment).values("lesson_id", "passed", "score"):
        item = state.setdefault(row["lesson_id"], {"done": False, "position": 0, "attempts": 0, "passed": False})
        item["attempts"] += 1
        item["best"] = max(item.get("best", 0), row["score"])
        if row["passed"]:
            item["passed"] = item["done"] = True
    return state


def _summarise(lessons: list, state: dict) -> dict:
    total = len(lessons)
    done = sum(1 for item in lessons if state.get(item["id"], {}).get("done"))
    next_lesson = next((item for item in lessons if not state.get(item["id"], {}).get("done")), None)
    return {"total": total, "done": done, "percent": round(100 * done / total) if total else 0,
            "next_lesson": next_lesson}


WEEKDAYS = [gettext_noop("周一"), gettext_noop("周二"), gettext_noop("周三"), gettext_noop("周四"),
            gettext_noop("周五"), gettext_noop("周六"), gettext_noop("周日")]


def course_schedule(*, sessions: list) -> list[dict]:
    """When a course meets, derived from its sessions (never typed): one row per weekday, start–end time (in the
    site's time zone, Asia/Shanghai) and venue, with how many sessions and their first and last dates, in weekday
    order. ``weekday_label`` is a msgid (周一...), translated by the template."""
    tz = timezone.get_default_timezone()
    rows: dict[tuple, dict] = {}
    for session in sessions:
        starts, ends = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
        key = (starts.weekday(), starts.strftime("%H:%M"), ends.strftime("%H:%M"), session.venue)
        row = rows.setdefault(key, {"weekday": key[0], "weekday_label": WEEKDAYS[key[0]], "starts": key[1],
                                    "ends": key[2], "venue": key[3], "count": 0, "first": starts.date(),
                                    "last": starts.date()})
        row["count"] += 1
        row["first"], row["last"] = min(row["first"], starts.date()), max(row["last"], starts.date())
    return [rows[key] for key in sorted(rows)]


def _lessons_left(lessons: list, state: dict) -> list:
    """The required, counting lessons and quizzes the learner has not done yet (what stands before completion)."""
    return [item for item in lessons if item["value"].get("required", True) and not item["uncounted"]
            and not state.get(item["id"], {}).get("done")]


def course_page_context(*, course: CoursePage, user) -> dict:
    """What the course page shows the viewer: their enrolment, lesson states and lengths (measured from the media,
    not typed), when the course meets (from its sessions), what is left before completion (lessons and offline
    sessions), the target groups and the 1+X exam sittings. Constant in the number of lessons and sessions."""
    lessons = course.lesson_list()
    context = {"lesson_items": lessons, "enrolment": None, "progress": {}, "summary": _summarise(lessons, {}),
               "completion_left": None}
    now = timezone.now()
    upcoming = list(course.sessions.filter(ends_at__gte=now, cancelled_at__isnull=True))
    context["upcoming_sessions"] = upcoming[:10]
    context["schedule"] = course_schedule(sessions=upcoming)
    context["target_groups"] = list(course.target_groups.all())
    context["exam_sittings"] = exam_sittings_for_certificate(certificate_id=course.certificate_id)
    # links other apps add to the page (the discussion board, live rooms), without courses importing them
    context["page_links"] = page_links_for(slot=COURSE_PAGE, obj=course, user=user)
    learner = _learner_of(user)
    enrolment = None
    if learner is not None:
        enrolment = Enrolment.objects.filter(course=course, learner=learner).first()
        if enrolment is not None:
            state = enrolment_progress(enrolment=enrolment)
            context.update(enrolment=enrolment, progress=state, summary=_summarise(lessons, state))
    durations = lesson_media_durations(course=course, lessons=lessons)
    for item in lessons:
        item["state"] = context["progress"].get(item["id"], {})
        item["uncounted"] = not lesson_counts_toward_completion(lesson=item, durations=durations)
        # The length shown: the measured seconds of a media lesson (never its typed minutes); the editor's
        # estimate only for reading, documents and quizzes, which have no media to measure.
        item["is_media"] = item["type"] in MEDIA_TYPES
        item["seconds"] = durations.get(item["id"]) if item["is_media"] else None
        item["estimate_minutes"] = None if item["is_media"] else item["value"].get("minutes")
    if enrolment is not None and enrolment.status == Enrolment.Status.ENROLLED:
        enrolment.course = course
        context["completion_left"] = {
            "lessons": _lessons_left(lessons, context["progress"]),
            "sessions": enrolment_sessions_state(enrolment=enrolment, now=now),
        }
    return context


def enrolment_for_user(*, user, course_id: int) -> Enrolment | None:
    learner = _learner_of(user)
    if learner is None:
        return None
    return Enrolment.objects.select_related("course", "learner").filter(course_id=course_id, learner=learner).first()


def my_learning(*, user) -> dict:
    """我的学习: the user's own enrolments with progress, finished courses, upcoming sessions, certificates.

    Query count is constant in the number of enrolments and lessons.
    """
    learner = _learner_of(user)
    empty = {"learner": None, "current": [], "finished": [], "waiting": [], "sessions": [], "certificates": []}
    if learner is None:
        return empty
    enrolments = list(
        Enrolment.objects.filter(learner=learner)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("course", "course__provider")
        .order_by("-created_at")
    )
    ids = [e.pk for e in enrolments]
    done_by_enrolment: dict[int, set] = {}
    for enrolment_id, lesson_id in LessonProgress.objects.filter(
        enrolment_id__in=ids, completed_at__isnull=False
    ).values_list("enrolment_id", "lesson_id"):
        done_by_enrolment.setdefault(enrolment_id, set()).add(lesson_id)
    for enrolment_id, lesson_id in QuizAttempt.objects.filter(enrolment_id__in=ids, passed=True).values_list(
        "enrolment_id", "lesson_id"
    ):
        done_by_enrolment.setdefault(enrolment_id, set()).add(lesson_id)
    current, finished, waiting = [], [], []
    for enrolment in enrolments:
        lessons = enrolment.course.lesson_list()
        state = {lid: {"done": True} for lid in done_by_enrolment.get(enrolment.pk, ())}
        item = {"enrolment": enrolment, "course": enrolment.course, **_summarise(lessons, state)}
        {Enrolment.Status.COMPLETED: finished, Enrolment.Status.WAITLISTED: waiting}.get(
            enrolment.status, current
        ).append(item)
    course_ids = [e.course_id for e in enrolments if e.status != Enrolment.Status.WAITLISTED]
    sessions = list(
        Session.objects.filter(course_id__in=course_ids, ends_at__gte=timezone.now(), cancelled_at__isnull=True)
        .select_related("course").order_by("starts_at")[:20]
    )
    certificates = list(
        ExamResult.objects.filter(learner=learner, result=ExamResult.Result.PASSED)
        .select_related("exam_session__certificate").order_by("-exam_session__date")
    )
    return {"learner": learner, "current": current, "finished": finished, "waiting": waiting,
            "sessions": sessions, "certificates": certificates}


def credits_summary_for_user(*, user):
    """The credit bank's summary for the user (None while they have no credit bank account)."""
    return account_summary_for_user(user=user)


# --- staff ----------------------------------------------------------------------------------


def staff_course_figures(*, user, institution_id: int | None = None) -> list[dict]:
    """Courses of the institutions the user may act for, with enrolment/completion/attendance figures."""
    institutions = institutions_for_user(user=user)
    if institution_id is not None:
        if not user_can_act_for_institution(user=user, institution_id=institution_id):
            raise PermissionDenied(_("无权查看该机构。"))
        institutions = institutions.filter(pk=institution_id)
    courses = (
        CoursePage.objects.filter(provider__in=institutions)
        .select_related("provider")
        .annotate(
            n_enrolled=Count("enrolments", filter=Q(enrolments__status__in=["enrolled", "completed"]), distinct=True),
            n_waiting=Count("enrolments", filter=Q(enrolments__status="waitlisted"), distinct=True),
            n_completed=Count("enrolments", filter=Q(enrolments__status="completed"), distinct=True),
            n_sessions=Count("sessions", filter=Q(sessions__cancelled_at__isnull=True), distinct=True),
        )
        .order_by("provider__code", "title")
    )
    attendance = dict(
        Attendance.objects.filter(session__course__provider__in=institutions, present=True)
        .values("session__course_id").annotate(n=Count("id")).values_list("session__course_id", "n")
    )
    rows = []
    for course in courses:
        rows.append({
            "course": course, "provider": course.provider, "enrolled": course.n_enrolled,
            "waiting": course.n_waiting, "completed": course.n_completed, "sessions": course.n_sessions,
            "attendances": attendance.get(course.pk, 0),
            "completion_rate": round(100 * course.n_completed / course.n_enrolled) if course.n_enrolled else None,
        })
    return rows


def staff_courses_for_user(*, user) -> QuerySet:
    """Courses (live or draft) of the institutions the user schedules for: teacher/registrar, or bureau."""
    from .constants import SCHEDULE_ROLES

    return (
        CoursePage.objects.filter(provider__in=institutions_for_user(user=user, roles=SCHEDULE_ROLES))
        .select_related("provider").order_by("provider__code", "title")
    )


def staff_sessions(*, user, limit: int = 50) -> list:
    """Recent and coming sessions of the courses of the user's institutions (cancelled ones included)."""
    return list(
        Session.objects.filter(course__provider__in=institutions_for_user(user=user))
        .select_related("course").order_by("-starts_at")[:limit]
    )


def staff_session_get(*, user, session_id: int) -> Session:
    """One session for a staff page; PermissionDenied unless the user acts for its provider."""
    from django.shortcuts import get_object_or_404

    session = get_object_or_404(Session.objects.select_related("course", "course__provider"), pk=session_id)
    if not user_can_act_for_institution(user=user, institution_id=session.course.provider_id):
        raise PermissionDenied(_("无权查看该课次。"))
    return session


def staff_exam_get(*, user, exam_id: int) -> ExamSession:
    from django.shortcuts import get_object_or_404

    exam = get_object_or_404(ExamSession.objects.select_related("certificate", "institution"), pk=exam_id)
    if not user_can_act_for_institution(user=user, institution_id=exam.institution_id):
        raise PermissionDenied(_("无权查看该考试。"))
    return exam


def session_attendance(*, user, session: Session) -> list[dict]:
    """Roster of a session (enrolled learners with their attendance) for the provider's staff."""
    if not user_can_act_for_institution(user=user, institution_id=session.course.provider_id):
        raise PermissionDenied(_("无权查看该课次。"))
    present = {a.learner_id: a for a in session.attendances.all()}
    enrolments = Enrolment.objects.filter(
        course_id=session.course_id, status__in=["enrolled", "completed"]
    ).select_related("learner", "learner__user").order_by("learner__name")
    return [{"learner": e.learner, "attendance": present.get(e.learner_id)} for e in enrolments]


# --- home page ------------------------------------------------------------------------------


def course_list_for_home(*, category: str | None = None, audience: str | None = None, limit: int = 6) -> list:
    """Upcoming and popular published courses for the home page."""
    return list(course_list(category=category, audience=audience, sort="popular")[:limit])


def session_upcoming_for_home(*, district_code: str | None = None, limit: int = 6) -> list:
    """Offline sessions starting soon (published courses), optionally in one district."""
    qs = Session.objects.filter(starts_at__gte=timezone.now(), course__live=True, cancelled_at__isnull=True).select_related(
        "course", "course__provider"
    )
    if district_code:
        qs = qs.filter(Q(course__district_id=district_code)
                       | Q(course__district__isnull=True, course__provider__district_id=district_code))
    return list(qs.order_by("starts_at")[:limit])


def enrolment_next_lesson_for_user(*, user, scan: int = 10) -> dict | None:
    """"Continue learning": of the user's latest active enrolments (at most ``scan``), the most recent with a lesson
    still to do, that lesson and the link to it; None when no enrolment has one (the home card does not show).

    Three queries whatever the number of enrolments and lessons."""
    learner = _learner_of(user)
    if learner is None:
        return None
    enrolments = list(
        Enrolment.objects.filter(learner=learner, status=Enrolment.Status.ENROLLED)
        .select_related("course").order_by("-created_at")[:scan]
    )
    done = _done_lessons(enrolment_ids=[e.pk for e in enrolments])
    for enrolment in enrolments:
        state = {lesson_id: {"done": True} for lesson_id in done.get(enrolment.pk, ())}
        summary = _summarise(enrolment.course.lesson_list(), state)
        if summary["next_lesson"] is not None:
            url = reverse("courses:lesson", args=[enrolment.course_id, summary["next_lesson"]["id"]])
            return {"enrolment": enrolment, "course": enrolment.course, "url": url, **summary}
    return None


def _done_lessons(*, enrolment_ids: list[int]) -> dict[int, set]:
    """Lesson ids done per enrolment (completed progress rows and passed quizzes): two queries."""
    done: dict[int, set] = {}
    rows = LessonProgress.objects.filter(enrolment_id__in=enrolment_ids, completed_at__isnull=False)
    for enrolment_id, lesson_id in rows.values_list("enrolment_id", "lesson_id"):
        done.setdefault(enrolment_id, set()).add(lesson_id)
    passed = QuizAttempt.objects.filter(enrolment_id__in=enrolment_ids, passed=True)
    for enrolment_id, lesson_id in passed.values_list("enrolment_id", "lesson_id"):
        done.setdefault(enrolment_id, set()).add(lesson_id)
    return done


# --- indicator L8 ---------------------------------------------------------------------------


def catalog_online_stats(*, year: int, district_code: str | None = None, institution_id: int | None = None) -> dict:
    """L8: published online/blended courses of the lifelong categories, and their total hours.

    Counts courses live now and first published by the end of ``year``. Returns
    {"courses", "hours", "lesson_hours"} ("lesson_hours" is the name credits.records.registry uses).
    """
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    qs = CoursePage.objects.live().filter(
        mode__in=[Mode.ONLINE, Mode.BLENDED],
        category__in=list(CATALOG_LIFELONG_CATEGORIES),
        first_published_at__lt=end,
    )
    if district_code:
        qs = qs.filter(Q(district_id=district_code) | Q(district__isnull=True, provider__district_id=district_code))
    if institution_id:
        qs = qs.filter(provider_id=institution_id)
    agg = qs.aggregate(courses=Count("pk"), hours=Coalesce(Sum("hours"), Decimal("0")))
    hours = Decimal(agg["hours"])
    return {"courses": agg["courses"], "hours": hours, "lesson_hours": hours}


def exam_sessions_for_user(*, user) -> QuerySet:
    """1+X exam sittings of the institutions the user may act for."""
    return ExamSession.objects.filter(institution__in=institutions_for_user(user=user)).select_related(
        "certificate", "institution"
    )


def exam_results(*, user, exam_session) -> QuerySet:
    if not user_can_act_for_institution(user=user, institution_id=exam_session.institution_id):
        raise PermissionDenied(_("无权查看该考试。"))
    return exam_session.results.select_related("learner").order_by("learner__name")


# --- 1+X exam registration ------------------------------------------------------------------------


def exam_sessions_open(*, certificate_id: int | None = None) -> QuerySet:
    """Upcoming sittings open for registration (not cancelled; registration closes the day before)."""
    qs = ExamSession.objects.filter(cancelled_at__isnull=True, date__gt=timezone.localdate())
    if certificate_id:
        qs = qs.filter(certificate_id=certificate_id)
    return qs.select_related("institution", "certificate", "programme").order_by("date", "pk")


def exam_sittings_for_certificate(*, certificate_id: int | None, limit: int = 5) -> list:
    """Upcoming 1+X sittings of a certificate open for registration, with the programme that sets the exam's fee
    and eligibility (one query; none without a certificate)."""
    if not certificate_id:
        return []
    return list(exam_sessions_open(certificate_id=certificate_id)[:limit])


def exam_registrations_for_user(*, user) -> QuerySet:
    """The signed-in learner's registrations, newest sitting first (empty without a learner record)."""
    learner = _learner_of(user)
    if learner is None:
        return ExamRegistration.objects.none()
    return (ExamRegistration.objects.filter(learner=learner)
            .select_related("exam_session__institution", "exam_session__certificate")
            .order_by("-exam_session__date"))


def exam_candidates(*, user, exam_session) -> list[dict]:
    """The sitting's registered candidates with their results, for its institution's staff."""
    if not user_can_act_for_institution(user=user, institution_id=exam_session.institution_id):
        raise PermissionDenied(_("无权查看该考试。"))
    results = {r.learner_id: r for r in exam_session.results.all()}
    registrations = exam_session.registrations.select_related("learner", "learner__user", "registered_by").order_by(
        "learner__name")
    return [{"registration": r, "learner": r.learner, "result": results.get(r.learner_id)} for r in registrations]


def course_sections_for_editor(*, user) -> list:
    """The catalog sections under which ``user`` may add a course in the CMS, in catalog order (the CMS
    dashboard's 新建课程 panel). Wagtail caches the user's page permissions: one read for all sections."""
    from .models import CourseIndexPage

    return [section for section in CourseIndexPage.objects.order_by("path")
            if section.permissions_for_user(user).can_add_subpage()]


def courses_enrolled_for_user(*, user) -> QuerySet:
    """The live courses the user is enrolled in or completed, latest enrolment first (for other apps' pages,
    e.g. the community's boards of my courses)."""
    learner = _learner_of(user)
    if learner is None:
        return CoursePage.objects.none()
    rows = Enrolment.objects.filter(learner=learner, status__in=[Enrolment.Status.ENROLLED,
                                                                 Enrolment.Status.COMPLETED])
    return (CoursePage.objects.live().filter(pk__in=rows.values("course_id")).select_related("provider")
            .order_by("title"))

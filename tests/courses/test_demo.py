"""courses/demo.py: a catalog a bureau could show (every district and category, 1+X programmes with exam sittings at
the vocational schools), daytime sessions that follow each course's weekly pattern, media durations measured from
the bundled files, and a loader that changes nothing when run again."""

import datetime
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

QUIET = type("S", (), {"write": staticmethod(lambda s: None)})()


def _load_demo_catalog():
    from bianxue.institutions.demo_loader import load as load_institutions

    from courses import demo
    from frontend.demo import load as load_portal

    load_institutions(stdout=QUIET)
    load_portal(stdout=QUIET)
    demo.load(stdout=QUIET)


def _snapshot():
    from wagtail.models import Revision

    from courses.models import ExamSession, LessonMedia, Session

    return (sorted(LessonMedia.objects.values_list("course_id", "lesson_id", "source", "duration")),
            sorted(Session.objects.values_list("pk", "course_id", "starts_at", "ends_at")),
            sorted(ExamSession.objects.values_list("pk", "programme_id", "date")),
            Revision.objects.count())


def test_demo_catalog_is_measured_daytime_consistent_and_the_loader_is_idempotent():
    from bianxue.vocab import KAIFENG_DISTRICTS, Category

    from courses import demo, services
    from courses.models import CoursePage, ExamSession, ProgrammePage

    _load_demo_catalog()
    first = _snapshot()
    assert first[0] and {duration for *_rest, duration in first[0]} == {20, 12}  # the sample WebM and WAV
    demo.load(stdout=QUIET)
    assert _snapshot() == first  # nothing published, planned or scheduled again

    courses = list(CoursePage.objects.live().select_related("provider"))
    assert len(courses) >= 40
    assert {c.district_id for c in courses} == set(KAIFENG_DISTRICTS)
    assert {c.category for c in courses} == set(Category.values) - {"other"}
    for course in courses:
        media = [x for x in course.lesson_list() if x["type"] in ("video", "audio")]
        durations = services.lesson_media_durations(course=course)
        assert all(durations[x["id"]] for x in media), course.title
        # no schedule, time or category code written as text: the sessions are the schedule
        words = " ".join([course.title, course.summary, course.description])
        assert not re.search(r"\d{1,2}[:：]\d{2}|每周|周末|周[一二三四五六日]|smart_tech|x_certificate", words), course.title

    programmes = list(ProgrammePage.objects.live())
    assert len(programmes) >= 5
    for programme in programmes:
        assert programme.provider.type in ("higher_vocational", "secondary_vocational")
        assert ExamSession.objects.filter(programme=programme, date__gte=timezone.localdate()).exists(), programme
    assert ExamSession.objects.filter(date__lt=timezone.localdate(), registrations__isnull=False).exists()
    _assert_sessions_follow_the_weekly_pattern_in_the_daytime_and_fit_the_hours()

    # smart_tech courses wait under 老年教育 until their category has a section of its own, then move there
    from courses.models import CourseIndexPage
    from frontend.models import HomePage

    section = CourseIndexPage(title="智能技术应用", slug="smart-tech", category="smart_tech")
    HomePage.objects.first().add_child(instance=section)
    section.save_revision().publish()
    demo.load(stdout=QUIET)
    smart = CoursePage.objects.filter(category="smart_tech")
    assert smart and all(c.get_parent().pk == section.pk and c.url.startswith("/smart-tech/") for c in smart)


def _assert_sessions_follow_the_weekly_pattern_in_the_daytime_and_fit_the_hours():
    """(In the test above: loading the catalog takes a while.)"""
    from courses.demo import COURSES, TODAYS_SESSION_COURSE, X_PROGRAMMES, todays_session_slot
    from courses.models import CoursePage, Session

    specs = {s["slug"]: s for s in [*COURSES, *(c for p in X_PROGRAMMES for c in p[6])]}
    sessions = list(Session.objects.select_related("course"))
    assert sessions
    by_course = {}
    for session in sessions:
        by_course.setdefault(session.course.slug, []).append(session)
    today = todays_session_slot(now=timezone.now())
    for slug, spec in specs.items():
        mine = by_course.get(slug, [])
        if slug == TODAYS_SESSION_COURSE:  # the extra session of the day the demo was loaded (QR check-in)
            extra = [s for s in mine if (s.starts_at, s.ends_at) == today]
            assert len(extra) == 1 and datetime.time(8) <= timezone.localtime(extra[0].starts_at).time()
            mine = [s for s in mine if s not in extra]
        if not spec["weekly"]:
            assert not mine, slug
            continue
        weekdays, start, end, count = spec["weekly"]
        starts = [timezone.localtime(s.starts_at) for s in mine]
        assert len(mine) == count, slug
        assert {d.weekday() for d in starts} <= set(weekdays), slug
        assert {d.strftime("%H:%M") for d in starts} == {start}, slug
        assert {timezone.localtime(s.ends_at).strftime("%H:%M") for s in mine} == {end}, slug
        assert all(datetime.time(8) <= d.time() and timezone.localtime(s.ends_at).time() <= datetime.time(17)
                   for d, s in zip(starts, mine, strict=True)), slug
        hours = sum((s.ends_at - s.starts_at).total_seconds() for s in mine) / 3600
        course = CoursePage.objects.get(slug=slug)
        assert hours <= float(course.hours), slug
        assert (course.start_date, course.end_date) == (min(starts).date(), max(starts).date()), slug


def test_sessions_sync_keeps_planned_and_attended_sessions_and_drops_the_rest():
    from courses.demo import SHANGHAI, sessions_sync
    from courses.models import Attendance, Session
    from courses.services import catalog_setup
    from tests.courses.factories import create_course
    from tests.factories import InstitutionFactory, LearnerFactory

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, provider=InstitutionFactory(), title="太极拳")
    at = lambda day, hour, minute=0: datetime.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)  # noqa: E731
    planned = [(at(2, 9), at(2, 10, 30)), (at(9, 9), at(9, 10, 30))]
    kept = Session.objects.create(course=course, starts_at=planned[0][0], ends_at=planned[0][1])
    night = Session.objects.create(course=course, starts_at=at(2, 21), ends_at=at(2, 23))
    attended = Session.objects.create(course=course, starts_at=at(3, 21), ends_at=at(3, 23))
    Attendance.objects.create(session=attended, learner=LearnerFactory(), method="staff")

    assert sessions_sync({course.pk: (planned, "活动大厅")}) == (1, 1)
    assert not Session.objects.filter(pk=night.pk).exists()
    rows = sorted(Session.objects.filter(course=course).values_list("starts_at", flat=True))
    assert rows == [kept.starts_at, attended.starts_at, planned[1][0]]
    assert sessions_sync({course.pk: (planned, "活动大厅")}) == (0, 0)


@pytest.mark.parametrize(("local", "expected"), [
    ("2026-12-01 10:47", ("2026-12-01 10:30", "2026-12-01 12:30")),  # under way: began on the half hour
    ("2026-12-01 14:05", ("2026-12-01 14:00", "2026-12-01 16:00")),
    ("2026-12-01 15:20", ("2026-12-02 09:00", "2026-12-02 11:00")),  # would end after 17:00: tomorrow morning
    ("2026-12-01 07:10", ("2026-12-01 09:00", "2026-12-01 11:00")),  # early: this morning at nine
    ("2026-12-01 21:40", ("2026-12-02 09:00", "2026-12-02 11:00")),  # evening: not at night
])
def test_todays_demo_session_is_under_way_in_the_daytime(local, expected):
    import datetime

    from courses.demo import SHANGHAI, todays_session_slot

    def at(text):
        return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)

    assert todays_session_slot(now=at(local).astimezone(datetime.UTC)) == (at(expected[0]), at(expected[1]))

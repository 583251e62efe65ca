"""courses/demo.py: the demo catalog's video and audio lessons get durations measured from the bundled files when
the loader publishes them, and loading again changes nothing."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_lessons_are_measured_and_the_loader_is_idempotent():
    from bianxue.institutions.demo_loader import load as load_institutions

    from courses import demo, services
    from courses.models import CoursePage, LessonMedia
    from frontend.demo import load as load_portal

    quiet = type("S", (), {"write": staticmethod(lambda s: None)})()
    load_institutions(stdout=quiet)
    load_portal(stdout=quiet)
    demo.load(stdout=quiet)
    rows = sorted(LessonMedia.objects.values_list("course_id", "lesson_id", "source", "duration"))
    assert rows and {duration for *_rest, duration in rows} == {20, 12}  # the sample WebM and WAV
    demo.load(stdout=quiet)
    assert sorted(LessonMedia.objects.values_list("course_id", "lesson_id", "source", "duration")) == rows
    for course in CoursePage.objects.live():
        media = [x for x in course.lesson_list() if x["type"] in ("video", "audio")]
        durations = services.lesson_media_durations(course=course)
        assert all(durations[x["id"]] for x in media), course.title

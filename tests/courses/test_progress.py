"""courses/services/progress.py and media.py: measured durations, watched time bounded by the wall clock,
completion from these checked facts only."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses import services
from courses.models import LessonMedia, LessonProgress
from tests.courses.factories import lesson, watch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE_VIDEO_SECONDS = 20  # courses/static/courses/media/sample-lesson.webm
SAMPLE_AUDIO_SECONDS = 12  # courses/static/courses/media/sample-lesson.wav


def test_durations_are_measured_from_the_file_when_the_course_is_published(make_course):
    course = make_course(lessons=[lesson("video"), lesson("audio"), lesson("text")])
    video, audio, _text = course.lesson_list()
    assert services.lesson_media_durations(course=course) == {video["id"]: SAMPLE_VIDEO_SECONDS,
                                                               audio["id"]: SAMPLE_AUDIO_SECONDS}
    row = LessonMedia.objects.get(course=course, lesson_id=video["id"])
    assert row.source == "/static/courses/media/sample-lesson.webm" and row.problem == ""


def test_an_uploaded_document_is_measured(make_course):
    from django.contrib.staticfiles import finders
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    with open(finders.find("courses/media/sample-lesson.wav"), "rb") as handle:
        document = get_document_model().objects.create(title="音频", file=ContentFile(handle.read(), "a.wav"))
    course = make_course(lessons=[lesson("audio", audio=document.pk, audio_url="")])
    item = course.lesson_list()[0]
    assert services.lesson_media_durations(course=course) == {item["id"]: SAMPLE_AUDIO_SECONDS}
    assert LessonMedia.objects.get(course=course).source == f"document:{document.pk}"


@pytest.mark.parametrize("url, problem", [("https://video.example.cn/a.mp4", "external"),
                                          ("/static/courses/media/missing.webm", "missing"),
                                          ("/static/courses/media/sample-lesson.vtt", "unreadable")])
def test_unmeasurable_media_is_marked_and_does_not_count(make_course, url, problem):
    course = make_course(lessons=[lesson("video", video_url=url), lesson("text")])
    video, text = course.lesson_list()
    assert services.lesson_media_durations(course=course) == {video["id"]: None}
    assert LessonMedia.objects.get(course=course).problem == problem
    assert [x["id"] for x in services.enrolment_counting_lessons(course=course)] == [text["id"]]


def test_hachoir_reads_nothing_from_garbage():
    assert services.media.media_duration_read(io.BytesIO(b"\x1aE\xdf\xa3" + b"\xff" * 200)) is None
    assert services.media.media_duration_read(io.BytesIO(b"")) is None


def test_heartbeat_credits_wall_clock_not_the_clients_claim(make_course, learner_user, clock):
    course = make_course()
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    beat = services.lesson_heartbeat
    assert beat(user=learner_user, enrolment=enrolment, lesson_id=video, position=0, played=0) is False
    clock.advance(5)
    # the client claims the end of the video and a 1-second duration: 5 seconds are credited, nothing completes
    assert beat(user=learner_user, enrolment=enrolment, lesson_id=video, position=20, duration=1, played=20) is False
    row = LessonProgress.objects.get(enrolment=enrolment, lesson_id=video)
    assert row.watched == pytest.approx(5 + 2)  # wall clock plus the tolerance, carried on the cursor
    assert row.duration == SAMPLE_VIDEO_SECONDS and row.completed_at is None
    # the tolerance is not granted again: beats every 0.1 s add nothing beyond the wall clock
    for _ in range(50):
        clock.advance(0.1)
        beat(user=learner_user, enrolment=enrolment, lesson_id=video, position=20, played=15)
    row.refresh_from_db()
    assert row.watched <= 5 + 5 + 2 + 1e-6 and row.completed_at is None


def test_the_clock_starts_when_the_first_beat_arrives_not_when_the_server_is_done_with_it(
        make_course, learner_user, clock, monkeypatch):
    from courses.services import progress

    course = make_course()
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    measure, calls = progress.lesson_media_durations, []

    def slow_first_measure(**kwargs):
        if not calls:
            clock.advance(3)  # a cold start: the first beat takes the server 3 s
        calls.append(1)
        return measure(**kwargs)

    monkeypatch.setattr(progress, "lesson_media_durations", slow_first_measure)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=0, played=0)
    clock.advance(SAMPLE_VIDEO_SECONDS - 3)  # the video played to its end, 20 s after the first beat was sent
    assert services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video,
                                     position=SAMPLE_VIDEO_SECONDS, played=SAMPLE_VIDEO_SECONDS) is True
    assert LessonProgress.objects.get(enrolment=enrolment, lesson_id=video).watched == pytest.approx(SAMPLE_VIDEO_SECONDS)


def test_a_long_gap_or_a_pause_is_not_watching(make_course, learner_user, clock):
    course = make_course()
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=0, played=0)
    clock.advance(3600)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=20, played=3600)
    clock.advance(15)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=20, played=0)
    assert LessonProgress.objects.get(enrolment=enrolment, lesson_id=video).watched == 0


def test_heartbeat_resume_and_one_write(make_course, learner_user, clock):
    course = make_course()
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=3, played=0)
    clock.advance(5)
    with CaptureQueriesContext(connection) as ctx:
        services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=8, played=5)
    writes = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1
    clock.advance(2)
    services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=2, played=2)
    row = LessonProgress.objects.get(enrolment=enrolment, lesson_id=video)
    assert (row.position, row.furthest, row.completed_at) == (2, 8, None)  # resume where they stopped


def test_really_watching_completes_the_lesson(make_course, learner_user, clock):
    course = make_course(lessons=[lesson("video"), lesson("text")])
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    assert watch(user=learner_user, enrolment=enrolment, lesson_id=video, seconds=15, clock=clock) is False
    clock.advance(3)
    assert services.lesson_heartbeat(user=learner_user, enrolment=enrolment, lesson_id=video, position=18,
                                     played=3) is True  # 18 s = 90 % of the measured 20 s
    assert LessonProgress.objects.get(enrolment=enrolment, lesson_id=video).completed_at is not None


def test_the_course_floor_applies_to_a_low_threshold(make_course, settings):
    settings.COURSES_WATCHED_SHARE_MIN = 80
    assert services.watched_share_required(course=make_course(completion_threshold=5)) == 80
    assert services.watched_share_required(course=make_course(completion_threshold=95)) == 95


@pytest.mark.parametrize("language, expected", [
    ("zh-hans", "请先完整观看或收听：已学习 0 秒，需要 18 秒（时长的 90%）。"),
    ("en", "Please watch or listen to it first: 0 seconds so far, 18 seconds needed (90% of its length)."),
])
def test_media_cannot_be_marked_done_before_it_was_watched(make_course, learner_user, language, expected):
    course = make_course(lessons=[lesson("video"), lesson("audio")])
    enrolment = services.enrolment_create(user=learner_user, course=course)
    with translation.override(language), pytest.raises(ValidationError) as exc:
        services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=course.lesson_list()[0]["id"])
    assert exc.value.messages == [expected]
    with pytest.raises(ValidationError):
        services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=course.lesson_list()[1]["id"])


def test_watched_audio_may_be_marked_done(make_course, learner_user, clock):
    course = make_course(lessons=[lesson("audio"), lesson("text")])
    audio = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=learner_user, course=course)
    assert watch(user=learner_user, enrolment=enrolment, lesson_id=audio, seconds=12, clock=clock) is True
    assert services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=audio) is True


def test_heartbeat_of_another_learner_is_refused(make_course, learner_user):
    course = make_course()
    enrolment = services.enrolment_create(user=learner_user, course=course)
    with pytest.raises(PermissionDenied):
        services.lesson_heartbeat(user=UserFactory(), enrolment=enrolment, lesson_id=course.lesson_list()[0]["id"],
                                  position=1, duration=10)


def test_text_lessons_are_marked_done_by_hand(make_course, learner_user):
    course = make_course(lessons=[lesson("text"), lesson("quiz")])
    text, quiz = (x["id"] for x in course.lesson_list())
    enrolment = services.enrolment_create(user=learner_user, course=course)
    assert services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=text) is True
    with pytest.raises(ValidationError):
        services.lesson_complete(user=learner_user, enrolment=enrolment, lesson_id=quiz)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog's pages from the migrations
def test_racing_heartbeats_count_the_wall_clock_once(sections, clock):
    """Four tabs beat at the same moment, each claiming the 10 s: the wall clock is credited once (compare-and-swap
    on the cursor); a tab that read the row after the winner gets at most the jitter tolerance, once."""
    from tests.courses.factories import create_course

    course = create_course(sections)
    user = UserFactory()
    video = course.lesson_list()[0]["id"]
    enrolment = services.enrolment_create(user=user, course=course)
    services.lesson_heartbeat(user=user, enrolment=enrolment, lesson_id=video, position=0, played=0)
    clock.advance(10)
    barrier = threading.Barrier(4)

    def beat():
        barrier.wait()
        try:
            services.lesson_heartbeat(user=user, enrolment=enrolment, lesson_id=video, position=10, played=10)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    watched = LessonProgress.objects.get(enrolment=enrolment, lesson_id=video).watched
    assert 10 - 1e-6 <= watched <= 10 + services.progress.TOLERANCE + 1e-6

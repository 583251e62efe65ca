"""Learning evidence (issue 10, scenario 4 and the attendance part of scenario 7): online completion rests on facts
the server checked (the media's duration measured from the file, watched time accumulated on the server and never
faster than its clock), and attendance is recorded only for learners enrolled in the course, whatever the door.
docs/trust.md ("Learning evidence 学习证据") explains it.

Scenario × door matrix (every cell a test or a named "not applicable"):

| scenario                                | page                                                             | bulk action                                  | CMS admin (Wagtail)                                           | command                                  |
|-----------------------------------------|------------------------------------------------------------------|----------------------------------------------|---------------------------------------------------------------|------------------------------------------|
| forged position=1&duration=1 heartbeat  | test_forged_heartbeat_does_not_complete_nor_deposit              | n/a: learners have no bulk progress action   | n/a: progress is not entered in the CMS admin                 | n/a: no command records progress         |
| "mark done" on an unwatched video       | test_mark_done_on_an_unwatched_video_is_refused                  | n/a: as above                                | n/a: as above                                                 | n/a: as above                            |
| heartbeats faster than the wall clock   | test_heartbeats_faster_than_the_clock_are_bounded                | n/a: as above                                | n/a: as above                                                 | n/a: as above                            |
| unmeasurable media counted              | test_unmeasurable_media_lesson_does_not_count                    | n/a: as above                                | test_cms_save_tells_the_editor_which_media_does_not_count     | n/a: the demo loader measures as the CMS |
| attendance for a non-enrolled learner   | test_scan_of_a_non_enrolled_learners_code_is_refused, test_correction_for_a_non_enrolled_learner_is_refused, test_session_code_check_in_refused_when_not_enrolled | n/a: no bulk attendance entry exists | n/a: attendance is not in the CMS admin | n/a: no command records attendance |
| legitimate work                         | test_a_learner_who_really_watches_completes_and_earns_credits, test_enrolled_learners_attendance_is_recorded | | | |
"""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Attendance, Enrolment, LessonProgress, Session
from credits.models import LedgerEntry
from credits.records.models import LearningRecord
from tests.courses.factories import Clock, create_course, lesson
from tests.factories import InstitutionFactory, UserFactory, staff_user
from tests.security.conftest import LANGUAGES, in_language, ledger_state


@pytest.fixture
def sections(db):
    return {s.category: s for s in services.catalog_setup()["sections"]}


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(timezone, "now", moved)
    return moved


@pytest.fixture
def provider(db):
    return InstitutionFactory(type="elderly_university", name="开封老年大学")


@pytest.fixture
def video_course(sections, provider):
    """One 20-second video lesson (the bundled sample): watching it completes the course, worth 24 hours."""
    return create_course(sections, provider=provider, hours="24", lessons=[lesson("video", "认识智能手机")])


@pytest.fixture
def learner(db):
    return UserFactory()


def _enrol(user, course):
    return services.enrolment_create(user=user, course=course)


def _nothing_learnt(enrolment) -> bool:
    enrolment.refresh_from_db()
    return (enrolment.status == Enrolment.Status.ENROLLED
            and not LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).exists()
            and not LearningRecord.objects.filter(record_id=f"enrol-{enrolment.pk}").exists())


# --- scenario 4: forged progress ------------------------------------------------------------------------------


def test_forged_heartbeat_does_not_complete_nor_deposit(client, video_course, learner, rules, clock):
    enrolment = _enrol(learner, video_course)
    video = video_course.lesson_list()[0]["id"]
    url = reverse("courses:heartbeat", args=[video_course.pk, video])
    before = ledger_state()
    client.force_login(learner)
    for body in ({"position": 1, "duration": 1}, {"position": 1, "duration": 1}, {"position": 20, "duration": 20},
                 {"position": 20, "duration": 20, "played": 1e9}):
        clock.advance(1)
        response = client.post(url, body)
        assert response.status_code == 200 and response.json() == {"done": False, "course_completed": False}
    response = client.post(url, {"position": "1", "duration": "1"}, content_type="application/json")
    assert response.status_code in (200, 400)
    assert _nothing_learnt(enrolment)
    assert ledger_state() == before
    row = LessonProgress.objects.get(enrolment=enrolment, lesson_id=video)
    assert row.duration == 20  # the measured length, not the player's claim
    assert row.watched <= 4 + 2  # seconds on the server's clock (plus the jitter tolerance), whatever was claimed


@pytest.mark.parametrize("language", LANGUAGES)
def test_mark_done_on_an_unwatched_video_is_refused(client, video_course, learner, rules, language):
    enrolment = _enrol(learner, video_course)
    video = video_course.lesson_list()[0]["id"]
    before = ledger_state()
    client.force_login(learner)
    in_language(client, language)
    response = client.post(reverse("courses:lesson_done", args=[video_course.pk, video]), follow=True)
    expected = {"zh-hans": "请先完整观看或收听：已学习 0 秒，需要 18 秒（时长的 90%）。",
                "en": "Please watch or listen to it first: 0 seconds so far, 18 seconds needed (90% of its length)."}
    assert expected[language] in response.content.decode()
    assert _nothing_learnt(enrolment)
    assert ledger_state() == before


def test_heartbeats_faster_than_the_clock_are_bounded(client, video_course, learner, rules, clock):
    """A script beating every 100 ms, each claiming 15 s played: 3 seconds of wall clock credit ≤ 3 s + 2 s."""
    enrolment = _enrol(learner, video_course)
    video = video_course.lesson_list()[0]["id"]
    url = reverse("courses:heartbeat", args=[video_course.pk, video])
    before = ledger_state()
    client.force_login(learner)
    client.post(url, {"position": 0, "played": 0})
    for i in range(30):
        clock.advance(0.1)
        assert client.post(url, {"position": i, "played": 15}).json()["done"] is False
    row = LessonProgress.objects.get(enrolment=enrolment, lesson_id=video)
    assert row.watched <= 3 + 2 + 1e-6
    assert _nothing_learnt(enrolment) and ledger_state() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_unmeasurable_media_lesson_does_not_count(client, sections, provider, learner, rules, clock, language):
    course = create_course(sections, provider=provider, lessons=[
        lesson("video", "外链视频", video_url="https://video.example.cn/lesson.mp4"), lesson("quiz")])
    enrolment = _enrol(learner, course)
    video = course.lesson_list()[0]["id"]
    before = ledger_state()
    client.force_login(learner)
    in_language(client, language)
    url = reverse("courses:heartbeat", args=[course.pk, video])
    for _ in range(3):  # a long, honest watch still completes nothing
        clock.advance(15)
        assert client.post(url, {"position": 10, "played": 15}).json()["done"] is False
    response = client.post(reverse("courses:lesson_done", args=[course.pk, video]), follow=True)
    expected = {"zh-hans": "该课时的音视频无法测量时长，不计入完成。",
                "en": "The length of this lesson's media cannot be measured, so it does not count toward completion."}
    assert expected[language] in html.unescape(response.content.decode())
    page = client.get(reverse("courses:lesson", args=[course.pk, video])).content.decode()
    assert {"zh-hans": "不计入完成", "en": "does not count toward completion"}[language] in page
    assert {"zh-hans": "不计入完成", "en": "does not count toward completion"}[language] in client.get(
        course.url).content.decode()
    assert _nothing_learnt(enrolment) and ledger_state() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_cms_save_tells_the_editor_which_media_does_not_count(rf, sections, provider, language):
    """The CMS door: saving (creating or editing) a course measures its media; the editor is told which lessons do
    not count (Wagtail's after_create_page / after_edit_page hooks, called as Wagtail calls them)."""
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.utils import translation
    from wagtail import hooks

    course = create_course(sections, provider=provider, live=False, lessons=[
        lesson("video", "外链视频", video_url="https://video.example.cn/lesson.mp4"), lesson("audio", "录音")])
    request = rf.post("/admin/pages/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with translation.override(language):
        for hook in hooks.get_hooks("after_edit_page"):
            if hook.__module__ == "courses.wagtail_hooks":
                hook(request, course)
        shown = [str(m) for m in get_messages(request)]
    expected = {"zh-hans": "以下课时的音视频无法测量时长，不计入完成：「外链视频」（外部地址，无法测量时长）",
                "en": "so they do not count toward completion: “外链视频” (an external address: its length cannot be "
                      "measured)"}[language]
    assert any(expected in message for message in shown), shown
    audio = course.lesson_list()[1]["id"]
    assert services.lesson_media_durations(course=course)[audio] == 12  # the sample WAV, measured at save


# --- scenario 7 (attendance part): attendance for learners who never enrolled ---------------------------------

NOT_ENROLLED = {"zh-hans": "该学员没有报名这门课程，不能登记考勤。",
                "en": "This learner is not enrolled in the course, so no attendance can be recorded."}


@pytest.fixture
def offline_session(sections, provider):
    course = create_course(sections, provider=provider, mode="offline", lessons=[])
    now = timezone.now()
    return Session.objects.create(course=course, starts_at=now - datetime.timedelta(minutes=10),
                                  ends_at=now + datetime.timedelta(hours=1), venue="教室")


def _attendance_state(session, user):
    learner = getattr(user, "learner", None)
    return (Attendance.objects.filter(session=session).count(),
            LearningRecord.objects.filter(record_id__startswith=f"att-{session.course_id}-").count(),
            learner and learner.pk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_scan_of_a_non_enrolled_learners_code_is_refused(client, offline_session, provider, learner, rules,
                                                          language):
    code = services.personal_code_make(user=learner, session=offline_session)  # any resident can show a code
    teacher = staff_user(institution=provider)
    before, ledger = _attendance_state(offline_session, learner), ledger_state()
    client.force_login(teacher)
    in_language(client, language)
    response = client.post(reverse("courses:scan_personal", args=[code]))
    assert response.status_code == 400 and NOT_ENROLLED[language] in response.content.decode()
    assert _attendance_state(offline_session, learner) == before and ledger_state() == ledger


@pytest.mark.parametrize("language", LANGUAGES)
def test_correction_for_a_non_enrolled_learner_is_refused(client, offline_session, provider, learner, rules,
                                                           language):
    from bianxue.people.services import learner_for_user_get_or_create

    resident = learner_for_user_get_or_create(user=learner)
    teacher = staff_user(institution=provider)
    before, ledger = _attendance_state(offline_session, learner), ledger_state()
    client.force_login(teacher)
    in_language(client, language)
    url = reverse("courses:staff_session", args=[offline_session.pk])
    for present in ("1", "0"):
        response = client.post(url, {"learner": resident.pk, "present": present, "reason": "补登"}, follow=True)
        assert NOT_ENROLLED[language] in response.content.decode()
    assert _attendance_state(offline_session, learner) == before and ledger_state() == ledger


@pytest.mark.parametrize("language", LANGUAGES)
def test_session_code_check_in_refused_when_not_enrolled(client, offline_session, provider, learner, language):
    code = services.session_code_make(user=staff_user(institution=provider), session=offline_session)
    client.force_login(learner)
    in_language(client, language)
    response = client.post(reverse("courses:attend", args=[code]))
    expected = {"zh-hans": "您没有报名这门课程。", "en": "You are not enrolled in this course."}[language]
    assert response.status_code == 400 and expected in response.content.decode()
    assert not Attendance.objects.exists()


# --- legitimate work still flows -------------------------------------------------------------------------------


def test_a_learner_who_really_watches_completes_and_earns_credits(client, video_course, learner, rules, clock):
    enrolment = _enrol(learner, video_course)
    video = video_course.lesson_list()[0]["id"]
    url = reverse("courses:heartbeat", args=[video_course.pk, video])
    entries = LedgerEntry.objects.count()
    client.force_login(learner)
    client.post(url, {"position": 0, "played": 0})
    for position in (15, 20):
        clock.advance(position - (0 if position == 15 else 15))
        response = client.post(url, {"position": position, "played": 15 if position == 15 else 5})
    assert response.json() == {"done": True, "course_completed": True}
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert LearningRecord.objects.filter(record_id=f"enrol-{enrolment.pk}", result="completed").exists()
    assert LedgerEntry.objects.count() > entries  # the credits appear


def test_enrolled_learners_attendance_is_recorded(client, offline_session, provider, learner):
    _enrol(learner, offline_session.course)
    code = services.personal_code_make(user=learner, session=offline_session)
    client.force_login(staff_user(institution=provider))
    assert client.post(reverse("courses:scan_personal", args=[code])).status_code == 200
    assert Attendance.objects.filter(session=offline_session, learner=learner.learner, present=True).exists()

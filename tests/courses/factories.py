"""Builders of the courses tests (plain functions, importable by any test): lesson blocks and courses."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from tests.factories import InstitutionFactory


def lesson(kind: str, title: str = "", **extra) -> dict:
    value = {"title": title or kind, "minutes": 10, "required": extra.pop("required", True)}
    if kind == "video":
        value.update(video=None, video_url="/static/courses/media/sample-lesson.webm", captions=None,
                     captions_url="/static/courses/media/sample-lesson.vtt", summary="")
    elif kind == "audio":
        value.update(audio=None, audio_url="/static/courses/media/sample-lesson.wav", transcript="<p>文字稿</p>")
    elif kind == "text":
        value.update(body="<p>正文</p>")
    elif kind == "quiz":
        value.update(pass_mark=extra.pop("pass_mark", 60), max_attempts=extra.pop("max_attempts", 2),
                     draw=extra.pop("draw", 0),
                     questions=extra.pop("questions", [
                         {"text": "1+1=?", "explanation": "",
                          "choices": [{"text": "2", "correct": True}, {"text": "3", "correct": False}]},
                         {"text": "红色加黄色？", "explanation": "",
                          "choices": [{"text": "橙色", "correct": True}, {"text": "蓝色", "correct": False}]},
                     ]))
    value.update(extra)
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}



_counter = {"n": 0}


def create_course(sections, *, provider=None, category="elderly", mode="online", lessons=None, capacity=None,
                  audiences=(), hours="8", live=True, title=None, start_date=None, **fields):
    """A course page in the section of its category (published unless ``live=False``)."""
    from courses.models import Audience, CoursePage, CourseStats

    _counter["n"] += 1
    provider = provider or InstitutionFactory(type="elderly_university")
    course = CoursePage(
        title=title or f"课程{_counter['n']}", slug=f"c-{uuid.uuid4().hex[:10]}", provider=provider,
        category=category, mode=mode, capacity=capacity, hours=Decimal(hours),
        start_date=start_date or timezone.localdate() + datetime.timedelta(days=_counter["n"]),
        lessons=lessons if lessons is not None else [lesson("video"), lesson("text"), lesson("quiz")],
        live=live, **fields,
    )
    if audiences:
        course.audiences = list(Audience.objects.filter(code__in=audiences))
    sections[category].add_child(instance=course)
    if live:
        course.save_revision().publish()
    CourseStats.objects.get_or_create(course=course)
    return CoursePage.objects.get(pk=course.pk)


class Clock:
    """A hand-moved ``django.utils.timezone.now`` (time-machine and freezegun are not in the lock)."""

    def __init__(self, start=None):
        self.now = start or timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


def watch(*, user, enrolment, lesson_id: str, seconds: int, clock: Clock, step: int = 15) -> bool:
    """Heartbeats of a learner really playing the lesson for ``seconds`` on the clock (one every ``step``)."""
    from courses import services

    done = services.lesson_heartbeat(user=user, enrolment=enrolment, lesson_id=lesson_id, position=0, played=0)
    position = 0
    while position < seconds:
        delta = min(step, seconds - position)
        clock.advance(delta)
        position += delta
        done = services.lesson_heartbeat(user=user, enrolment=enrolment, lesson_id=lesson_id, position=position,
                                         played=delta)
    return done


def exam_candidate_register(exam_session, *, identifier: str, name: str):
    """A candidate registered for a sitting (ORM: also for sittings already held, whose registration closed)."""
    from bianxue.people.services import learner_get_or_create

    from courses.models import ExamRegistration

    learner = learner_get_or_create(identifier=identifier, name=name)
    return ExamRegistration.objects.get_or_create(exam_session=exam_session, learner=learner)[0]


def x_programme_create(sections, *, school=None, certificate=None):
    """A published 1+X programme (老年照护, junior) at a school that is an exam site for its certificate, with the
    training fee, subsidy and exam fee set."""
    from courses.models import ProgrammePage
    from tests.factories import CertificateFactory, exam_site_create

    school = school or InstitutionFactory(type="higher_vocational")
    certificate = certificate or CertificateFactory(name="老年照护")
    exam_site_create(institution=school, certificate=certificate)
    programme = ProgrammePage(title="老年照护 1+X 证书培训项目", slug="eldercare-x", provider=school,
                              category="x_certificate", certificate=certificate, cert_level="junior",
                              fee_yuan=Decimal("1200"), subsidy_yuan=Decimal("900"), exam_fee_yuan=Decimal("260"))
    sections["x_certificate"].add_child(instance=programme)
    programme.save_revision().publish()
    return programme

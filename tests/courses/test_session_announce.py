"""A new offline session is announced in the bell of the course's enrolled learners (after the commit, through the
outbox), once each."""

import datetime

import pytest
from bianxue.notifications.models import Notification
from django.utils import timezone

from courses import services
from courses.services.sessions import session_announce
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def test_enrolled_learners_are_told_of_a_new_session_once(make_course, django_capture_on_commit_callbacks):
    course = make_course(mode="blended", venue="鼓楼区老年大学 201 教室")
    teacher = staff_user(institution=course.provider)
    learner, bystander = UserFactory(), UserFactory()
    services.enrolment_create(user=learner, course=course)
    starts = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_create(user=teacher, course=course, starts_at=starts,
                                          ends_at=starts + datetime.timedelta(hours=2))
    note = Notification.objects.get(user=learner)
    assert note.kind == "courses.session" and course.title in note.display_title
    assert session_announce(session_id=session.pk) == 0  # run twice: nobody told twice
    assert not Notification.objects.filter(user=bystander).exists()
    assert Notification.objects.filter(user=learner).count() == 1

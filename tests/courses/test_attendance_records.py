"""Attendance corrections keep the learner's training record (att-<course>-<learner>) in step."""

import datetime

import pytest
from bianxue.vocab import TRAINING_RESULTS
from django.utils import timezone

from courses import services
from courses.models import Session
from credits.records.models import LearningRecord
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def _session(course, *, days_ago=0):
    start = timezone.now() - datetime.timedelta(days=days_ago, minutes=10)
    return Session.objects.create(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def _live_outcomes(record):
    from credits.models import Outcome, OutcomeStatus

    return Outcome.objects.filter(record=record).exclude(status__in=[OutcomeStatus.REVOKED, OutcomeStatus.REJECTED])


def test_no_attended_session_left_withdraws_the_record(make_course):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    learner = user.learner
    earlier, today = _session(course, days_ago=7), _session(course)
    key = f"att-{course.pk}-{learner.pk}"

    services.attendance_correct(user=teacher, session=earlier, learner=learner, present=True, reason="补登")
    services.attendance_by_session_code(user=user, code=services.session_code_make(user=teacher, session=today))
    record = LearningRecord.objects.get(record_id=key)
    assert (record.result, record.date) == ("attended", timezone.localdate(earlier.starts_at))
    assert _live_outcomes(record).count() == 1

    # one attended session left: still attended, dated at the remaining one
    services.attendance_correct(user=teacher, session=earlier, learner=learner, present=False, reason="误登")
    record.refresh_from_db()
    assert (record.result, record.date) == ("attended", timezone.localdate(today.starts_at))

    # none left: the record cannot be deleted; it is corrected to withdrawn, which no indicator counts
    services.attendance_correct(user=teacher, session=today, learner=learner, present=False, reason="未到")
    record.refresh_from_db()
    assert record.result == "withdrawn" and record.result not in TRAINING_RESULTS
    assert LearningRecord.objects.filter(record_id=key).count() == 1
    assert not LearningRecord.objects.filter(record_id=key, result__in=TRAINING_RESULTS).exists()
    assert _live_outcomes(record).count() == 0  # the credit bank closed the outcome
    # a second identical correction changes nothing
    services.attendance_correct(user=teacher, session=today, learner=learner, present=False, reason="未到")
    record.refresh_from_db()
    assert record.result == "withdrawn"

    # attending again turns it back into an attended record (and a new outcome)
    services.attendance_correct(user=teacher, session=today, learner=learner, present=True, reason="确已到课")
    record.refresh_from_db()
    assert (record.result, record.date) == ("attended", timezone.localdate(today.starts_at))
    assert _live_outcomes(record).count() == 1


def test_marking_absent_without_any_record_writes_none(make_course):
    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    services.attendance_correct(user=teacher, session=_session(course), learner=user.learner, present=False,
                                reason="请假")
    assert not LearningRecord.objects.filter(record_id=f"att-{course.pk}-{user.learner.pk}").exists()

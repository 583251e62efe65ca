"""Selectors of who a user is on a course, for other apps' pages and services (the community's live rooms, demo
loaders): a module of its own to keep courses/selectors.py within bounds."""

import datetime

from bianxue.accounts.selectors import user_can_act_for_institution
from django.utils import timezone

from .models import CoursePage, Enrolment, Session


def course_participation(*, user, course_id: int) -> dict | None:
    """A live course and the user's part in it: ``{"course", "is_staff", "is_learner"}`` (``is_staff``: the
    user schedules for its provider, or is a bureau admin; ``is_learner``: enrolled or completed). None when no
    live course has that id. Two queries at most."""
    course = CoursePage.objects.live().filter(pk=course_id).select_related("provider").first()
    if course is None:
        return None
    signed_in = bool(user is not None and user.is_authenticated)
    is_staff = course_user_is_staff(user=user, course=course)
    is_learner = signed_in and Enrolment.objects.filter(
        course_id=course_id, learner__user=user,
        status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED]).exists()
    return {"course": course, "is_staff": is_staff, "is_learner": is_learner}


def course_sessions_for_staff(*, user, course_id: int) -> list:
    """The course's coming and recent sessions (not cancelled), for a teacher choosing which one a live room is
    for."""
    since = timezone.now() - datetime.timedelta(days=7)
    return list(Session.objects.filter(course_id=course_id, cancelled_at__isnull=True, ends_at__gte=since)
                .order_by("starts_at")[:20])


def course_user_is_staff(*, user, course: CoursePage) -> bool:
    """Whether ``user`` schedules for the course's provider (teacher, registrar) or is a bureau admin."""
    from .constants import SCHEDULE_ROLES

    if user is None or not user.is_authenticated:
        return False
    return user_can_act_for_institution(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES)


def course_by_slug(*, slug: str) -> CoursePage | None:
    """A live course by its slug (demo loaders of other apps find the catalog's courses by it)."""
    return CoursePage.objects.live().filter(slug=slug).first()

"""Enrolment: enrol (or wait for a seat), withdraw (a freed seat goes to the waiting list), and the
checks every learner action shares (own enrolment, active enrolment)."""

from bianxue.people.services import learner_for_user_get_or_create
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CoursePage, CourseStats, Enrolment

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


def _stats_locked(course: CoursePage) -> CourseStats:
    CourseStats.objects.get_or_create(course=course)
    return CourseStats.objects.select_for_update().get(course=course)


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol the user's learner, or put them on the waiting list when an offline course is full."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not course.live:
        raise ValidationError(_("课程尚未发布。"))
    today = timezone.localdate()
    if course.enrol_opens and today < course.enrol_opens:
        raise ValidationError(_("报名尚未开始。"))
    if course.enrol_closes and today > course.enrol_closes:
        raise ValidationError(_("报名已截止。"))
    learner = learner_for_user_get_or_create(user=user)
    stats = _stats_locked(course)  # serialises enrolments of this course
    enrolment = Enrolment.objects.filter(course=course, learner=learner).first()
    if enrolment and enrolment.status in (*ACTIVE, Enrolment.Status.WAITLISTED):
        return enrolment
    full = course.has_seats_limit and stats.enrolled >= course.capacity
    status = Enrolment.Status.WAITLISTED if full else Enrolment.Status.ENROLLED
    if enrolment is None:
        enrolment = Enrolment.objects.create(course=course, learner=learner, status=status)
    else:  # re-enrolling after a withdrawal keeps the earlier progress
        enrolment.status = status
        enrolment.created_at = timezone.now()
        enrolment.save(update_fields=["status", "created_at"])
    field = "waitlisted" if full else "enrolled"
    CourseStats.objects.filter(pk=stats.pk).update(**{field: F(field) + 1})
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, user, enrolment: Enrolment) -> Enrolment | None:
    """Withdraw; a freed seat goes to the first learner on the waiting list (returned)."""
    enrolment_require_own(user=user, enrolment=enrolment)
    if enrolment.status not in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED):
        raise ValidationError(_("只能退出在学或候补中的课程。"))
    course = enrolment.course
    stats = _stats_locked(course)
    was = enrolment.status
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    promoted = None
    if was == Enrolment.Status.WAITLISTED:
        CourseStats.objects.filter(pk=stats.pk).update(waitlisted=F("waitlisted") - 1)
        return None
    CourseStats.objects.filter(pk=stats.pk).update(enrolled=F("enrolled") - 1)
    if course.has_seats_limit:
        promoted = (
            Enrolment.objects.select_for_update()
            .filter(course=course, status=Enrolment.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if promoted:
            promoted.status = Enrolment.Status.ENROLLED
            promoted.save(update_fields=["status"])
            CourseStats.objects.filter(pk=stats.pk).update(
                enrolled=F("enrolled") + 1, waitlisted=F("waitlisted") - 1
            )
    return promoted


def enrolment_require_own(*, user, enrolment: Enrolment) -> None:
    """PermissionDenied unless the enrolment is the signed-in user's own."""
    if not user or not user.is_authenticated or enrolment.learner.user_id != user.pk:
        raise PermissionDenied(_("只能操作自己的学习。"))


def enrolment_require_active(*, enrolment: Enrolment) -> None:
    """ValidationError unless the learner may learn (enrolled or completed, not waiting)."""
    if enrolment.status not in ACTIVE:
        raise ValidationError(_("请先报名（候补中不能学习）。"))


"""Offline sessions of a course: schedule, change and cancel (teacher/registrar of the provider)."""

from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.outbox.services import outbox_enqueue
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..constants import SCHEDULE_ROLES
from ..models import CoursePage, Session


def _session_require_staff(*, user, course: CoursePage) -> None:
    institution_require_role(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES)


@transaction.atomic
def session_create(*, user, course: CoursePage, starts_at, ends_at, venue: str = "", title: str = "",
                   capacity: int | None = None) -> Session:
    """Schedule an offline session of one of the user's institution's courses (teacher/registrar)."""
    _session_require_staff(user=user, course=course)
    session = Session(course=course, starts_at=starts_at, ends_at=ends_at, venue=venue or course.venue, title=title,
                      capacity=capacity)
    session.full_clean()
    session.save()
    audit_record(actor=user, action="session.create", obj=session, institution_id=course.provider_id)
    # the enrolled learners hear of it in their bell, after the commit (courses.session_announce)
    outbox_enqueue(task="courses.session_announce", kwargs={"session_id": session.pk})
    return session


def session_announce(*, session_id: int) -> int:
    """Notify the course's enrolled learners (with a login) of a new session; safe to run twice (a learner
    already told of this session is not told again). Returns how many were notified."""
    from bianxue.notifications.models import Notification
    from bianxue.notifications.services import notification_send
    from django.contrib.auth import get_user_model

    from ..models import Enrolment

    session = Session.objects.select_related("course").filter(pk=session_id, cancelled_at__isnull=True).first()
    if session is None:
        return 0
    course = session.course
    url = f"{course.get_url() or '/learn/me/'}#h-sessions"
    user_ids = set(Enrolment.objects.filter(course=course, status=Enrolment.Status.ENROLLED,
                                            learner__user__isnull=False).values_list("learner__user", flat=True))
    told = set(Notification.objects.filter(kind="courses.session", url=url, user_id__in=user_ids,
                                           body__endswith=f"#{session.pk}").values_list("user_id", flat=True))
    when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    User = get_user_model()
    for user_id in sorted(user_ids - told):
        notification_send(user=User(pk=user_id), kind="courses.session",
                          title=gettext_noop("新的线下课：%(course)s %(when)s"), body=f"{session.venue} #{session.pk}",
                          url=url, params={"course": course.title, "when": when})
    return len(user_ids - told)


SESSION_FIELDS = ("title", "starts_at", "ends_at", "venue", "capacity")


@transaction.atomic
def session_update(*, user, session: Session, **changes) -> Session:
    """Change time, venue, capacity or title. The course stays; times are fixed once anyone attended."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _session_require_staff(user=user, course=session.course)
    if session.is_cancelled:
        raise ValidationError(_("课次已取消，不能修改。"))
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改 %(fields)s。") % {"fields": ", ".join(sorted(unknown))})
    before = {f: str(getattr(session, f)) for f in changes}
    moved = any(f in changes and changes[f] != getattr(session, f) for f in ("starts_at", "ends_at"))
    if moved and session.attendances.filter(present=True).exists():
        raise ValidationError(_("已有学员签到，不能修改上课时间。"))
    for field, value in changes.items():
        setattr(session, field, value)
    session.full_clean()
    session.save(update_fields=list(changes) or None)
    audit_record(actor=user, action="session.update", obj=session, institution_id=session.course.provider_id,
                 data={"before": before})
    return session


@transaction.atomic
def session_cancel(*, user, session: Session, reason: str) -> Session:
    """Cancel a session (kept for the record, hidden from learners). Refused once anyone attended."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _session_require_staff(user=user, course=session.course)
    if not reason.strip():
        raise ValidationError(_("请填写取消原因。"))
    if session.is_cancelled:
        return session
    if session.attendances.filter(present=True).exists():
        raise ValidationError(_("已有学员签到，不能取消；如确未上课请先更正考勤。"))
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason.strip()[:200]
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_record(actor=user, action="session.cancel", obj=session, institution_id=session.course.provider_id,
                 reason=reason)
    return session


"""Progress: the player's heartbeat and "mark done" of a lesson; a finished lesson may complete the course."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, LessonProgress
from .completion import enrolment_complete_if_done
from .enrolment import enrolment_require_active, enrolment_require_own


def lesson_heartbeat(*, user, enrolment: Enrolment, lesson_id: str, position: int, duration: int) -> bool:
    """Save the player's position. One small write per call; completion when watched far enough.

    Returns whether the lesson is (now) complete.
    """
    enrolment_require_own(user=user, enrolment=enrolment)
    enrolment_require_active(enrolment=enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] not in ("video", "audio"):
        raise ValidationError(_("没有这个音视频课时。"))
    position = max(0, int(position))
    duration = max(0, int(duration))
    if duration:
        position = min(position, duration)
    now = timezone.now()
    updated = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).update(
        position=position, furthest=Greatest(F("furthest"), position), duration=Greatest(F("duration"), duration),
        updated_at=now,
    )
    if not updated:
        try:
            with transaction.atomic():
                LessonProgress.objects.create(
                    enrolment=enrolment, lesson_id=lesson_id, position=position, furthest=position,
                    duration=duration, updated_at=now,
                )
        except IntegrityError:  # two heartbeats raced; the other one created the row
            pass
    threshold = enrolment.course.completion_threshold / 100
    if duration and position >= duration * threshold:
        _lesson_mark_complete(enrolment=enrolment, lesson_id=lesson_id)
        return True
    return False


def lesson_complete(*, user, enrolment: Enrolment, lesson_id: str) -> bool:
    """"Mark done" on a text, document or audio lesson (a video completes by being watched)."""
    enrolment_require_own(user=user, enrolment=enrolment)
    enrolment_require_active(enrolment=enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] in ("quiz", "video"):
        raise ValidationError(_("该课时不能手动标记完成。"))
    _lesson_mark_complete(enrolment=enrolment, lesson_id=lesson_id)
    return True


@transaction.atomic
def _lesson_mark_complete(*, enrolment: Enrolment, lesson_id: str) -> None:
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson_id=lesson_id, defaults={"updated_at": now}
    )
    if progress.completed_at is None:
        LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=lesson_id)
        enrolment_complete_if_done(enrolment=enrolment)


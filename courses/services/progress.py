"""Progress: the player's heartbeat and "mark done" of a lesson; a finished lesson may complete the course.

Learning evidence (docs/trust.md): a video or audio lesson is complete when the time the **server** credited
(``LessonProgress.watched``) reaches the course's share of the duration **measured from the file** (services/media).
Each heartbeat credits at most the wall-clock time since the previous heartbeat of that enrolment and lesson
(the server's clock cursor ``beat_at``), and at most what the player says it played; the player's position is
kept only as the place to resume, its duration is ignored. A small tolerance for network jitter is carried on the
cursor, so it never adds up: over any run of heartbeats the credit is at most the wall-clock time plus
``TOLERANCE``. Two tabs or racing requests move one cursor (a compare-and-swap update), so nothing counts twice.
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, LessonProgress
from .completion import enrolment_complete_if_done
from .enrolment import enrolment_require_active, enrolment_require_own
from .media import MEDIA_TYPES, lesson_media_durations

# Jitter allowed between the client's and the server's clocks, carried on the cursor (never per heartbeat).
TOLERANCE = 2.0
# A gap longer than this between two heartbeats is a pause or a closed tab (the player beats every 15 s).
BEAT_GAP_MAX = 60.0


def watched_share_required(*, course) -> int:
    """The share (percent) of a media lesson that must be watched: the course's, never below the platform floor."""
    floor = getattr(settings, "COURSES_WATCHED_SHARE_MIN", 80)
    return min(100, max(floor, course.completion_threshold or 0))


def _seconds_needed(*, course, duration: int) -> float:
    return duration * watched_share_required(course=course) / 100


def _progress_row(*, enrolment: Enrolment, lesson_id: str, now) -> LessonProgress:
    row = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(enrolment=enrolment, lesson_id=lesson_id, updated_at=now)
    except IntegrityError:  # two heartbeats raced; the other one created the row
        return LessonProgress.objects.get(enrolment=enrolment, lesson_id=lesson_id)


def _credit(*, row: LessonProgress, now, played: float | None) -> tuple[float, datetime.datetime]:
    """Seconds to credit for this heartbeat and the new cursor."""
    if row.beat_at is None:  # the first heartbeat starts the clock
        return 0.0, now
    elapsed = (now - row.beat_at).total_seconds()
    if elapsed > BEAT_GAP_MAX:  # paused or away: this gap is not evidence of watching
        return 0.0, now
    claimed = elapsed if played is None else float(played)
    claimed = max(0.0, min(claimed, BEAT_GAP_MAX)) if math.isfinite(claimed) else 0.0
    credit = max(0.0, min(claimed, elapsed + TOLERANCE))
    # the tolerance used is carried on the cursor: the next heartbeat's elapsed time is that much shorter
    cursor = max(now, row.beat_at + datetime.timedelta(seconds=credit))
    return credit, cursor


def lesson_heartbeat(*, user, enrolment: Enrolment, lesson_id: str, position: int, duration: int = 0,
                     played: float | None = None) -> bool:
    """Credit watched time (bounded by the wall clock) and save the resume position; one small write per call.

    ``duration`` (the player's) is ignored: the measured duration is the truth. ``played``: seconds the player
    says it played since its previous heartbeat, an upper bound only. Returns whether the lesson is complete.
    """
    # The server's clock reads when the beat arrived: time spent here (a cold cache, measuring the file) must not
    # shorten the stretch the next beat is credited for.
    now = timezone.now()
    enrolment_require_own(user=user, enrolment=enrolment)
    enrolment_require_active(enrolment=enrolment)
    course = enrolment.course
    lesson = course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] not in MEDIA_TYPES:
        raise ValidationError(_("没有这个音视频课时。"))
    measured = lesson_media_durations(course=course, lessons=[lesson]).get(lesson_id) or 0
    position = max(0, int(position))
    if measured:
        position = min(position, measured)
    row = _progress_row(enrolment=enrolment, lesson_id=lesson_id, now=now)
    credit, cursor = _credit(row=row, now=now, played=played)
    watched = row.watched + credit
    # compare-and-swap on the cursor: a racing heartbeat that moved it first wins, this one credits nothing
    swapped = LessonProgress.objects.filter(pk=row.pk, beat_at=row.beat_at).update(
        watched=watched, beat_at=cursor, position=position, furthest=max(row.furthest, position),
        duration=measured, updated_at=now,
    )
    if not swapped:
        watched = row.watched
    if row.completed_at is not None:
        return True
    if measured and watched >= _seconds_needed(course=course, duration=measured):
        _lesson_mark_complete(enrolment=enrolment, lesson_id=lesson_id)
        return True
    return False


def lesson_watch_state(*, enrolment: Enrolment, lesson: dict, progress: dict | None = None) -> dict:
    """What the lesson page tells the learner about a media lesson: measured, counts, watched, needed (seconds)."""
    course = enrolment.course
    measured = lesson_media_durations(course=course, lessons=[lesson]).get(lesson["id"])
    row = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson["id"]).only("watched").first()
    needed = _seconds_needed(course=course, duration=measured) if measured else 0
    return {"measured": measured, "counts": bool(measured), "watched": int(row.watched) if row else 0,
            "needed": math.ceil(needed), "share": watched_share_required(course=course)}


def lesson_complete(*, user, enrolment: Enrolment, lesson_id: str) -> bool:
    """"Mark done": a text or document lesson at once; a video or audio lesson only once the server credited the
    required share of its measured duration (it then completes by itself anyway); never a quiz."""
    enrolment_require_own(user=user, enrolment=enrolment)
    enrolment_require_active(enrolment=enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] == "quiz":
        raise ValidationError(_("该课时不能手动标记完成。"))
    if lesson["type"] in MEDIA_TYPES:
        state = lesson_watch_state(enrolment=enrolment, lesson=lesson)
        if not state["counts"]:
            raise ValidationError(_("该课时的音视频无法测量时长，不计入完成。"))
        if state["watched"] < state["needed"]:
            raise ValidationError(
                _("请先完整观看或收听：已学习 %(watched)s 秒，需要 %(needed)s 秒（时长的 %(share)s%%）。") % state
            )
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

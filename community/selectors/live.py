"""Reads of live Q&A rooms. Who may do what in a room is decided here (``live_room_access``) and used by the
services, the pages and the websocket consumer alike."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.participation import course_participation, course_user_is_staff

from ..live_events import live_message_payload
from ..models import LiveMessage, LiveRoom, ModerationStatus

MAX_TEXT = 500  # characters of a question or an answer


@dataclass(frozen=True)
class RoomAccess:
    """What ``user`` may do in ``room``: every signed-in or anonymous reader reads; ``may_ask`` per the room's
    askers policy; ``is_staff`` (the course's teachers and registrars, bureau admins) answer, mark and close."""

    room: LiveRoom
    user_id: int | None
    is_staff: bool
    may_ask: bool

    @property
    def may_vote(self) -> bool:
        return self.may_ask or self.is_staff


def live_room_access(*, user, room_id: int) -> RoomAccess:
    """The room (Http404 when there is none, or its course is not live) and the user's part in it."""
    room = LiveRoom.objects.select_related("session").filter(pk=room_id).first()
    if room is None:
        raise Http404(_("没有这个直播答疑。"))
    part = course_participation(user=user, course_id=room.course_id)
    if part is None:
        raise Http404(_("没有这个直播答疑。"))
    room.course = part["course"]
    signed_in = bool(user is not None and user.is_authenticated)
    if room.askers == LiveRoom.Askers.SIGNED_IN:
        may_ask = signed_in
    else:
        may_ask = part["is_learner"] or part["is_staff"]
    return RoomAccess(room=room, user_id=user.pk if signed_in else None, is_staff=part["is_staff"],
                      may_ask=may_ask and room.is_open)


def live_room_require_staff(*, user, room_id: int) -> RoomAccess:
    access = live_room_access(user=user, room_id=room_id)
    if not access.is_staff:
        raise PermissionDenied(_("只有本课程的老师可以这样做。"))
    return access


def _visible(access: RoomAccess) -> Q:
    """Held and hidden messages: the staff see them (marked); an author sees their own held ones."""
    if access.is_staff:
        return Q()
    visible = Q(status=ModerationStatus.VISIBLE)
    if access.user_id:
        visible |= Q(author_id=access.user_id, status=ModerationStatus.HELD)
    return visible


def live_room_changes(*, access: RoomAccess, after: int = 0, limit: int = 500) -> list[dict]:
    """Messages changed after revision ``after``, oldest change first: a reconnecting client's catch-up, each in its
    current state (a vote or an answer mark since then is in it). Messages the reader may not see are left out,
    except as ``hidden`` stubs, so a client removes what was hidden while it was away."""
    rows = (LiveMessage.objects.filter(room_id=access.room.pk, revision__gt=after).select_related("author")
            .order_by("revision")[:limit])
    changes = (live_payload_for(access=access, payload=live_message_payload(m)) for m in rows)
    return [c for c in changes if c is not None]


def live_payload_for(*, access: RoomAccess, payload: dict) -> dict | None:
    """What of a message's payload this reader is told: the staff everything; others a stub for a hidden message (so
    a client removes it), nothing about someone else's held one."""
    if access.is_staff:
        return payload
    if payload.get("hidden"):
        return {"type": "message", "id": payload["id"], "rev": payload["rev"], "hidden": True,
                "kind": payload["kind"], "question": payload["question"]}
    if payload.get("held") and payload.get("author_id") != access.user_id:
        return None
    return payload


def live_room_transcript(*, access: RoomAccess) -> list[dict]:
    """The questions, each with its answers: open ones first by votes, then the answered ones; for the page."""
    messages = list(LiveMessage.objects.filter(room_id=access.room.pk).filter(_visible(access))
                    .select_related("author").order_by("id"))
    answers: dict[int, list] = {}
    for m in messages:
        if m.kind == LiveMessage.Kind.ANSWER:
            answers.setdefault(m.question_id, []).append(m)
    questions = [m for m in messages if m.kind == LiveMessage.Kind.QUESTION]
    questions.sort(key=lambda q: (q.answered_at is not None, -q.votes, q.pk))
    voted = set()
    if access.user_id:
        from ..models import LiveVote

        voted = set(LiveVote.objects.filter(user_id=access.user_id, message__room_id=access.room.pk)
                    .values_list("message_id", flat=True))
    return [{"question": q, "answers": answers.get(q.pk, []), "voted": q.pk in voted} for q in questions]


def live_rooms_for_course(*, course_id: int, limit: int = 20) -> list[LiveRoom]:
    """A course's rooms (live or not), newest first: its transcripts."""
    return list(LiveRoom.objects.filter(course_id=course_id, course__live=True).select_related("course")
                .order_by("-opened_at")[:limit])


def live_rooms_open(*, limit: int = 20) -> list[LiveRoom]:
    """Open rooms on live courses, newest first (for /community/ and the live-room list)."""
    return list(LiveRoom.objects.filter(closed_at__isnull=True, course__live=True)
                .select_related("course").order_by("-opened_at")[:limit])


def live_rooms_recent_closed(*, limit: int = 20) -> list[LiveRoom]:
    return list(LiveRoom.objects.filter(closed_at__isnull=False, course__live=True)
                .select_related("course").order_by("-closed_at")[:limit])


def live_link_for_course(*, obj, user):
    """The course page's link to its live Q&A (registered with ``bianxue.registry.page_link_register``): the open
    room, else the latest transcript; nothing for a course without a room."""
    from bianxue.registry.links import PageLink
    from django.urls import reverse

    room = LiveRoom.objects.filter(course_id=obj.pk).order_by("closed_at", "-opened_at").first()  # open first
    if room is None:
        return None
    if room.is_open:
        return PageLink(key="community.live", label=_("直播答疑：%(title)s") % {"title": room.title},
                        url=reverse("community:live_room", args=[room.pk]), note=_("进行中"), order=20)
    return PageLink(key="community.live", label=_("直播答疑记录"), url=reverse("community:live_list") +
                    f"?course={obj.pk}", note=_("最近一次：%(date)s") % {"date": timezone.localtime(
                        room.closed_at).strftime("%Y-%m-%d")}, order=20)


def live_open_link_for_course(*, obj, user):
    """For the course's staff: where to open a live Q&A room."""
    from bianxue.registry.links import PageLink
    from django.urls import reverse

    if not course_user_is_staff(user=user, course=obj):
        return None
    return PageLink(key="community.live_open", label=_("开启直播答疑"),
                    url=reverse("community:live_open", args=[obj.pk]), order=21)

"""Writes of live Q&A rooms. Each write locks the room's row, takes the next room revision, stores, and pushes the
change to the room's sockets after the commit (``transaction.on_commit``): a rolled-back write is never shown,
and every socket of every server process hears it through the channel layer.

Exactly once: a question or an answer carries the client's id for it (a UUID the page or the script makes);
sending it again returns the stored message instead of storing a second one.
"""

import uuid

from bianxue.notifications.services import notification_send
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.participation import course_participation

from ..live_events import live_message_payload, live_room_push
from ..models import LiveMessage, LiveRoom, LiveVote
from ..selectors.live import MAX_TEXT, live_room_access, live_room_require_staff
from .moderation import content_screen, posting_check


def _locked(room_id: int) -> LiveRoom:
    return LiveRoom.objects.select_for_update().get(pk=room_id)


def _next_revision(room: LiveRoom) -> int:
    room.revision += 1
    LiveRoom.objects.filter(pk=room.pk).update(revision=room.revision)
    return room.revision


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写内容。"))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("内容太长了，请不超过 %(n)s 个字。") % {"n": MAX_TEXT})
    return text


def _clean_client_id(client_id: str) -> str:
    client_id = (client_id or "").strip()
    if not client_id:
        return uuid.uuid4().hex  # a door without ids (a command): every call is a new message
    if len(client_id) > 64:
        raise ValidationError(_("请求无效，请刷新页面后重试。"))
    return client_id


def live_room_open(*, user, course_id: int, title: str, session_id: int | None = None,
                   askers: str = LiveRoom.Askers.ENROLLED) -> LiveRoom:
    """Open a room on a course: only its staff (teachers, registrars of its provider; bureau admins)."""
    part = course_participation(user=user, course_id=course_id)
    if part is None or not part["is_staff"]:
        raise PermissionDenied(_("只有本课程的老师可以开启直播答疑。"))
    title = (title or "").strip()[:120] or _("直播答疑")
    if askers not in LiveRoom.Askers.values:
        raise ValidationError(_("请选择谁可以提问。"))
    if session_id is not None and not part["course"].sessions.filter(pk=session_id).exists():
        raise ValidationError(_("该课次不属于本课程。"))
    return LiveRoom.objects.create(course_id=course_id, session_id=session_id, title=title, askers=askers,
                                   opened_by=user)


def live_room_close(*, user, room_id: int) -> LiveRoom:
    """Close the room: no more questions; the transcript stays on the course."""
    live_room_require_staff(user=user, room_id=room_id)
    with transaction.atomic():
        room = _locked(room_id)
        if room.closed_at is None:
            room.closed_at = timezone.now()
            room.save(update_fields=["closed_at"])
            live_room_push(room_id=room.pk, event={"type": "room", "closed": True})
    return room


def live_question_ask(*, user, room_id: int, client_id: str, text: str) -> tuple[LiveMessage, bool]:
    """Ask a question; ``(message, created)``. The same ``client_id`` again returns the first one."""
    access = live_room_access(user=user, room_id=room_id)
    if not access.may_ask:
        raise PermissionDenied(_("直播已结束。") if not access.room.is_open else _("报名本课程后才能提问。"))
    return _post(user=user, room_id=room_id, client_id=client_id, text=text, kind=LiveMessage.Kind.QUESTION)


def live_answer_post(*, user, room_id: int, question_id: int, client_id: str, text: str,
                     mark_answered: bool = True) -> tuple[LiveMessage, bool]:
    """A teacher answers a question (and, by default, marks it answered); the asker is notified."""
    live_room_require_staff(user=user, room_id=room_id)
    return _post(user=user, room_id=room_id, client_id=client_id, text=text, kind=LiveMessage.Kind.ANSWER,
                 question_id=question_id, mark_answered=mark_answered)


def _post(*, user, room_id: int, client_id: str, text: str, kind: str, question_id: int | None = None,
          mark_answered: bool = False) -> tuple[LiveMessage, bool]:
    text = _clean_text(text)
    client_id = _clean_client_id(client_id)
    existing = LiveMessage.objects.filter(room_id=room_id, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    posting_check(user=user)  # PostingRefused (a PermissionDenied) with the reason: phone, binding, rate
    try:
        with transaction.atomic():
            room = _locked(room_id)
            if room.closed_at is not None:
                raise PermissionDenied(_("直播已结束。"))
            question = None
            if question_id is not None:
                question = LiveMessage.objects.filter(pk=question_id, room_id=room_id,
                                                      kind=LiveMessage.Kind.QUESTION).first()
                if question is None:
                    raise ValidationError(_("没有这个问题。"))
            revision = _next_revision(room)
            message = LiveMessage(room=room, kind=kind, author=user, client_id=client_id, text=text,
                                  question=question, revision=revision)
            message.screening_apply(content_screen(author=user, text=text))  # a listed word, a new member: held
            message.save()
            live_room_push(room_id=room_id, event=live_message_payload(message))
            if question is not None and mark_answered and question.answered_at is None and not message.held:
                question.answered_at = timezone.now()
                question.revision = _next_revision(room)
                question.save(update_fields=["answered_at", "revision"])
                live_room_push(room_id=room_id, event=live_message_payload(question))
            if question is not None and question.author_id != user.pk and not message.held:
                notification_send(user=question.author, kind="community.live_answer",
                                  title=gettext_noop("老师回答了您的提问"), body=text[:200],
                                  url=reverse("community:live_room", args=[room_id]) + f"#m{question.pk}")
    except IntegrityError:  # the same client id, stored by a concurrent request a moment ago
        return LiveMessage.objects.get(room_id=room_id, author=user, client_id=client_id), False
    return message, True


def live_question_vote(*, user, room_id: int, message_id: int) -> LiveMessage:
    """Up-vote a question, once per user (a second vote changes nothing); not one's own."""
    access = live_room_access(user=user, room_id=room_id)
    if not access.may_vote or not access.room.is_open:
        raise PermissionDenied(_("报名本课程后才能点赞。"))
    with transaction.atomic():
        room = _locked(room_id)
        question = LiveMessage.objects.select_related("author").filter(
            pk=message_id, room_id=room_id, kind=LiveMessage.Kind.QUESTION).first()
        if question is None:
            raise ValidationError(_("没有这个问题。"))
        if question.author_id == user.pk:
            return question
        _vote, created = LiveVote.objects.get_or_create(message=question, user=user)
        if created:
            question.votes = LiveVote.objects.filter(message=question).count()
            question.revision = _next_revision(room)
            question.save(update_fields=["votes", "revision"])
            live_room_push(room_id=room_id, event=live_message_payload(question))
    return question


def live_question_mark_answered(*, user, room_id: int, message_id: int) -> LiveMessage:
    """A teacher marks a question answered (answered aloud, or by an answer already given)."""
    live_room_require_staff(user=user, room_id=room_id)
    with transaction.atomic():
        room = _locked(room_id)
        question = LiveMessage.objects.select_related("author").filter(
            pk=message_id, room_id=room_id, kind=LiveMessage.Kind.QUESTION).first()
        if question is None:
            raise ValidationError(_("没有这个问题。"))
        if question.answered_at is None:
            question.answered_at = timezone.now()
            question.revision = _next_revision(room)
            question.save(update_fields=["answered_at", "revision"])
            live_room_push(room_id=room_id, event=live_message_payload(question))
    return question

"""Websocket consumers of the community app: live Q&A rooms.

A socket reads the room it names (as its page does); what it may write is decided by the same services the page's
forms call. Messages reach every socket through the channel layer (in memory on one process, Redis across several):
the services push after their commit, the consumer filters each event for its reader (held and hidden messages).
"""

from dataclasses import replace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from .live_events import live_room_group
from .selectors.live import live_payload_for, live_room_access, live_room_changes
from .services import live as services


class _Request:
    """What allauth's authentication records need from a request: the session."""

    def __init__(self, session):
        self.session = session


def _staff_session_ok(scope, user) -> bool:
    """Staff act in a room only from a session that used the second factor, as on every page
    (bianxue.accounts.middleware.RequireMFAMiddleware)."""
    from bianxue.accounts.middleware import MFA_ENROLLED, MFA_MISSING, session_used_mfa, user_mfa_state

    state = user_mfa_state(user=user)
    if state == MFA_MISSING:
        return False
    return state != MFA_ENROLLED or session_used_mfa(request=_Request(scope.get("session")), user=user)


class LiveRoomConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/community/live/<room_id>/``. Client → server: ``{"type": "resume", "after": rev}``,
    ``{"type": "ask", "client_id", "text"}``, ``{"type": "answer", "question", "client_id", "text"}``,
    ``{"type": "vote", "question"}``, ``{"type": "mark", "question"}``. Server → client: ``message`` (one message in
    its current state, with its revision), ``room`` (closed), ``ack`` (a write stored, with its client id) and
    ``error`` (a refusal, in the reader's language)."""

    async def connect(self):
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        self.user = self.scope.get("user")
        self.language = _language(self.scope)
        try:
            self.access = await database_sync_to_async(self._access)()
        except Http404:
            await self.close(code=4404)
            return
        self.group = live_room_group(self.room_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    def _access(self):
        access = live_room_access(user=self.user, room_id=self.room_id)
        if access.is_staff and not _staff_session_ok(self.scope, self.user):
            access = replace(access, is_staff=False)  # reads as anyone until the session used the second factor
        return access

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "resume":
            after = content.get("after")
            changes = await database_sync_to_async(live_room_changes)(
                access=self.access, after=after if isinstance(after, int) and after >= 0 else 0)
            for change in changes:
                await self.send_json(change)
            await self.send_json({"type": "resumed"})
            return
        action = {"ask": self._ask, "answer": self._answer, "vote": self._vote, "mark": self._mark}.get(kind)
        if action is None:
            await self.send_json({"type": "error", "message": "unknown"})
            return
        try:
            reply = await database_sync_to_async(self._in_language)(action, content)
        except (PermissionDenied, ValidationError, Http404) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            await self.send_json({"type": "error", "client_id": content.get("client_id"), "message": text})
            return
        await self.send_json({"type": "ack", "client_id": content.get("client_id"), **reply})

    def _in_language(self, action, content) -> dict:
        from django.utils.translation import override

        with override(self.language):
            return action(content)

    # --- the writes (in a thread, through the services: the same rules as the forms) --------------------------

    def _signed_in(self):
        if self.user is None or not self.user.is_authenticated:
            from django.utils.translation import gettext as _

            raise PermissionDenied(_("请先登录。"))

    def _staff(self):
        if not self.access.is_staff:
            from django.utils.translation import gettext as _

            raise PermissionDenied(_("只有本课程的老师可以这样做。"))

    def _ask(self, content) -> dict:
        self._signed_in()
        message, created = services.live_question_ask(user=self.user, room_id=self.room_id,
                                                      client_id=str(content.get("client_id", "")),
                                                      text=str(content.get("text", "")))
        return {"id": message.pk, "created": created, "held": message.held}

    def _answer(self, content) -> dict:
        self._signed_in()
        self._staff()
        message, created = services.live_answer_post(user=self.user, room_id=self.room_id,
                                                     question_id=_int(content.get("question")),
                                                     client_id=str(content.get("client_id", "")),
                                                     text=str(content.get("text", "")))
        return {"id": message.pk, "created": created, "held": message.held}

    def _vote(self, content) -> dict:
        self._signed_in()
        message = services.live_question_vote(user=self.user, room_id=self.room_id,
                                              message_id=_int(content.get("question")))
        return {"id": message.pk}

    def _mark(self, content) -> dict:
        self._signed_in()
        self._staff()
        message = services.live_question_mark_answered(user=self.user, room_id=self.room_id,
                                                       message_id=_int(content.get("question")))
        return {"id": message.pk}

    # --- events from the services, through the channel layer ---------------------------------------------------

    async def live_event(self, event):
        payload = event["event"]
        if payload.get("type") == "message":
            payload = live_payload_for(access=self.access, payload=payload)
            if payload is None:
                return
        elif payload.get("type") == "room" and payload.get("closed"):
            self.access = replace(self.access, may_ask=False)
        await self.send_json(payload)


def _language(scope) -> str:
    """The reader's language, as LocaleMiddleware finds it for a page: the language cookie, else Accept-Language."""
    from http.cookies import SimpleCookie

    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from django.utils.translation.trans_real import parse_accept_lang_header

    headers = dict(scope.get("headers") or [])
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # a malformed cookie header: fall back to Accept-Language
        cookie = SimpleCookie()
    wanted = [cookie[settings.LANGUAGE_COOKIE_NAME].value] if settings.LANGUAGE_COOKIE_NAME in cookie else []
    wanted += [code for code, _q in parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1"))]
    for code in wanted:
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        from django.utils.translation import gettext as _

        raise ValidationError(_("没有这个问题。")) from None

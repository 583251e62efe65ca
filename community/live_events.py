"""What the sockets of a live room hear, and how: the payload of a message and the push through the channel layer
after the commit. A module of its own because the models (moderation's hook), the services and the selectors all
use it, and it imports none of them."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("community.live")


def live_room_group(room_id: int) -> str:
    return f"live.room.{room_id}"


def live_room_push(*, room_id: int, event: dict) -> None:
    """Send ``event`` to every socket of the room, after the current transaction commits (a rolled-back write is
    never shown). A channel layer that is down loses the push, not the message: clients catch up from their last
    revision when they reconnect."""

    def send() -> None:
        try:
            async_to_sync(get_channel_layer().group_send)(live_room_group(room_id),
                                                          {"type": "live.event", "event": event})
        except Exception:
            logger.warning("live room push failed; clients catch up on reconnect", extra={"room": room_id},
                           exc_info=True)

    transaction.on_commit(send)


def live_message_payload(message) -> dict:
    """What a client is told about a message (the same for the socket and the catch-up): no e-mail, no phone, only
    the display name the author chose (the page shows "学员" when there is none)."""
    return {
        "type": "message",
        "id": message.pk,
        "rev": message.revision,
        "kind": message.kind,
        "text": message.text,
        "author": message.author.display_name if message.author_id else "",
        "author_id": message.author_id,
        "question": message.question_id,
        "votes": message.votes,
        "answered": message.answered_at is not None,
        "held": message.held,
        "hidden": message.hidden,
        "time": timezone.localtime(message.created_at).strftime("%H:%M"),
    }

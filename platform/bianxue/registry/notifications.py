"""Notification kinds: what an app may notify a user about, with a label to show (e.g. in the bell).

So that a page of one app can label another app's notifications without importing it.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotificationKind:
    """``urgent``: e-mailed and texted at once (unless the user turned that off), not only in the digest; ``source``:
    the name the e-mail's subject starts with (学分银行, 学习社区)."""

    key: str
    label: Any
    urgent: bool = False
    source: Any = ""


_kinds: dict[str, NotificationKind] = {}


def notification_kind_register(*, key: str, label: Any, urgent: bool = False, source: Any = "") -> NotificationKind:
    kind = NotificationKind(key=key, label=label, urgent=urgent, source=source)
    _kinds[key] = kind
    return kind


def notification_kind_get(*, key: str) -> NotificationKind | None:
    return _kinds.get(key)


def notification_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: k.key)


# --- the bell ------------------------------------------------------------------------------------------------
# The header's bell: the design system renders what the provider returns for the current user (a dict with
# ``url``, ``unread`` and ``socket``, or None for nobody), so the base template names no app.

_bell: list = []


def bell_provider_register(*, provider) -> None:
    _bell[:] = [provider]


def bell_for_user(*, user) -> dict | None:
    if not _bell or user is None or not user.is_authenticated:
        return None
    return _bell[0](user=user)

"""Notification kinds: what an app may notify a user about, with a label to show (e.g. in the bell).

So that a page of one app can label another app's notifications without importing it.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Any


_kinds: dict[str, NotificationKind] = {}


def notification_kind_register(*, key: str, label: Any) -> NotificationKind:
    kind = NotificationKind(key=key, label=label)
    _kinds[key] = kind
    return kind


def notification_kind_get(*, key: str) -> NotificationKind | None:
    return _kinds.get(key)


def notification_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: k.key)

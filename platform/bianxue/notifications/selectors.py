"""Reads of notifications: a user's own only (every selector takes the user)."""

from django.core.cache import cache
from django.urls import reverse

from .models import Notification, NotificationPreference

BELL_CACHE_SECONDS = 300


def _bell_key(user_id: int) -> str:
    return f"bell:unread:{user_id}"


def notification_unread_count(*, user) -> int:
    """Unread notifications of ``user``; cached (every page's header shows it), dropped on every change."""
    count = cache.get(_bell_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at=None).count()
        cache.set(_bell_key(user.pk), count, BELL_CACHE_SECONDS)
    return count


def notification_unread_forget(*, user_id: int) -> None:
    cache.delete(_bell_key(user_id))


def notification_bell(*, user) -> dict:
    """What the header's bell shows (registered with ``bianxue.registry.bell_provider_register``)."""
    return {"url": reverse("notifications:list"), "unread": notification_unread_count(user=user),
            "socket": "/ws/notifications/"}


def notifications_for_user(*, user, limit: int = 10, before_id: int | None = None) -> list[Notification]:
    """The user's latest notifications, newest first; ``before_id`` pages on (keyset, not offset)."""
    rows = Notification.objects.filter(user=user)
    if before_id is not None:
        rows = rows.filter(pk__lt=before_id)
    return list(rows.order_by("-id")[:limit])


def notification_preference_for_user(*, user) -> NotificationPreference:
    """The user's preference, or the defaults (unsaved) when they never set one."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)

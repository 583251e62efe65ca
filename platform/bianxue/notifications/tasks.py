"""Celery tasks of notifications: thin, safe to run twice."""

from celery import shared_task


@shared_task(name="notifications.deliver", ignore_result=True)
def notification_deliver(notification_id: int) -> None:
    from .services import notification_deliver as deliver

    deliver(notification_id=notification_id)


@shared_task(name="notifications.digest_send", ignore_result=True)
def notification_digest_send(user_id: int) -> None:
    from .services import notification_digest_send as send

    send(user_id=user_id)


@shared_task(name="notifications.digests", ignore_result=True)
def notifications_digests() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): one digest task per user who asked for one."""
    from .services import notifications_digest_run

    notifications_digest_run()

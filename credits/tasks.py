"""Celery tasks of the credit bank: thin and safe to run twice."""

from celery import shared_task


@shared_task(name="credits.notification_deliver", ignore_result=True)
def notification_deliver(notification_id: int) -> None:
    """Outbox rows written before notifications moved to the platform core (same ids, moved by migration 0009)."""
    from bianxue.notifications.services import notification_deliver as deliver

    deliver(notification_id=notification_id)


@shared_task(name="credits.ledger_checkpoint", ignore_result=True)
def ledger_checkpoint() -> None:
    """Sign and store a checkpoint of every chain head (daily, CELERY_BEAT_SCHEDULE; nothing new when no entry
    was added since the latest one, so running it twice is harmless)."""
    from .checkpoints import ledger_checkpoint_create

    ledger_checkpoint_create()

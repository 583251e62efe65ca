"""Beat runs the relay every minute: whatever waited while the broker was down goes out once it is back."""

from celery import shared_task

from .services import outbox_purge, outbox_relay


@shared_task(name="bianxue.outbox_relay", ignore_result=True)
def outbox_relay_task() -> int:
    sent = outbox_relay()
    outbox_purge()
    return sent

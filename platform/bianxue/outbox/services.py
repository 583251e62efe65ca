"""The outbox: ``outbox_enqueue`` inside the transaction, sending after commit, ``outbox_relay`` for the rest.

Why our own and not a library: django-celery-outbox (0.4, one maintainer) hard-requires sentry-sdk, structlog
and datadog and runs its own relay daemon; this is one table, one function and a relay that beat runs every
minute. Delivery is at least once (a relay can die between the broker's acceptance and ``sent_at``): every
task sent through the outbox is idempotent (notification_deliver checks ``delivered_at``, an import run leaves a
finished batch alone, a snapshot refresh recomputes).
"""

import datetime
import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("bianxue.outbox")

LEASE = datetime.timedelta(seconds=60)  # a claimed row is left alone this long by other relays
BATCH = 500


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, ConnectionError, OSError, TimeoutError]
    try:
        import redis.exceptions

        errors.append(redis.exceptions.ConnectionError)
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(errors)


def outbox_enqueue(*, task: str, kwargs: dict | None = None) -> OutboxMessage:
    """Record a task call in the current transaction; it is sent after the commit (and not at all on rollback).

    If the broker is down then, the row waits for ``outbox_relay``; the caller never sees the broker's error.
    """
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs or {})
    transaction.on_commit(lambda: _send_after_commit(message.pk))
    return message


def _send_after_commit(message_id: int) -> None:
    """Try at once. The commit has happened: whatever goes wrong now must not turn the response into a 500; the
    row waits for the relay. (In process, without a broker, the task runs here and its errors propagate as a
    task's always did.)"""
    if current_app.conf.task_always_eager:
        outbox_relay(ids=[message_id])
        return
    try:
        outbox_relay(ids=[message_id])
    except Exception:
        logger.exception("outbox: sending after commit failed; the relay will retry", extra={"id": message_id})


def _claim(*, ids: list[int] | None, now: datetime.datetime) -> list[OutboxMessage]:
    with transaction.atomic():
        pending = OutboxMessage.objects.filter(sent_at=None, available_at__lte=now)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        rows = list(pending.select_for_update(skip_locked=True).order_by("available_at", "pk")[:BATCH])
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(available_at=now + LEASE)
    return rows


def _send(message: OutboxMessage) -> None:
    task = current_app.tasks.get(message.task)
    if task is None:  # not imported yet in this process: load every app's tasks.py as a worker does
        current_app.loader.import_default_modules()
        task = current_app.tasks.get(message.task)
    if task is None:  # a task of this code base that no longer exists: a bug, never retried silently
        raise LookupError(f"outbox: no task named {message.task!r}")
    # retry=False: a web request must not wait on a broker that is down; the relay tries again later.
    task.apply_async(kwargs=message.kwargs, retry=False, ignore_result=True)  # no result-store subscription


def outbox_relay(*, ids: list[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Send pending messages (these ``ids``, or every due one). Stops at the first broker error: the rest wait.
    Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    rows = _claim(ids=ids, now=now)
    for index, message in enumerate(rows):
        try:
            _send(message)
        except _broker_errors() as exc:
            backoff = datetime.timedelta(seconds=min(2 ** (message.attempts + 1), 300))
            waiting = [r.pk for r in rows[index:]]
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:500],
                available_at=now + backoff)
            OutboxMessage.objects.filter(pk__in=waiting[1:]).update(available_at=now)  # due again at once
            logger.warning("outbox: broker unavailable, %d message(s) wait for the relay", len(waiting),
                           extra={"task": message.task, "error": str(exc)[:200]})
            break
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=message.attempts + 1)
        sent += 1
    return sent


def outbox_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Delete sent messages older than ``older_than`` (the table stays small)."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted

"""The outbox: recorded in the transaction, sent after the commit, kept when the broker refuses, relayed later,
never sent twice by two relays."""

import datetime

import pytest
from bianxue.outbox import services
from bianxue.outbox.models import OutboxMessage
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(monkeypatch):
    calls = []

    def fake_send(message):
        calls.append((message.task, message.kwargs))

    monkeypatch.setattr(services, "_send", fake_send)
    return calls


def test_nothing_is_sent_when_the_transaction_rolls_back(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.outbox_enqueue(task="bianxue.ping", kwargs={})
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists() and sent == []


def test_sent_after_commit_and_marked(sent):
    with transaction.atomic():
        message = services.outbox_enqueue(task="credits.notification_deliver", kwargs={"notification_id": 7})
        assert sent == []  # not before the commit
    assert sent == [("credits.notification_deliver", {"notification_id": 7})]
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_broker_error_keeps_the_message_for_the_relay(monkeypatch):
    def refuse(message):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(services, "_send", refuse)
    monkeypatch.setitem(services.current_app.conf, "task_always_eager", False)
    with transaction.atomic():
        first = services.outbox_enqueue(task="bianxue.ping")
        second = services.outbox_enqueue(task="bianxue.ping")
    for message in (first, second):
        message.refresh_from_db()
        assert message.sent_at is None
    assert first.attempts == 1 and "OperationalError" in first.last_error
    calls = []
    monkeypatch.setattr(services, "_send", lambda m: calls.append(m.pk))
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert services.outbox_relay(now=later) == 2
    assert sorted(calls) == [first.pk, second.pk]
    assert services.outbox_relay(now=later) == 0  # never twice


def test_a_claimed_message_is_left_alone_by_another_relay(sent):
    message = OutboxMessage.objects.create(task="bianxue.ping")
    now = timezone.now()
    claimed = services._claim(ids=None, now=now)
    assert [m.pk for m in claimed] == [message.pk]
    assert services._claim(ids=None, now=now + datetime.timedelta(seconds=30)) == []  # within the lease
    assert services.outbox_relay(now=now + services.LEASE + datetime.timedelta(seconds=1)) == 1


def test_the_real_task_runs_in_process_without_a_broker(mailoutbox):
    from bianxue.celery import ping  # noqa: F401  (registered)

    with transaction.atomic():
        message = services.outbox_enqueue(task="bianxue.ping")
    message.refresh_from_db()
    assert message.sent_at is not None


def test_purge_deletes_only_old_sent_messages(sent):
    old = OutboxMessage.objects.create(task="bianxue.ping", sent_at=timezone.now() - datetime.timedelta(days=8))
    pending = OutboxMessage.objects.create(task="bianxue.ping")
    assert services.outbox_purge() == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()

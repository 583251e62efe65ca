"""Notifications: in-app now, email and SMS after commit (``credits.tasks.notification_deliver``, through the
outbox, so a broker outage delays them and never loses them)."""

from bianxue.outbox.services import outbox_enqueue
from bianxue.people.models import Learner
from django.utils import timezone

from ..models import LearnerAccount, Notification


def notification_send(*, user, title: str, body: str = "", url: str = "") -> Notification:
    """In-app notice now; email/SMS through a Celery task after commit."""
    note = Notification.objects.create(user=user, title=title[:200], body=body, url=url)
    outbox_enqueue(task="credits.notification_deliver", kwargs={"notification_id": note.pk})
    return note


def learner_notify(account: LearnerAccount, *, title: str, body: str = "", url: str = "") -> None:
    """Notify the account's learner, when the learner has a user (records of people without one notify nobody)."""
    user = Learner.objects.filter(pk=account.learner_id).values_list("user", flat=True).first()
    if user:
        from django.contrib.auth import get_user_model

        notification_send(user=get_user_model()(pk=user), title=title, body=body, url=url)


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at=None).update(read_at=timezone.now())

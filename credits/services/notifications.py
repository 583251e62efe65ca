"""Notifying a learner: through the platform core's ``notification_send`` (in-app now; the bell, e-mail and SMS
after commit, through the outbox)."""

from bianxue.notifications.services import notification_send
from bianxue.people.models import Learner

from ..models import LearnerAccount


def learner_notify(account: LearnerAccount, *, title: str, body: str = "", url: str = "",
                   kind: str = "credits.outcome", params: dict | None = None) -> None:
    """Notify the account's learner, when the learner has a user (records of people without one notify nobody)."""
    user = Learner.objects.filter(pk=account.learner_id).values_list("user", flat=True).first()
    if user:
        from django.contrib.auth import get_user_model

        notification_send(user=get_user_model()(pk=user), kind=kind, title=title, body=body, url=url, params=params)

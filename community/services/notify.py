"""The seam between boards and notifications: ``thread_followers_notify`` is what the outbox task
``community.notify_thread_followers`` calls after a reply or a teacher's answer was committed.

Kinds are registered in ``CommunityConfig.ready`` (``community.reply``, ``community.answer``) so that the bell labels
them; the notification itself (bell, e-mail, SMS, digest) is the platform core's (``bianxue.notifications``)."""

from bianxue.notifications.models import Notification
from bianxue.notifications.services import notification_send
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from ..models import ModerationStatus, Reply

TITLES = {"community.reply": gettext_noop("「%(title)s」有新回复"),
          "community.answer": gettext_noop("「%(title)s」有了老师的解答")}


def thread_followers_notify(*, kind: str, thread_id: int, reply_id: int, user_ids: list[int]) -> int:
    """Notify each follower once (safe to run twice: a follower already told of this reply is skipped); nothing
    when the reply was hidden meanwhile. Returns how many were notified."""
    reply = Reply.objects.select_related("thread").filter(pk=reply_id, thread_id=thread_id).first()
    if reply is None or reply.status != ModerationStatus.VISIBLE or kind not in TITLES:
        return 0
    url = reply.get_absolute_url()
    told = set(Notification.objects.filter(kind=kind, url=url[:200], user_id__in=user_ids)
               .values_list("user_id", flat=True))
    users = get_user_model().objects.filter(pk__in=[pk for pk in user_ids if pk not in told], is_active=True)
    count = 0
    for user in users:
        notification_send(user=user, kind=kind, title=TITLES[kind], body=reply.body[:200], url=url,
                          params={"title": reply.thread.title})
        count += 1
    return count

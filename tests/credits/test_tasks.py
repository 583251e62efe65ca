"""The notification e-mail: from 汴学, with the subject prefix and a link on SITE_URL (a task has no request)."""

import pytest
from bianxue.notifications.models import Notification
from django.core import mail

from credits.tasks import notification_deliver
from tests.factories import UserFactory


@pytest.mark.django_db
def test_notification_email_is_branded_and_links_to_the_site_url(settings):
    settings.SITE_URL = "https://bianxue.example.cn"
    user = UserFactory(email="note@example.cn")
    note = Notification.objects.create(user=user, kind="credits.outcome", title="学习成果已认证", body="老年照护（中级）", url="/credits/")
    notification_deliver(note.pk)
    message = mail.outbox[-1]
    assert message.subject == "【汴学】学分银行：学习成果已认证"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "https://bianxue.example.cn/credits/" in message.body

"""Notifications in the platform core: one door for every app, the bell (count on every page, live over the user's
own websocket), urgent kinds e-mailed at once, daily digests for those who asked, the preferences page."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from bianxue.notifications.models import Notification, NotificationPreference
from bianxue.notifications.services import (
    notification_digest_send,
    notification_mark_read,
    notification_send,
    notifications_digest_run,
)
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

ORIGIN = (b"origin", b"http://testserver")


@pytest.mark.django_db
def test_send_stores_delivers_once_and_counts_in_the_bell(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="a@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(user=user, kind="credits.outcome", title="学习成果已认证", url="/credits/")
    note.refresh_from_db()
    assert note.delivered_at is not None  # the outbox ran the delivery after the commit (in process here)
    assert [m.subject for m in mail.outbox] == ["【汴学】学分银行：学习成果已认证"]
    from bianxue.notifications.services import notification_deliver

    notification_deliver(notification_id=note.pk)  # run twice: nothing sent twice
    assert len(mail.outbox) == 1
    client.force_login(user)
    page = client.get("/").content.decode()
    assert 'data-bell-count>1<' in page and 'data-socket="/ws/notifications/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=user, notification_id=note.pk)
    assert 'data-bell-count hidden>0<' in client.get("/").content.decode()


@pytest.mark.django_db
def test_community_kinds_are_not_emailed_at_once_and_a_user_may_turn_urgent_mail_off(
        django_capture_on_commit_callbacks):
    user = UserFactory(email="b@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, kind="community.live_answer", title="老师回答了您的提问")
    assert mail.outbox == []
    NotificationPreference.objects.create(user=user, instant=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, kind="credits.outcome", title="学习成果已认证")
    assert mail.outbox == []


@pytest.mark.django_db
def test_only_ones_own_notifications_are_read_or_marked(client):
    owner, other = UserFactory(), UserFactory()
    note = notification_send(user=owner, kind="community.live_answer", title="给主人的")
    notification_mark_read(user=other, notification_id=note.pk)
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(other)
    assert "给主人的" not in client.get(reverse("notifications:list")).content.decode()
    client.force_login(owner)
    assert "给主人的" in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.django_db
def test_a_digest_goes_to_those_who_asked_once(client, django_capture_on_commit_callbacks):
    wants = UserFactory(email="digest@example.cn")
    client.force_login(wants)
    response = client.post(reverse("notifications:preferences"), {"digest": "email", "instant": ""})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=wants)
    assert pref.digest == "email" and pref.instant is False
    quiet = UserFactory(email="quiet@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (wants, quiet):
            notification_send(user=user, kind="community.live_answer", title="老师回答了您的提问")
            notification_send(user=user, kind="credits.outcome", title="学习成果已认证")
    assert mail.outbox[0].to == ["quiet@example.cn"]  # urgent, at once, for the one who did not turn it off
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_digest_run() == 1  # one user asked
    assert [m.to for m in mail.outbox] == [["digest@example.cn"]]
    assert "老师回答了您的提问" in mail.outbox[0].body and "学习成果已认证" in mail.outbox[0].body
    assert notification_digest_send(user_id=wants.pk) == 0  # run twice: nothing twice
    assert not Notification.objects.filter(user=wants, digested_at=None).exists()


@pytest.mark.django_db
def test_the_preferences_form_refuses_an_unknown_digest(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), {"digest": "fax"}, follow=True)
    assert "请选择每日汇总的方式。" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()


def _run(coroutine_function):
    from django.db import connections

    def body():
        try:
            return async_to_sync(coroutine_function)()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(body).result(timeout=60)


def _headers(client, user):
    client.force_login(user)
    return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


@pytest.mark.django_db(transaction=True)
def test_the_bell_socket_refuses_anonymous_and_hears_only_its_own_user(client, settings):
    from bianxue.asgi import application
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    owner, other = UserFactory(), UserFactory()
    owner_headers = _headers(client, owner)
    other_headers = _headers(client.__class__(), other)

    async def body():
        anonymous = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN])
        connected, _ = await anonymous.connect()
        assert not connected
        mine = WebsocketCommunicator(application, "/ws/notifications/", headers=owner_headers)
        theirs = WebsocketCommunicator(application, "/ws/notifications/", headers=other_headers)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        await database_sync_to_async(notification_send)(user=owner, kind="community.live_answer",
                                                        title="老师回答了您的提问")
        event = await mine.receive_json_from(timeout=10)
        assert await theirs.receive_nothing(timeout=0.5)
        await mine.disconnect()
        await theirs.disconnect()
        return event

    event = _run(body)
    channel_layers.backends.clear()
    assert event == {"type": "bell", "unread": 1, "title": "老师回答了您的提问", "url": ""}


def test_a_notification_reads_in_its_readers_language(db, client):
    """Stored as a msgid with its values, shown in each reader's language: the credit bank's decision and its
    status label in English for an English reader, in Chinese for a Chinese one; old free-text rows unchanged."""
    from bianxue.notifications.models import Notification
    from django.utils import translation

    from credits.models import ApplicationStatus
    from tests.factories import UserFactory

    user = UserFactory()
    with translation.override("zh-hans"):
        status = str(ApplicationStatus.APPROVED.label)
    note = notification_send(user=user, kind="credits.application", title="转换申请%(status)s：%(programme)s",
                             body="%(reason)s", params={"status": status, "programme": "老年保健与管理", "reason": ""})
    with translation.override("en"):
        english = note.display_title
    assert english == "Credit transfer application: Approved, 老年保健与管理"
    with translation.override("zh-hans"):
        assert note.display_title == f"转换申请{status}：老年保健与管理"
    old = Notification.objects.create(user=user, kind="credits.outcome", title="学习成果已认证：老年照护")
    with translation.override("en"):
        assert old.display_title == "学习成果已认证：老年照护"
    client.force_login(user)
    page = client.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english in page

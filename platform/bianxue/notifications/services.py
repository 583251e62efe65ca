"""Writes of notifications. ``notification_send`` is the one door every app uses: the notice is stored in the
caller's transaction; after the commit the outbox delivers it (the bell of the user's open pages updates over their
websocket; urgent kinds are e-mailed and texted at once). Digests go out once a day (``notifications_digest_run``,
on the beat schedule) to those who asked for one."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from bianxue.outbox.services import outbox_enqueue
from bianxue.registry import notification_kind_get

from .models import Digest, Notification, NotificationPreference
from .selectors import notification_unread_count, notification_unread_forget

logger = logging.getLogger("bianxue.notifications")


def notification_group(user_id: int) -> str:
    """The channel-layer group of one user's sockets (the bell of every page they have open)."""
    return f"notify.user.{user_id}"


def notification_send(*, user, kind: str, title: str, body: str = "", url: str = "",
                      params: dict | None = None) -> Notification:
    """Notify ``user`` (in-app now; the bell, e-mail and SMS after commit, through the outbox). ``title`` and
    ``body`` are msgids (``gettext_noop``) with ``%(name)s`` placeholders filled from ``params`` when shown, so
    each reader sees them in their own language."""
    note = Notification.objects.create(user_id=user.pk, kind=kind, title=title[:200], body=body, url=url[:200],
                                       params={k: str(v) for k, v in (params or {}).items()})
    transaction.on_commit(lambda: notification_unread_forget(user_id=user.pk))
    outbox_enqueue(task="notifications.deliver", kwargs={"notification_id": note.pk})
    return note


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at=None).update(read_at=timezone.now())
    _bell_refresh(user_id=user.pk)


def notification_mark_all_read(*, user) -> None:
    Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
    _bell_refresh(user_id=user.pk)


def notification_preference_set(*, user, instant: bool, digest: str) -> NotificationPreference:
    if digest not in Digest.values:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("请选择每日汇总的方式。"))
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"instant": instant, "digest": digest})
    return pref


def _bell_refresh(*, user_id: int, title: str = "", url: str = "") -> None:
    """Tell the user's open pages the new unread count (and the title of what arrived), after the commit."""

    def push() -> None:
        notification_unread_forget(user_id=user_id)
        from django.contrib.auth import get_user_model

        unread = notification_unread_count(user=get_user_model()(pk=user_id))
        try:
            async_to_sync(get_channel_layer().group_send)(
                notification_group(user_id), {"type": "bell.event", "unread": unread, "title": title, "url": url})
        except Exception:
            logger.warning("bell push failed; the count shows on the next page", extra={"user": user_id},
                           exc_info=True)

    transaction.on_commit(push)


def notification_deliver(*, notification_id: int) -> None:
    """The after-commit step, once (``delivered_at``): the bell, and for urgent kinds e-mail and SMS now (unless the
    user turned that off). Notifications of a user without a digest are marked digested here."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils.translation import override

    from bianxue.accounts.sms import phone_country_allowed, sms_send
    from bianxue.links import absolute_url

    with transaction.atomic():
        note = Notification.objects.select_for_update().select_related("user").filter(
            pk=notification_id, delivered_at=None).first()
        if note is None:
            return
        pref = NotificationPreference.objects.filter(user_id=note.user_id).first()
        kind = notification_kind_get(key=note.kind)
        if kind is not None and kind.urgent and (pref is None or pref.instant):
            with override(settings.LANGUAGE_CODE):  # a task has no reader: the site's language, as before
                source = f"{kind.source}：" if kind.source else ""
                text = f"{note.display_title}\n{note.display_body}".strip()
                if note.user.email:
                    # from DEFAULT_FROM_EMAIL (汴学), the link on SITE_URL: a task has no request host to leak
                    send_mail(f"{settings.EMAIL_SUBJECT_PREFIX}{source}{note.display_title}",
                              f"{text}\n\n{absolute_url(note.url or '/')}", None, [note.user.email],
                              fail_silently=True)
                if note.user.phone and note.user.phone_verified and phone_country_allowed(note.user.phone):
                    sms_send(phone=note.user.phone, message=f"【汴学】{note.display_title}")
        note.delivered_at = timezone.now()
        fields = ["delivered_at"]
        if pref is None or pref.digest == Digest.NONE:
            note.digested_at = note.delivered_at
            fields.append("digested_at")
        note.save(update_fields=fields)
        with override(settings.LANGUAGE_CODE):  # the live toast; the bell's list renders in the reader's language
            title = note.display_title
        _bell_refresh(user_id=note.user_id, title=title, url=note.url)


def notification_digest_send(*, user_id: int, now=None) -> int:
    """One user's digest: the notifications not yet digested, in one e-mail or one SMS; then marked. Safe to run
    twice (the rows are marked in the same transaction, under the preference's row lock)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import override

    from bianxue.accounts.sms import phone_country_allowed, sms_send
    from bianxue.links import absolute_url

    now = now or timezone.now()
    with transaction.atomic():
        pref = NotificationPreference.objects.select_for_update().select_related("user").filter(
            user_id=user_id).exclude(digest=Digest.NONE).first()
        if pref is None:
            return 0
        notes = list(Notification.objects.filter(user_id=user_id, digested_at=None, created_at__lte=now)
                     .order_by("created_at")[:50])
        if not notes:
            return 0
        user = pref.user
        with override(settings.LANGUAGE_CODE):
            if pref.digest == Digest.EMAIL and user.email:
                lines = "\n".join(f"· {n.display_title}" for n in notes)
                send_mail(f"{settings.EMAIL_SUBJECT_PREFIX}今日通知汇总（{len(notes)} 条）",
                          f"{lines}\n\n{absolute_url(reverse('notifications:list'))}", None, [user.email],
                          fail_silently=True)
            elif pref.digest == Digest.SMS and user.phone and user.phone_verified and \
                    phone_country_allowed(user.phone):
                sms_send(phone=user.phone, message=f"【汴学】您有 {len(notes)} 条新通知，请登录汴学查看。")
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digested_at=now)
        pref.digest_sent_at = now
        pref.save(update_fields=["digest_sent_at"])
    return len(notes)


def notifications_digest_run(*, now=None) -> int:
    """Every user who asked for a digest: one task each, through the outbox (so a broker outage loses none)."""
    users = list(NotificationPreference.objects.exclude(digest=Digest.NONE).values_list("user_id", flat=True))
    with transaction.atomic():
        for user_id in users:
            outbox_enqueue(task="notifications.digest_send", kwargs={"user_id": user_id})
    return len(users)

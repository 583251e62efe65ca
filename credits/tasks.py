"""Celery tasks of the credit bank: thin and safe to run twice."""

from celery import shared_task


@shared_task(name="credits.notification_deliver", ignore_result=True)
def notification_deliver(notification_id: int) -> None:
    """Send an in-app notification by email and SMS as well (once: ``delivered_at`` marks it done)."""
    from bianxue.accounts.sms import phone_country_allowed, sms_send
    from bianxue.links import absolute_url
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import transaction
    from django.utils import timezone

    from .models import Notification

    with transaction.atomic():
        note = Notification.objects.select_for_update().select_related("user").filter(
            pk=notification_id, delivered_at=None).first()
        if note is None:
            return
        text = f"{note.title}\n{note.body}".strip()
        if note.user.email:
            # from DEFAULT_FROM_EMAIL (汴学), the link on SITE_URL: a task has no request host to leak
            send_mail(f"{settings.EMAIL_SUBJECT_PREFIX}学分银行：{note.title}", f"{text}\n\n{absolute_url(note.url or '/credits/')}",
                      None, [note.user.email], fail_silently=True)
        if note.user.phone and note.user.phone_verified and phone_country_allowed(note.user.phone):
            sms_send(phone=note.user.phone, message=f"【汴学】{note.title}")
        note.delivered_at = timezone.now()
        note.save(update_fields=["delivered_at"])


@shared_task(name="credits.ledger_checkpoint", ignore_result=True)
def ledger_checkpoint() -> None:
    """Sign and store a checkpoint of every chain head (daily, CELERY_BEAT_SCHEDULE; nothing new when no entry
    was added since the latest one, so running it twice is harmless)."""
    from .checkpoints import ledger_checkpoint_create

    ledger_checkpoint_create()

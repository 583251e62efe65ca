"""``manage.py outbox_relay``: send every pending outbox message now (after an outage, by hand)."""

from django.core.management.base import BaseCommand

from bianxue.outbox.models import OutboxMessage
from bianxue.outbox.services import outbox_relay


class Command(BaseCommand):
    help = "Send the outbox's pending Celery tasks now. 立即发送待发任务。"

    def handle(self, *args, **options):
        sent = outbox_relay()
        left = OutboxMessage.objects.filter(sent_at=None).count()
        self.stdout.write(f"sent {sent}, pending {left}. 已发送 {sent}，待发 {left}。")

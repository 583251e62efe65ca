"""One Celery task to be sent once its transaction has committed."""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task call recorded in the transaction of the work it follows from.

    ``sent_at`` is set once the broker accepted it; until then ``available_at`` says when a relay may try (a
    claim pushes it forward by a lease, a failure by a back-off), so two relays never send one row at once.
    """

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["available_at"], name="outbox_pending",
                         condition=models.Q(sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} {'sent' if self.sent_at else 'pending'}"

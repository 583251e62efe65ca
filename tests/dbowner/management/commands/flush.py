"""Django's flush, run with the append-only guards switched off by the owner (tests only)."""

from django.core.management.commands.flush import Command as DjangoFlush

from tests.dbowner.guards import owner_guard_suspended


class Command(DjangoFlush):
    def handle(self, **options):
        with owner_guard_suspended(options["database"]):
            return super().handle(**options)

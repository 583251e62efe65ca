"""Test-only app (listed first in bianxue.settings.test): the test database cleaned up through the owner's
connection. Its ``flush`` command overrides Django's: as the owner it switches the append-only guards off
around the real flush and back on after it (see ``guards.owner_guard_suspended``)."""

"""Signals of the people app.

``learner_merged(sender=Learner, source=<Learner>, target=<Learner>)`` is sent (inside the
transaction) when a login that had an internal learner links a resident ID number that
already has a learner: apps holding rows about learners should move ``source``'s rows to
``target`` in their receiver. ``source`` is kept (unlinked), never deleted here.
"""

from django.dispatch import Signal

learner_merged = Signal()

# What happens to each foreign key to Learner on a merge, registered by the app that owns the table
# ("app_label.Model.field" -> how). tests/bianxue/people/test_merges.py fails for any key nobody registered.
MERGE_FIELDS: dict[str, str] = {}


def merge_field_register(*, field: str, how: str) -> None:
    MERGE_FIELDS[field] = how

"""Signals of the people app.

``learner_merged(sender=Learner, source=<Learner>, target=<Learner>)`` is sent (inside the
transaction) when a login that had an internal learner links a resident ID number that
already has a learner: apps holding rows about learners should move ``source``'s rows to
``target`` in their receiver. ``source`` is kept (unlinked), never deleted here.
"""

from django.dispatch import Signal

learner_merged = Signal()

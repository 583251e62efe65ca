"""The error the credit bank's state machines raise (outcomes, the ledger, conversion applications)."""

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A state machine refused a transition."""

"""Errors the community's services raise, with a message in the reader's language."""

from django.core.exceptions import PermissionDenied


class PostingRefused(PermissionDenied):
    """The user may not post now; ``str(exc)`` is the translated reason and ``code`` says which rule:
    ``login``, ``phone``, ``binding``, ``rate`` or ``member`` (not a member of where they post)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message

"""What the community's views share: running a service and turning its refusal into a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def run(request, action, *, success: str = "", back: str):
    """Call ``action()``; on a refusal (PostingRefused, PermissionDenied, ValidationError) show why and go
    ``back``, writing nothing (each service is one transaction)."""
    try:
        result = action()
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return None, redirect(back)
    if success:
        messages.success(request, success)
    return result, None


def held_notice(request, post) -> None:
    """Tell the author their post waits for review (and why), or nothing when it is shown."""
    from django.utils.translation import gettext as _

    from ..models import HeldReason, ModerationStatus

    if post.status == ModerationStatus.HELD:
        if post.held_reason == HeldReason.WORD:
            messages.info(request, _("您的发言含有需要审核的内容，管理员审核后显示。"))
        else:
            messages.info(request, _("新成员的前几条发言须经审核，管理员审核后显示。"))

"""Moderation pages: the queue of held posts and open reports, hide/restore, report/dismiss."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Moderated, Report
from ..selectors.moderation import moderation_queue, user_is_moderator
from ..services import moderation as services
from .common import run


def _target(kind: str, pk: int) -> Moderated:
    try:
        model = apps.get_model("community", kind)
    except LookupError:
        raise Http404 from None
    if not issubclass(model, Moderated):
        raise Http404
    return get_object_or_404(model, pk=pk)


def _back(request, fallback: str) -> str:
    nxt = request.POST.get("next", "")
    return nxt if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else fallback


@login_required
def queue(request):
    if not user_is_moderator(user=request.user):
        raise PermissionDenied(_("只有管理员可以查看审核队列。"))
    return render(request, "community/moderation_queue.html", moderation_queue(user=request.user))


@login_required
@require_POST
def hide(request, kind: str, pk: int):
    target = _target(kind, pk)
    back = _back(request, "/community/moderation/")
    _r, failed = run(request, lambda: services.content_hide(actor=request.user, target=target,
                                                            reason=request.POST.get("reason", "")),
                     success=_("已隐藏，留有记录。"), back=back)
    return failed or redirect(back)


@login_required
@require_POST
def restore(request, kind: str, pk: int):
    target = _target(kind, pk)
    back = _back(request, "/community/moderation/")
    _r, failed = run(request, lambda: services.content_restore(actor=request.user, target=target),
                     success=_("已显示。"), back=back)
    return failed or redirect(back)


@login_required
@require_POST
def report(request, kind: str, pk: int):
    target = _target(kind, pk)
    back = _back(request, target.get_absolute_url())
    _r, failed = run(request, lambda: services.content_report(reporter=request.user, target=target,
                                                              reason=request.POST.get("reason", "")),
                     success=_("举报已收到，管理员会尽快处理。内容在处理前仍然显示。"), back=back)
    return failed or redirect(back)


@login_required
@require_POST
def dismiss(request, report_id: int):
    report = get_object_or_404(Report, pk=report_id)
    _r, failed = run(request, lambda: services.report_dismiss(actor=request.user, report=report),
                     success=_("已驳回举报。"), back="/community/moderation/")
    if failed:
        return failed
    messages.info(request, _("内容保持原样。"))
    return redirect("community:moderation")

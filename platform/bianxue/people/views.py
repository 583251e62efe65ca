"""Real-name binding pages (thin: the rules live in services.binding).

* ``/me/identity/``: the resident's claim (name + ID number), then the code sent to the recorded mobile;
* ``/me/identity/requests/``: staff of institutions holding the learner's records (and the bureau) confirm or
  reject pending claims;
* ``/me/identity/bindings/``: the bureau unbinds in a dispute, with a reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import BindingCodeForm, IdentifierSearchForm, IdentityForm, ReasonForm
from .selectors import (
    binding_request_pending_for_user,
    binding_requests_for_staff,
    bindings_for_bureau,
    learner_for_user,
)
from .services import (
    binding_code_verify,
    binding_next_step_message,
    binding_request_confirm,
    binding_request_reject,
    binding_request_resend,
    binding_request_start,
    binding_request_withdraw,
    learner_unbind,
)


def _identity_page(request, *, form=None, code_form=None, status=200):
    learner = learner_for_user(user=request.user)
    linked = learner if learner is not None and learner.is_resident_id else None
    claim_refused = form is not None and form.is_bound  # a refused claim shows the claim form with the reason
    pending = None if linked or claim_refused else binding_request_pending_for_user(user=request.user)
    if claim_refused:  # never echo the full number back into the page
        form.data = form.data.copy()
        form.data["resident_id"] = ""
    context = {"linked": linked, "pending": pending, "form": form or IdentityForm(),
               "code_form": code_form or BindingCodeForm(), "next_step": binding_next_step_message()}
    return render(request, "people/identity.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def identity(request):
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            binding_request_start(user=request.user, identifier=form.cleaned_data["resident_id"],
                                  name=form.cleaned_data["name"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("people:identity")
    return _identity_page(request, form=form)


@login_required
@require_POST
def identity_code(request):
    form = BindingCodeForm(request.POST)
    if form.is_valid():
        try:
            binding_code_verify(user=request.user, code=form.cleaned_data["code"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("身份已绑定，您以前的学习记录会显示在“我的”页面。"))
            return redirect("people:identity")
    return _identity_page(request, code_form=form)


@login_required
@require_POST
def identity_resend(request):
    try:
        binding_request_resend(user=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.info(request, binding_next_step_message())
    return redirect("people:identity")


@login_required
@require_POST
def identity_withdraw(request):
    binding_request_withdraw(user=request.user)
    return redirect("people:identity")


@login_required
@require_http_methods(["GET", "POST"])
def binding_requests(request):
    """Pending claims of learners the staff member's institutions hold records about (all, for the bureau)."""
    if request.method == "POST":
        form = ReasonForm(request.POST)
        form.is_valid()
        claim_id, reason = int(request.POST.get("claim") or 0), form.cleaned_data.get("reason", "")
        try:
            if request.POST.get("action") == "confirm":
                binding_request_confirm(actor=request.user, claim_id=claim_id, reason=reason)
                messages.success(request, _("已确认实名绑定。"))
            else:
                binding_request_reject(actor=request.user, claim_id=claim_id, reason=reason)
                messages.success(request, _("已拒绝该申请。"))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("people:binding_requests")
    rows = binding_requests_for_staff(user=request.user)
    return render(request, "people/binding_requests.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def bindings(request):
    """The bureau's unbind page: find a binding by ID number (sent by POST, never in the URL), unbind with a
    reason."""
    form = IdentifierSearchForm(request.POST if request.POST.get("action") == "search" else None)
    identifier = form.cleaned_data["resident_id"] if form.is_bound and form.is_valid() else ""
    if request.method == "POST" and request.POST.get("action") == "unbind":
        reason_form = ReasonForm(request.POST)
        reason_form.is_valid()
        try:
            learner_unbind(actor=request.user, learner_id=int(request.POST.get("learner") or 0),
                           reason=reason_form.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("已解除绑定。"))
        return redirect("people:bindings")
    learners = bindings_for_bureau(user=request.user, identifier=identifier)
    if form.is_bound:
        form.data = form.data.copy()
        form.data["resident_id"] = ""
    return render(request, "people/bindings.html", {"learners": learners, "form": form, "searched": bool(identifier)})

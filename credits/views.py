"""Credit bank pages. Thin: permissions and rules live in services and selectors."""

import functools
import json

from allauth.core import ratelimit
from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin
from bianxue.files import upload_refused_message
from bianxue.people.identifiers import name_mask
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import checkpoints as checkpoint_tools
from . import credentials, documents, lookup, selectors, services
from .forms import AccreditationForm, ConversionRuleForm, DeclarationForm, ReasonForm, RuleRevisionForm
from .models import (
    ApplicationStatus,
    ConversionApplication,
    ConversionRule,
    Credential,
    Outcome,
    OutcomeStatus,
    OutcomeType,
    Transcript,
    ValuationRule,
)
from .roles import OFFICER_ROLES


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- learner pages ---------------------------------------------------------------------------------------


@login_required
def home(request):
    """我的学分银行: balance by type and year, outcomes, ledger history, applications, documents."""
    account = services.account_for_user_get_or_create(user=request.user)
    before = request.GET.get("before")
    entries, next_before = selectors.ledger_page(account=account, before=int(before) if before and before.isdigit()
                                                 else None)
    context = {
        "account": account,
        "by_type_year": selectors.balance_by_type_and_year(account=account),
        "outcomes": selectors.outcomes_for_account(account=account),
        "entries": entries,
        "next_before": next_before,
        "applications": selectors.applications_for_account(account=account),
        "transcripts": account.transcripts.order_by("-issued_at")[:5],
        "notifications": selectors.notifications_for_user(user=request.user),
        "suggestions": selectors.conversion_suggestions(account=account),
        "declaration_form": DeclarationForm(),
    }
    return render(request, "credits/home.html", context)


@login_required
def declare(request):
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and getattr(request, "upload_refused", None):  # stopped while streaming in
        form.is_valid()
        form.add_error("evidence", upload_refused_message(request.upload_refused))
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.declaration_submit(
                user=request.user, outcome_type=d["outcome_type"], title=d["title"], institution_id=d["institution"].pk,
                date=d["date"], hours=d["hours"], certificate_id=d["certificate"].pk if d["certificate"] else None,
                cert_level=d["cert_level"] or "", certificate_no=d["certificate_no"], evidence=d["evidence"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("申报已提交，等待学分认定员审核。"))
            return redirect("credits:home")
    return render(request, "credits/declare.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def apply(request):
    """Apply for conversion: the platform suggests which outcomes match which rules; the learner ticks them."""
    account = services.account_for_user_get_or_create(user=request.user)
    suggestions = selectors.conversion_suggestions(account=account)
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("pair"):
            try:
                outcome_id, rule_id = (int(x) for x in value.split(":"))
            except ValueError:
                continue
            pairs.append((outcome_id, rule_id))
        rule = ConversionRule.objects.filter(pk__in=[r for _o, r in pairs]).first()
        if rule is None:
            messages.error(request, _("请至少选择一项成果。"))
        else:
            try:
                application = services.conversion_application_submit(
                    user=request.user, institution_id=rule.institution_id, programme_code=rule.programme_code,
                    items=pairs)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("转换申请已提交。"))
                return redirect("credits:application", pk=application.pk)
    return render(request, "credits/apply.html", {"suggestions": suggestions})


@login_required
def application_detail(request, pk: int):
    try:
        application = selectors.application_for_user(user=request.user, application_id=pk)
    except ConversionApplication.DoesNotExist:
        raise Http404
    return render(request, "credits/application.html", {
        "application": application, "steps": application.steps.select_related("actor"),
        "items": application.items.select_related("rule", "outcome")})


@login_required
def evidence(request, pk: int):
    """Evidence files are private: the owner and the reviewing institution's officers only."""
    try:
        outcome = selectors.outcome_for_user(user=request.user, outcome_id=pk)
    except Outcome.DoesNotExist:
        raise Http404
    if not outcome.evidence:
        raise Http404
    response = FileResponse(outcome.evidence.open("rb"), content_type=outcome.evidence_type or
                            "application/octet-stream", as_attachment=True,
                            filename=f"evidence-{outcome.pk}{outcome.evidence.name[-4:]}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def credential(request, pk: int):
    account = selectors.account_for_user(user=request.user)
    outcome = get_object_or_404(Outcome, pk=pk, account=account, status=OutcomeStatus.CERTIFIED)
    cred = credentials.credential_issue(outcome=outcome)
    response = HttpResponse(cred.jwt, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="credential-{cred.id}.jwt"'
    return response


@login_required
@require_POST
def transcript_new(request):
    account = services.account_for_user_get_or_create(user=request.user)
    transcript = documents.transcript_issue(account=account)
    return redirect("credits:transcript_pdf", code=transcript.code)


@login_required
def transcript_pdf(request, code: str):
    account = selectors.account_for_user(user=request.user)
    transcript = get_object_or_404(Transcript, code=code, account=account)
    url = request.build_absolute_uri(reverse("credits:verify", args=[transcript.code]))
    pdf = documents.transcript_pdf(transcript=transcript, verify_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transcript-{transcript.code}.pdf"'
    return response


@login_required
@require_POST
def notification_read(request, pk: int):
    from bianxue.notifications.services import notification_mark_read

    notification_mark_read(user=request.user, notification_id=pk)
    return redirect("credits:home")


# --- public ---------------------------------------------------------------------------------------------


def verify(request, code: str):
    """Public verification: masked name, account number, what the document states, still valid or not."""
    transcript = Transcript.objects.select_related("account").filter(code=code.strip().upper()).first()
    if request.GET.get("code") and transcript is None:
        return redirect("credits:verify", code=request.GET["code"].strip().upper())
    if transcript is None:
        return render(request, "credits/verify.html", {"code": code, "found": False}, status=404)
    validity = documents.transcript_validity(transcript=transcript)
    s = transcript.statement
    return render(request, "credits/verify.html", {
        "found": True, "transcript": transcript, "masked_name": name_mask(s["name"]), "statement": s,
        "valid": validity["valid"], "revoked_ids": validity["revoked_ids"]})


def verify_lookup(request):
    code = (request.GET.get("code") or "").strip().upper()
    if code:
        return redirect("credits:verify", code=code)
    return render(request, "credits/verify.html", {"found": False, "code": ""})


def issuer(request):
    return JsonResponse(credentials.issuer_profile(), json_dumps_params={"ensure_ascii": False})


def public_key(request):
    return JsonResponse(credentials.public_key_document(), json_dumps_params={"ensure_ascii": False})


def checkpoints(request):
    """The signed ledger checkpoints, newest first, with how to check them (public)."""
    page = Paginator(selectors.ledger_checkpoints(), 50).get_page(request.GET.get("page"))
    return render(request, "credits/checkpoints.html", {"page": page, "key_id": checkpoint_tools.key_thumbprint()})


def checkpoints_json(request):
    document = checkpoint_tools.checkpoints_document(selectors.ledger_checkpoints())
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})


def status_list(request, number: int):
    return HttpResponse(credentials.status_list_credential(number), content_type="application/vc+jwt")


# --- staff ----------------------------------------------------------------------------------------------


def officer_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not institutions_for_user(user=request.user, roles=OFFICER_ROLES).exists():
            raise PermissionDenied(_("仅限学分认定员。"))
        return view(request, *args, **kwargs)

    return wrapped


def _int(value):
    return int(value) if value and str(value).isdigit() else None


@officer_required
def queue(request):
    """Review queue of the officer's institutions: filter, bulk approve with one reason, reject with reason."""
    institution_id = _int(request.GET.get("institution"))
    status = request.GET.get("status") or None
    otype = request.GET.get("type") or None
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("outcome") if i.isdigit()]
        reason = request.POST.get("reason", "")
        try:
            if request.POST.get("action") == "approve":
                done = services.outcomes_bulk_certify(actor=request.user, outcome_ids=ids, reason=reason)
                messages.success(request, _("已认证 %(n)s 项成果。") % {"n": done})
            elif request.POST.get("action") == "reject":
                services.outcomes_bulk_reject(actor=request.user, outcome_ids=ids, reason=reason)
                messages.success(request, _("已退回 %(n)s 项成果。") % {"n": len(ids)})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(request.get_full_path())
    bureau_only = request.GET.get("queue") == "bureau"
    outcomes = selectors.review_queue_outcomes(user=request.user, institution_id=institution_id, status=status,
                                               outcome_type=otype, bureau_only=bureau_only)[:200]
    applications = selectors.review_queue_applications(user=request.user, institution_id=institution_id)[:100]
    return render(request, "credits/staff/queue.html", {
        "outcomes": outcomes, "applications": applications,
        "institutions": institutions_for_user(user=request.user, roles=OFFICER_ROLES),
        "statuses": OutcomeStatus.choices, "types": OutcomeType.choices,
        "filters": {"institution": institution_id, "status": status, "type": otype, "bureau": bureau_only},
        "is_bureau": user_is_bureau_admin(user=request.user)})


@officer_required
def staff_outcome(request, pk: int):
    try:
        outcome = selectors.outcome_for_user(user=request.user, outcome_id=pk)
    except Outcome.DoesNotExist:
        raise Http404
    if request.method == "POST":  # four eyes and the officer's role are checked by the services
        form = ReasonForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        action = request.POST.get("action")
        try:
            if action == "review":
                services.outcome_start_review(actor=request.user, outcome=outcome)
            elif action == "certify":
                services.outcome_certify(actor=request.user, outcome=outcome, reason=reason)
            elif action == "reject":
                services.outcome_reject(actor=request.user, outcome=outcome, reason=reason)
            elif action == "revoke":
                services.outcome_revoke(actor=request.user, outcome=outcome, reason=reason)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
        return redirect("credits:staff_outcome", pk=pk)
    value, rule = services.outcome_value(outcome=outcome) if outcome.status in (
        OutcomeStatus.SUBMITTED, OutcomeStatus.UNDER_REVIEW) else (outcome.credits, outcome.rule)
    own = services.user_is_party_to_outcome(user=request.user, outcome=outcome)
    return render(request, "credits/staff/outcome.html", {"outcome": outcome, "value": value, "rule": rule,
                                                         "form": ReasonForm(), "own": own})


@officer_required
def staff_application(request, pk: int):
    try:
        application = selectors.application_for_user(user=request.user, application_id=pk)
    except ConversionApplication.DoesNotExist:
        raise Http404
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        action = request.POST.get("action")
        actions = {
            "review": lambda: services.conversion_application_start_review(actor=request.user,
                                                                           application=application),
            "approve": lambda: services.conversion_application_approve(actor=request.user, application=application,
                                                                       reason=reason),
            "reject": lambda: services.conversion_application_reject(actor=request.user, application=application,
                                                                     reason=reason),
            "apply": lambda: services.conversion_application_apply(actor=request.user, application=application,
                                                                   reason=reason),
        }
        try:
            if action in actions:
                actions[action]()
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
        return redirect("credits:staff_application", pk=pk)
    return render(request, "credits/staff/application.html", {
        "application": application, "steps": application.steps.select_related("actor"),
        "items": application.items.select_related("rule", "outcome"), "statuses": ApplicationStatus})


@officer_required
def account_lookup(request):
    """Look a learner's account up by resident ID number or mobile number (POST: the number stays out of URLs
    and logs). Only learners with records, outcomes or applications at the officer's institutions are found; an
    unknown number and one of a learner elsewhere get the same answer. Each lookup is audited."""
    context = {"searched": False}
    if request.method == "POST":
        query = request.POST.get("q", "").strip()
        if not query:
            messages.error(request, _("请输入身份证号或手机号。"))
        elif not ratelimit.consume(request, action="officer_lookup", user=request.user):
            messages.error(request, _("尝试次数过多，请稍后再试。"))
            return render(request, "credits/staff/lookup.html", context, status=429)
        else:
            found = lookup.account_lookup(actor=request.user, query=query)
            context.update(searched=True, found=found)
    return render(request, "credits/staff/lookup.html", context)


@officer_required
def audit(request):
    entries = selectors.audit_trail(user=request.user, institution_id=_int(request.GET.get("institution")))[:200]
    return render(request, "credits/staff/audit.html", {"entries": entries})


@officer_required
def rules(request):
    """Valuation rules (new versions only; past entries never change) and the officer's conversion rules."""
    institutions = institutions_for_user(user=request.user, roles=OFFICER_ROLES)
    conversion_form = ConversionRuleForm(institutions=institutions)
    if request.method == "POST" and request.POST.get("form") == "conversion":
        conversion_form = ConversionRuleForm(request.POST, institutions=institutions)
        if conversion_form.is_valid():  # the form offers the officer's institutions; the service re-checks
            services.conversion_rule_save(actor=request.user, rule=conversion_form.save(commit=False))
            messages.success(request, _("转换规则已添加。"))
            return redirect("credits:rules")
    elif request.method == "POST" and request.POST.get("form") == "revise":
        rule = get_object_or_404(ValuationRule, pk=_int(request.POST.get("rule")))
        form = RuleRevisionForm(request.POST)
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k != "valid_from" and v is not None}
            try:
                services.valuation_rule_revise(actor=request.user, rule=rule, valid_from=form.cleaned_data["valid_from"],
                                               **changes)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("已生成新版本的认定规则。"))
                return redirect("credits:rules")
        else:
            messages.error(request, _("请检查填写的内容。"))
    return render(request, "credits/staff/rules.html", {
        "valuation_rules": ValuationRule.objects.order_by("code", "-version"),
        "conversion_rules": selectors.conversion_rules_for_user(user=request.user),
        "conversion_form": conversion_form, "revision_form": RuleRevisionForm(),
        "can_revise": user_is_bureau_admin(user=request.user)})


@officer_required
def accreditations(request):
    """认证资质与考核站点: the bureau grants, narrows and withdraws (officers see their institutions' rows)."""
    form = AccreditationForm(request.POST or None)
    if request.method == "POST":
        services.accreditation_require_bureau(actor=request.user)  # 403 with the reason before anything else
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.accreditation_set(
                    actor=request.user, institution_id=d["institution"].pk, outcome_type=d["outcome_type"],
                    certificate_id=d["certificate"].pk if d["certificate"] else None, accredited=d["accredited"],
                    note=d["note"])
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("认证资质已保存。"))
                return redirect("credits:accreditations")
    return render(request, "credits/staff/accreditations.html", {
        "rows": selectors.accreditations_for_user(user=request.user), "form": form,
        "can_change": user_is_bureau_admin(user=request.user)}, status=400 if request.method == "POST" else 200)


@login_required
def credential_json(request, pk):
    """JSON view of an issued credential with its full payload (the full name): for its owner and the issuing
    institution's credit officers only; anyone else gets 404 (the id alone reveals nothing). The public
    verification page of a credential is ``credential_verify`` (masked name)."""
    try:
        cred = selectors.credential_for_user(user=request.user, credential_id=pk)
    except (Credential.DoesNotExist, PermissionDenied):
        raise Http404
    payload = json.loads(credentials.b64url_decode(cred.jwt.split(".")[1]).decode())
    response = JsonResponse({"jwt": cred.jwt, "credential": payload}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def credential_verify(request, pk):
    """Public verification of a credential by its id: masked name, what it states, whether it still holds."""
    try:
        facts = selectors.credential_public_facts(credential_id=pk)
    except Credential.DoesNotExist:
        raise Http404
    return render(request, "credits/credential_verify.html", {"facts": facts})

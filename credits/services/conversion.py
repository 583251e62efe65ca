"""Conversion: a learner applies certified outcomes to a programme's courses; the institution reviews,
approves and applies them (one conversion ledger entry per item). Conversion rules belong to the receiving
institution: only its credit officers and the bureau create or change them (``conversion_rule_save``)."""

from bianxue.accounts.selectors import user_institution_ids, user_is_bureau_admin
from bianxue.accounts.services import audit_record, institution_require_role
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..ledger import ZERO
from ..models import (
    ApplicationStatus,
    ApplicationStep,
    ConversionApplication,
    ConversionItem,
    ConversionRule,
    LedgerEntry,
    Outcome,
    OutcomeStatus,
)
from ..roles import OFFICER_ROLES
from .accounts import account_for_user_get_or_create
from .errors import TransitionError
from .four_eyes import application_require_four_eyes
from .ledger_entries import account_lock, ledger_append
from .notifications import learner_notify

LEVEL_ORDER = {"": 0, "junior": 1, "intermediate": 2, "senior": 3}
APP_ALLOWED = {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.UNDER_REVIEW},
    ApplicationStatus.UNDER_REVIEW: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.APPROVED: {ApplicationStatus.APPLIED},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.APPLIED: set(),
}


def conversion_rule_matches(*, rule: ConversionRule, outcome: Outcome) -> bool:
    return (
        rule.is_active and outcome.status == OutcomeStatus.CERTIFIED and rule.outcome_type == outcome.type
        and (rule.certificate_id is None or rule.certificate_id == outcome.certificate_id)
        and LEVEL_ORDER.get(outcome.cert_level, 0) >= LEVEL_ORDER.get(rule.min_level, 0)
        and (outcome.credits or ZERO) >= rule.min_credits
    )


def conversion_rule_require_owner(*, actor, institution_id: int | None) -> None:
    """PermissionDenied unless ``actor`` is a credit officer of the receiving institution or the bureau."""
    if user_is_bureau_admin(user=actor):
        return
    if institution_id is None or institution_id not in set(user_institution_ids(user=actor, roles=OFFICER_ROLES)):
        raise PermissionDenied(
            _("转换规则属于接收机构：只有该机构的学分认定员或教育局管理员可以新建或修改。"))


@transaction.atomic
def conversion_rule_save(*, actor, rule: ConversionRule) -> ConversionRule:
    """Create or change a conversion rule (every door: staff page, CMS admin), re-checked and audited here.

    A changed rule is checked for the institution it belonged to and for the one it names now, so nobody
    moves another institution's rule to their own or the reverse."""
    if rule.pk is not None:
        stored = ConversionRule.objects.select_for_update().filter(pk=rule.pk).values_list(
            "institution_id", flat=True).first()
        if stored is not None:
            conversion_rule_require_owner(actor=actor, institution_id=stored)
    conversion_rule_require_owner(actor=actor, institution_id=rule.institution_id)
    created = rule.pk is None
    rule.save()
    audit_record(actor=actor, action="credits.conversion_rule.create" if created else "credits.conversion_rule.change",
                 obj=rule, institution_id=rule.institution_id)
    return rule


def _app_step(application: ConversionApplication, *, status: str, actor=None, reason: str = "") -> None:
    ApplicationStep.objects.create(application=application, status=status, actor=actor, reason=reason)
    with translation.override("zh-hans"):  # the label's msgid, translated when shown
        label = str(ApplicationStatus(status).label)
    learner_notify(application.account, kind="credits.application",
                   title=gettext_noop("转换申请%(status)s：%(programme)s"), body="%(reason)s",
                   url=f"/credits/applications/{application.pk}/",
                   params={"status": label, "programme": application.programme_name, "reason": reason})


@transaction.atomic
def conversion_application_submit(
    *, user, institution_id: int, programme_code: str, items: list[tuple[int, int]],
) -> ConversionApplication:
    """A learner applies outcomes to a programme: ``items`` are (outcome id, conversion rule id) pairs.

    Each outcome replaces at most one course; each course is asked for once; the programme's share cap holds.
    """
    if not items:
        raise ValidationError(_("请至少选择一项成果。"))
    account = account_for_user_get_or_create(user=user)
    account_lock(account.pk)
    outcome_ids = [o for o, _r in items]
    if len(set(outcome_ids)) != len(outcome_ids):
        raise ValidationError(_("一项成果只能转换一门课程。"))
    outcomes = {o.pk: o for o in Outcome.objects.filter(pk__in=outcome_ids, account=account)}
    rules = {r.pk: r for r in ConversionRule.objects.filter(
        pk__in=[r for _o, r in items], institution_id=institution_id, programme_code=programme_code)}
    for outcome_id, rule_id in items:
        outcome, rule = outcomes.get(outcome_id), rules.get(rule_id)
        if outcome is None or rule is None or not conversion_rule_matches(rule=rule, outcome=outcome):
            raise ValidationError(_("所选成果与转换规则不符。"))
    if ConversionItem.objects.filter(outcome_id__in=outcome_ids, active=True).exists():
        raise ValidationError(_("所选成果已用于其他转换。"))
    if len({r for _o, r in items}) != len(items):
        raise ValidationError(_("同一门课程只能申请一次。"))
    first = next(iter(rules.values()))
    if first.share_cap_percent and first.programme_credits:
        earlier = ConversionItem.objects.filter(
            application__account=account, application__institution_id=institution_id,
            application__programme_code=programme_code, active=True).aggregate(s=Sum("credits"))["s"] or ZERO
        asked = sum((rules[r].credits for _o, r in items), ZERO)
        cap = first.programme_credits * first.share_cap_percent / 100
        if earlier + asked > cap:
            raise ValidationError(
                _("转换学分不能超过专业总学分的 %(percent)s%%（%(cap)s 学分）。")
                % {"percent": first.share_cap_percent, "cap": cap})
    application = ConversionApplication.objects.create(
        account=account, institution_id=institution_id, programme_code=programme_code,
        programme_name=first.programme_name)
    ConversionItem.objects.bulk_create([
        ConversionItem(application=application, outcome_id=o, rule_id=r, credits=rules[r].credits) for o, r in items])
    _app_step(application, status=ApplicationStatus.SUBMITTED, actor=user)
    return application


def _app_transition(*, actor, application: ConversionApplication, target: str, reason: str = "") -> ConversionApplication:
    institution_require_role(user=actor, institution_id=application.institution_id, roles=OFFICER_ROLES)
    application_require_four_eyes(actor=actor, application=application)
    application = ConversionApplication.objects.select_for_update().get(pk=application.pk)
    if target not in APP_ALLOWED[ApplicationStatus(application.status)]:
        raise TransitionError(_("申请状态不能从 %(status)s 变为 %(target)s。")
                              % {"status": application.status, "target": target})
    application.status = target
    application.reason = reason or application.reason
    if target in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        application.decided_at = timezone.now()
    application.save(update_fields=["status", "reason", "decided_at", "updated_at"])
    audit_record(actor=actor, action=f"credits.application.{target}", obj=application,
                 institution_id=application.institution_id, reason=reason)
    _app_step(application, status=target, actor=actor, reason=reason)
    return application


@transaction.atomic
def conversion_application_start_review(*, actor, application: ConversionApplication) -> ConversionApplication:
    return _app_transition(actor=actor, application=application, target=ApplicationStatus.UNDER_REVIEW)


@transaction.atomic
def conversion_application_approve(*, actor, application: ConversionApplication, reason: str = ""):
    if application.status == ApplicationStatus.SUBMITTED:  # the queue's one-click approve walks both steps
        application = _app_transition(actor=actor, application=application, target=ApplicationStatus.UNDER_REVIEW)
    return _app_transition(actor=actor, application=application, target=ApplicationStatus.APPROVED, reason=reason)


@transaction.atomic
def conversion_application_reject(*, actor, application: ConversionApplication, reason: str):
    if not reason.strip():
        raise ValidationError(_("请填写不同意的理由。"))
    if application.status == ApplicationStatus.SUBMITTED:
        application = _app_transition(actor=actor, application=application, target=ApplicationStatus.UNDER_REVIEW)
    application = _app_transition(actor=actor, application=application, target=ApplicationStatus.REJECTED,
                                  reason=reason)
    application.items.update(active=False)
    return application


@transaction.atomic
def conversion_application_apply(*, actor, application: ConversionApplication, reason: str = ""):
    """The receiving institution records the exemptions: one conversion ledger entry per item."""
    application = _app_transition(actor=actor, application=application, target=ApplicationStatus.APPLIED,
                                  reason=reason)
    account = account_lock(application.account_id)
    for item in application.items.select_related("rule", "outcome").order_by("pk"):
        ledger_append(account=account, kind=LedgerEntry.Kind.CONVERSION, credits=item.credits, outcome=item.outcome,
                      application=application,
                      memo=f"{item.rule.course_name}（{item.rule.get_mode_display()}）"[:200])
    return application

"""Valuation: the rule in force on an outcome's date, the credits it is worth after caps, new rule versions."""

import datetime
from decimal import Decimal

from bianxue.accounts.selectors import user_is_bureau_admin
from bianxue.accounts.services import audit_record
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger import ZERO, value_credits
from ..models import CERTIFICATE_TYPES, Outcome, OutcomeStatus, ValuationRule


def _rule_kind(outcome_type: str) -> str:
    return ValuationRule.Kind.FIXED if outcome_type in CERTIFICATE_TYPES else ValuationRule.Kind.HOURS


def valuation_rule_pick(rules, *, outcome_type: str, date: datetime.date) -> ValuationRule | None:
    """Among ``rules`` (already fetched), the one in force on ``date`` for this type."""
    kind = _rule_kind(outcome_type)
    candidates = [
        r for r in rules
        if r.kind == kind and r.outcome_type in ("", outcome_type) and r.valid_from <= date
        and (r.valid_to is None or date <= r.valid_to)
    ]
    candidates.sort(key=lambda r: (r.outcome_type == outcome_type, r.valid_from, r.version), reverse=True)
    return candidates[0] if candidates else None


def valuation_rule_for(*, outcome_type: str, date: datetime.date) -> ValuationRule | None:
    """The rule in force on ``date`` for this type: specific type before generic, then the latest version."""
    rules = ValuationRule.objects.filter(kind=_rule_kind(outcome_type), valid_from__lte=date).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date))
    return valuation_rule_pick(list(rules), outcome_type=outcome_type, date=date)


def valuation_rule_default(outcome_type: str) -> ValuationRule:
    """The unsaved rule used when none is in force (16 hours a credit, or the certificate's level credits)."""
    return ValuationRule(code="default", name="default", kind=_rule_kind(outcome_type),
                         valid_from=datetime.date(2000, 1, 1))


def _value_with(rule: ValuationRule, *, outcome: Outcome, certificate_total: Decimal, year_total: Decimal,
                override: Decimal | None = None) -> Decimal:
    return value_credits(
        kind=rule.kind, hours=outcome.hours, hours_per_credit=rule.hours_per_credit,
        level_credits=rule.level_credits(outcome.cert_level),
        max_per_certificate=rule.max_per_certificate if outcome.certificate_id else None,
        certificate_total=certificate_total, year_cap=rule.year_cap, year_total=year_total, override=override,
    )


def valuation_rule_value(rule: ValuationRule, *, hours, level: str, cert_id, certificate_total: Decimal = ZERO,
                         year_total: Decimal = ZERO) -> Decimal:
    """``_value_with`` without an Outcome instance, for the bulk path (same arithmetic: ledger.value_credits)."""
    return value_credits(
        kind=rule.kind, hours=hours, hours_per_credit=rule.hours_per_credit, level_credits=rule.level_credits(level),
        max_per_certificate=rule.max_per_certificate if cert_id else None, certificate_total=certificate_total,
        year_cap=rule.year_cap, year_total=year_total)


def outcome_value(*, outcome: Outcome, override: Decimal | None = None) -> tuple[Decimal, ValuationRule | None]:
    """Credits of an outcome by the rule in force on its date, after caps (what it would deposit now)."""
    rule = valuation_rule_for(outcome_type=outcome.type, date=outcome.date)
    held = Outcome.objects.filter(account_id=outcome.account_id, status=OutcomeStatus.CERTIFIED).exclude(pk=outcome.pk)
    year_total = held.filter(date__year=outcome.date.year).aggregate(s=Sum("credits"))["s"] or ZERO
    cert_total = ZERO
    if outcome.certificate_id:
        cert_total = held.filter(certificate_id=outcome.certificate_id).aggregate(s=Sum("credits"))["s"] or ZERO
    credits = _value_with(rule or valuation_rule_default(outcome.type), outcome=outcome,
                          certificate_total=cert_total, year_total=year_total, override=override)
    return credits, rule


def valuation_rule_require_bureau(*, actor) -> None:
    """Valuation rules are city-wide and the bureau's: PermissionDenied for anyone else (credit officers too)."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("认定规则全市统一，只有教育局管理员可以新建或修改。"))


def valuation_rule_check_valid_from(*, valid_from: datetime.date) -> None:
    """Never backdated: a rule (version) takes effect today or later, so no deposit is ever valued afresh."""
    if valid_from < timezone.localdate():
        raise ValidationError(_("认定规则不能追溯生效：生效日期须为今天或以后。"))


@transaction.atomic
def valuation_rule_revise(*, actor, rule: ValuationRule, valid_from: datetime.date, **changes) -> ValuationRule:
    """A new version of a rule from ``valid_from`` (today or later); the old version ends the day before. Past
    outcomes keep their rule and credits: nothing already deposited is rewritten. Bureau administrators only."""
    valuation_rule_require_bureau(actor=actor)
    valuation_rule_check_valid_from(valid_from=valid_from)
    rule = ValuationRule.objects.select_for_update().get(pk=rule.pk)
    if valid_from <= rule.valid_from:
        raise ValidationError(_("新版本的生效日期须晚于当前版本。"))
    latest = ValuationRule.objects.filter(code=rule.code).order_by("-version").first()
    new = ValuationRule.objects.get(pk=rule.pk)
    new.pk = None
    new.version = latest.version + 1
    new.valid_from = valid_from
    new.valid_to = None
    for key, value in changes.items():
        setattr(new, key, value)
    new.save()
    ValuationRule.objects.filter(pk=rule.pk).update(valid_to=valid_from - datetime.timedelta(days=1))
    audit_record(actor=actor, action="credits.rule.revise", obj=new,
                 data={"from_version": rule.version, "changes": {k: str(v) for k, v in changes.items()}})
    return new

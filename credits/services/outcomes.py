"""The outcome state machine: review, certification (valued, then deposited once), rejection, revocation.

Every staff action is permission-checked here (who reviews it: ``routing``; then four eyes: ``four_eyes``) and
audited.
Lock order: outcome row, then account row.
"""

from decimal import Decimal

from bianxue.accounts.services import audit_record
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import ApplicationStatus, ConversionApplication, ConversionItem, Outcome, OutcomeStatus
from .errors import TransitionError
from .four_eyes import outcome_require_four_eyes, outcomes_require_four_eyes
from .ledger_entries import ledger_deposit, ledger_reverse
from .notifications import learner_notify
from .routing import outcome_require_reviewer, outcomes_require_reviewer
from .valuation import outcome_value

ALLOWED = {
    OutcomeStatus.SUBMITTED: {OutcomeStatus.UNDER_REVIEW, OutcomeStatus.CERTIFIED, OutcomeStatus.REJECTED},
    OutcomeStatus.UNDER_REVIEW: {OutcomeStatus.CERTIFIED, OutcomeStatus.REJECTED},
    OutcomeStatus.CERTIFIED: {OutcomeStatus.REVOKED},
    OutcomeStatus.REJECTED: set(),
    OutcomeStatus.REVOKED: set(),
}


def _require(outcome: Outcome, target: str) -> None:
    if target not in ALLOWED[OutcomeStatus(outcome.status)]:
        raise TransitionError(
            _("成果状态不能从 %(status)s 变为 %(target)s。") % {"status": outcome.status, "target": target})


def _lock_outcome(outcome_id: int) -> Outcome:
    return Outcome.objects.select_for_update().get(pk=outcome_id)


def outcome_certify_locked(*, outcome: Outcome, override: Decimal | None = None) -> Outcome:
    """Value and deposit a LOCKED outcome (no permission check, no audit: the callers do both)."""
    credits, rule = outcome_value(outcome=outcome, override=override)
    outcome.status, outcome.credits, outcome.rule = OutcomeStatus.CERTIFIED, credits, rule
    outcome.certified_at = timezone.now()
    outcome.save(update_fields=["status", "credits", "rule", "certified_at", "reason", "updated_at"])
    ledger_deposit(outcome=outcome)
    return outcome


@transaction.atomic
def outcome_start_review(*, actor, outcome: Outcome) -> Outcome:
    outcome_require_reviewer(actor=actor, outcome=outcome)
    outcome_require_four_eyes(actor=actor, outcome=outcome)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.UNDER_REVIEW)
    outcome.status = OutcomeStatus.UNDER_REVIEW
    outcome.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="credits.outcome.review", obj=outcome, institution_id=outcome.institution_id)
    return outcome


@transaction.atomic
def outcome_certify(*, actor, outcome: Outcome, reason: str = "", credits: Decimal | None = None) -> Outcome:
    """A credit officer certifies an outcome: valued by the rule in force on its date, then deposited once."""
    outcome_require_reviewer(actor=actor, outcome=outcome)
    outcome_require_four_eyes(actor=actor, outcome=outcome)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.CERTIFIED)
    outcome.reason = reason
    outcome_certify_locked(outcome=outcome, override=credits)
    audit_record(actor=actor, action="credits.outcome.certify", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason, data={"credits": str(outcome.credits), "override": credits is not None})
    learner_notify(outcome.account, title=gettext_noop("学习成果已认证：%(title)s"),
                   body=gettext_noop("获得 %(credits)s 学分。%(reason)s"), url="/credits/",
                   params={"title": outcome.title, "credits": outcome.credits, "reason": reason})
    return outcome


@transaction.atomic
def outcome_reject(*, actor, outcome: Outcome, reason: str) -> Outcome:
    if not reason.strip():
        raise ValidationError(_("请填写不通过的理由。"))
    outcome_require_reviewer(actor=actor, outcome=outcome)
    outcome_require_four_eyes(actor=actor, outcome=outcome)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.REJECTED)
    outcome.status, outcome.reason = OutcomeStatus.REJECTED, reason
    outcome.save(update_fields=["status", "reason", "updated_at"])
    audit_record(actor=actor, action="credits.outcome.reject", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)
    learner_notify(outcome.account, title=gettext_noop("学习成果未通过认证：%(title)s"), body="%(reason)s",
                   url="/credits/", params={"title": outcome.title, "reason": reason})
    return outcome


def outcome_revoke_locked(*, outcome: Outcome, reason: str) -> Outcome:
    """Revoke a LOCKED certified outcome: a reversal entry, its pending conversion items withdrawn, decided
    conversions that used it flagged in their institution's audit trail (no permission check: callers do it)."""
    _require(outcome, OutcomeStatus.REVOKED)
    outcome.status, outcome.reason = OutcomeStatus.REVOKED, reason
    outcome.save(update_fields=["status", "reason", "updated_at"])
    ledger_reverse(outcome=outcome, memo=f"撤销 revoked: {reason}")
    ConversionItem.objects.filter(outcome=outcome, application__status__in=[
        ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]).update(active=False)
    # Approved or applied conversions keep their (historical) conversion entries; the receiving institution
    # sees the item flagged on the application page and an entry in its audit trail, transcripts and the
    # verification page show the revocation.
    for application in ConversionApplication.objects.filter(
            items__outcome=outcome, status__in=[ApplicationStatus.APPROVED, ApplicationStatus.APPLIED]).distinct():
        audit_record(actor=None, action="credits.conversion.outcome_revoked", obj=application,
                     institution_id=application.institution_id, reason=reason, data={"outcome": outcome.pk})
    return outcome


@transaction.atomic
def outcome_revoke(*, actor, outcome: Outcome, reason: str) -> Outcome:
    """Revoke a certified outcome with a reason; writes a reversal entry (nothing is edited or deleted)."""
    if not reason.strip():
        raise ValidationError(_("请填写撤销理由。"))
    outcome_require_reviewer(actor=actor, outcome=outcome)
    outcome_require_four_eyes(actor=actor, outcome=outcome)
    outcome = outcome_revoke_locked(outcome=_lock_outcome(outcome.pk), reason=reason)
    audit_record(actor=actor, action="credits.outcome.revoke", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)
    learner_notify(outcome.account, title=gettext_noop("学习成果已撤销：%(title)s"), body="%(reason)s",
                   url="/credits/", params={"title": outcome.title, "reason": reason})
    return outcome


@transaction.atomic
def outcomes_bulk_certify(*, actor, outcome_ids: list[int], reason: str) -> int:
    """Approve many queue items with one reason; each is permission-checked and audited on its own.

    All or nothing: one item the officer may not act for, one of their own (four eyes) or one refused
    transition certifies none."""
    done = 0
    outcomes = list(Outcome.objects.filter(pk__in=outcome_ids).order_by("pk"))
    outcomes_require_reviewer(actor=actor, outcomes=outcomes)
    outcomes_require_four_eyes(actor=actor, outcome_ids=[o.pk for o in outcomes])
    for outcome in outcomes:
        outcome_certify(actor=actor, outcome=outcome, reason=reason)
        done += 1
    return done


@transaction.atomic
def outcomes_bulk_reject(*, actor, outcome_ids: list[int], reason: str) -> int:
    """Reject many queue items with one reason (all or nothing, four eyes as for approval)."""
    outcomes = list(Outcome.objects.filter(pk__in=outcome_ids).order_by("pk"))
    outcomes_require_reviewer(actor=actor, outcomes=outcomes)
    outcomes_require_four_eyes(actor=actor, outcome_ids=[o.pk for o in outcomes])
    for outcome in outcomes:
        outcome_reject(actor=actor, outcome=outcome, reason=reason)
    return len(outcomes)

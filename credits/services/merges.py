"""Learner merges in the credit bank: when two learners turn out to be one resident, the source's account is
closed with a transfer entry and the same credits are deposited on the target's with another; no ledger row is
changed (spec: "Merges without edits"). The outcomes and applications follow the target's account."""

from django.db import transaction
from django.utils import timezone

from ..models import ConversionApplication, LearnerAccount, LedgerEntry, Outcome
from .accounts import account_get_or_create
from .ledger_entries import account_lock, ledger_append


@transaction.atomic
def accounts_merge(*, source, target) -> LearnerAccount | None:
    """Close ``source``'s account into ``target``'s (opened if need be). Returns the target's account, or None
    when the source had none. Safe to run twice: a closed account is left alone."""
    found = LearnerAccount.objects.filter(learner=source, closed_at=None).values_list("pk", flat=True).first()
    if found is None:
        return None
    target_id = account_get_or_create(learner=target).pk
    # both accounts locked, always in the same order (two merges never wait on each other in reverse)
    locked = {pk: account_lock(pk) for pk in sorted((found, target_id))}
    src, tgt = locked[found], locked[target_id]
    Outcome.objects.filter(account=src).update(account=tgt)
    ConversionApplication.objects.filter(account=src).update(account=tgt)
    if src.balance:
        amount = src.balance
        ledger_append(account=src, kind=LedgerEntry.Kind.TRANSFER, credits=-amount,
                      memo=f"合并转出至 {tgt.number} merged into {tgt.number}")
        ledger_append(account=tgt, kind=LedgerEntry.Kind.TRANSFER, credits=amount,
                      memo=f"由 {src.number} 合并转入 merged from {src.number}")
    LearnerAccount.objects.filter(pk=src.pk).update(closed_at=timezone.now(), merged_into=tgt)
    return tgt


def on_learner_merged(sender, *, source, target, **kwargs) -> None:
    """Receiver of ``bianxue.people.signals.learner_merged`` (connected in CreditsConfig.ready)."""
    accounts_merge(source=source, target=target)

"""Writing the ledger: entries appended to an account's hash chain, deposits and their reversals.

The pure arithmetic (account numbers, entry hashes, valuation) is ``credits.ledger``; this module writes rows.
Lock order (to stay deadlock-free): outcome row, then account row.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger import ZERO, entry_hash
from ..models import ConversionApplication, LearnerAccount, LedgerEntry, Outcome, OutcomeStatus
from .errors import TransitionError


def ledger_append(
    *, account: LearnerAccount, kind: str, credits: Decimal, outcome: Outcome | None = None,
    application: ConversionApplication | None = None, memo: str = "",
) -> LedgerEntry:
    """Append one entry to a LOCKED account (fetched with select_for_update in this transaction)."""
    seq = account.last_seq + 1
    created_at = timezone.now()
    credits = Decimal(credits).quantize(Decimal("0.1"))
    digest = entry_hash(
        account_number=account.number, seq=seq, kind=kind, outcome_id=outcome.pk if outcome else None,
        application_id=application.pk if application else None, credits=credits, memo=memo,
        created_at=created_at, prev_hash=account.last_hash,
    )
    entry = LedgerEntry.objects.create(
        account=account, seq=seq, kind=kind, outcome=outcome, application=application, credits=credits,
        memo=memo, created_at=created_at, prev_hash=account.last_hash, hash=digest,
    )
    account.last_seq, account.last_hash = seq, digest
    if kind != LedgerEntry.Kind.CONVERSION:
        account.balance += credits
    account.save(update_fields=["last_seq", "last_hash", "balance"])
    return entry


def account_lock(account_id: int) -> LearnerAccount:
    return LearnerAccount.objects.select_for_update().get(pk=account_id)


def ledger_deposit(*, outcome: Outcome) -> LedgerEntry:
    """Deposit a certified outcome's credits exactly once (account row lock + conditional unique constraint).

    Safe under concurrency: the second caller waits for the lock, then finds the first deposit and returns it.
    """
    with transaction.atomic():
        account = account_lock(outcome.account_id)
        existing = LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.DEPOSIT).first()
        if existing:
            return existing
        fresh = Outcome.objects.get(pk=outcome.pk)
        if fresh.status != OutcomeStatus.CERTIFIED:
            raise TransitionError(_("只有已认证的成果可以存入学分。"))
        return ledger_append(account=account, kind=LedgerEntry.Kind.DEPOSIT, credits=fresh.credits or ZERO,
                             outcome=fresh, memo=fresh.title[:200])


def ledger_reverse(*, outcome: Outcome, memo: str) -> LedgerEntry | None:
    """A reversal entry for the outcome's deposit (none when nothing was deposited or it is reversed already)."""
    account = account_lock(outcome.account_id)
    deposit = LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.DEPOSIT).first()
    if deposit is None or LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.REVERSAL).exists():
        return None
    return ledger_append(account=account, kind=LedgerEntry.Kind.REVERSAL, credits=-deposit.credits,
                         outcome=outcome, memo=memo[:200])

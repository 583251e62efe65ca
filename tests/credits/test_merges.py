"""Merges without edits: when two learners turn out to be one resident, the source's account is closed with a
transfer entry, the same credits are deposited on the target's with another, outcomes and records follow, and no
ledger row changes (the chains still verify)."""

from decimal import Decimal

import pytest
from bianxue.people.signals import learner_merged

from credits.models import LearnerAccount, LedgerEntry, Outcome, OutcomeStatus
from credits.records.models import LearningRecord
from credits.selectors import ledger_verify
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def _ledger_rows():
    return list(LedgerEntry.objects.order_by("pk").values_list("pk", "account_id", "seq", "credits", "hash"))


def test_merge_closes_the_source_account_into_the_target_without_editing_the_ledger(make_record, rules):
    source, target = LearnerFactory(), LearnerFactory()
    make_record(learner=source, hours=Decimal("32"))
    make_record(learner=target, hours=Decimal("16"))
    src, tgt = LearnerAccount.objects.get(learner=source), LearnerAccount.objects.get(learner=target)
    src_balance, tgt_balance = src.balance, tgt.balance
    assert src_balance > 0 and tgt_balance > 0
    before = _ledger_rows()

    learner_merged.send(sender=type(source), source=source, target=target)

    src.refresh_from_db()
    tgt.refresh_from_db()
    assert src.closed_at is not None and src.merged_into_id == tgt.pk
    assert src.balance == 0 and tgt.balance == src_balance + tgt_balance
    after = _ledger_rows()
    assert after[: len(before)] == before  # no ledger row changed
    transfers = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TRANSFER).order_by("pk")
    assert [(e.account_id, e.credits) for e in transfers] == [(src.pk, -src_balance), (tgt.pk, src_balance)]
    assert set(Outcome.objects.values_list("account_id", flat=True)) == {tgt.pk}
    assert set(LearningRecord.objects.values_list("learner_id", flat=True)) == {target.pk}
    assert list(ledger_verify()) == []

    # safe to run twice: the closed account is left alone
    learner_merged.send(sender=type(source), source=source, target=target)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TRANSFER).count() == 2


def test_merge_into_a_learner_without_an_account_opens_one(make_record, rules):
    source, target = LearnerFactory(), LearnerFactory()
    make_record(learner=source)
    learner_merged.send(sender=type(source), source=source, target=target)
    tgt = LearnerAccount.objects.get(learner=target)
    assert tgt.balance > 0 and Outcome.objects.filter(account=tgt, status=OutcomeStatus.CERTIFIED).exists()
    assert list(ledger_verify()) == []


def test_a_moved_outcome_can_still_be_revoked_on_the_target(make_record, rules, officer):
    from credits import services

    source, target = LearnerFactory(), LearnerFactory()
    make_record(learner=source)
    learner_merged.send(sender=type(source), source=source, target=target)
    outcome = Outcome.objects.get()
    services.outcome_revoke(actor=officer, outcome=outcome, reason="合并后撤销测试")
    tgt = LearnerAccount.objects.get(learner=target)
    assert tgt.balance == 0
    assert list(ledger_verify()) == []

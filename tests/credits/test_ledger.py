"""The ledger: hash chain, verify_ledger, tamper detection, the records seam, bulk path, PostgreSQL guarantees."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections

from credits import services
from credits.ledger import entry_hash
from credits.models import Accreditation, LearnerAccount, LedgerEntry, Outcome, OutcomeStatus
from credits.records.selectors import record_rows_for_outcomes
from credits.selectors import account_balance, credit_indicator_counts, ledger_verify
from tests.dbowner.guards import owner_guard_suspended
from tests.factories import LearnerFactory


def _verify_exit(capsys):
    try:
        call_command("verify_ledger")
    except SystemExit as exc:
        return exc.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_chain_links_and_balances(make_record, rules, learner, capsys):
    for hours in ("16", "32", "48"):
        make_record(learner=learner, hours=Decimal(hours))
    account = LearnerAccount.objects.get(learner=learner)
    entries = list(account.entries.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == "" and entries[1].prev_hash == entries[0].hash
    assert entries[2].hash == entry_hash(account_number=account.number, seq=3, kind="deposit",
                                         outcome_id=entries[2].outcome_id, application_id=None,
                                         credits=entries[2].credits, memo=entries[2].memo,
                                         created_at=entries[2].created_at, prev_hash=entries[1].hash)
    assert account.balance == account_balance(account=account) == Decimal("6")
    assert _verify_exit(capsys) == (0, "no checkpoint stored yet (manage.py ledger_checkpoint). 尚无账本检查点。\n"
                                       "ledger OK: every chain and balance verified. 账本校验通过。\n")


def _tamper(sql, params):
    """Tampering as the database owner would: only the owner can switch the append-only guard off."""
    with owner_guard_suspended(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_tampered_entry_is_reported(make_record, rules, learner, capsys):
    for hours in ("16", "32", "48"):
        make_record(learner=learner, hours=Decimal(hours))
    entry = LedgerEntry.objects.get(seq=2)
    _tamper("UPDATE credits_ledgerentry SET credits = %s WHERE id = %s", [Decimal("9.0"), entry.pk])
    code, out = _verify_exit(capsys)
    assert code == 1
    assert f"#2 (entry {entry.pk}): hash mismatch" in out
    assert "balance 6.0 differs from the sum of its entries 13.0" in out


def test_deleted_entry_breaks_the_chain(make_record, rules, learner):
    for hours in ("16", "32", "48"):
        make_record(learner=learner, hours=Decimal(hours))
    _tamper("DELETE FROM credits_ledgerentry WHERE seq = %s", [2])
    problems = list(ledger_verify())
    assert any("sequence gap" in p for p in problems) and any("broken link" in p for p in problems)


def test_withdrawn_and_failed_make_no_outcome(make_record, rules, learner, certificate):
    make_record(learner=learner, result="withdrawn")
    make_record(learner=learner, kind="exam", category="x_certificate", result="failed", hours=None,
                certificate_id=certificate.pk, cert_level="junior")
    assert not Outcome.objects.exists() and not LedgerEntry.objects.exists()


def test_type_mapping(make_record, rules, learner, certificate):
    assert make_record(learner=learner, category="elderly").outcomes.get().type == "elderly"
    assert make_record(learner=learner, category="community", result="attended").outcomes.get().type == "community"
    assert make_record(learner=learner, category="open_university").outcomes.get().type == "open_university"
    assert make_record(learner=learner, category="rural_labor").outcomes.get().type == "training"
    x = make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                    certificate_id=certificate.pk, cert_level="senior").outcomes.get()
    assert (x.type, x.cert_level, x.credits) == ("x_certificate", "senior", Decimal("6"))


def test_idempotent_and_correction_reverses_and_redeposits(make_record, rules, learner):
    record = make_record(learner=learner, hours=Decimal("32"), record_id="K1")
    make_record(learner=learner, hours=Decimal("32"), record_id="K1")  # identical re-submission
    assert Outcome.objects.count() == 1 and LedgerEntry.objects.count() == 1
    make_record(learner=learner, hours=Decimal("48"), record_id="K1", correction=True)
    outcomes = list(record.outcomes.order_by("pk"))
    assert [o.status for o in outcomes] == [OutcomeStatus.REVOKED, OutcomeStatus.CERTIFIED]
    kinds = list(LedgerEntry.objects.order_by("seq").values_list("kind", "credits"))
    assert kinds == [("deposit", Decimal("2.0")), ("reversal", Decimal("-2.0")), ("deposit", Decimal("3.0"))]
    make_record(learner=learner, result="withdrawn", hours=Decimal("48"), record_id="K1", correction=True)
    assert LearnerAccount.objects.get().balance == 0
    assert list(ledger_verify()) == []


def test_not_accredited_goes_to_the_bureau_queue(make_record, rules, learner, institution, officer):
    from django.core.exceptions import PermissionDenied

    from credits.selectors import review_queue_outcomes
    from tests.factories import bureau_admin

    withdrawn = Accreditation.objects.create(institution=institution, outcome_type="", accredited=False)
    granted = Accreditation.objects.create(institution=institution, outcome_type="elderly", accredited=True)
    queued = make_record(learner=learner).outcomes.get()
    auto = make_record(learner=learner, category="elderly").outcomes.get()
    assert queued.status == OutcomeStatus.SUBMITTED and not queued.entries.exists()
    assert (queued.accreditation_basis, queued.accreditation_id, queued.review_by_bureau) == ("outside", None, True)
    assert (auto.status, auto.accreditation_basis, auto.accreditation_id) == (OutcomeStatus.CERTIFIED, "granted",
                                                                              granted.pk)
    assert withdrawn.pk != granted.pk
    # outside accreditation: the bureau's queue, not the institution's officers'
    assert queued not in review_queue_outcomes(user=officer)
    with pytest.raises(PermissionDenied):
        services.outcome_certify(actor=officer, outcome=queued)
    bureau = bureau_admin()
    assert queued in review_queue_outcomes(user=bureau, bureau_only=True)
    services.outcome_certify(actor=bureau, outcome=queued)
    assert queued.entries.get().kind == "deposit"


def test_accreditation_only_by_bureau_admin(institution, officer):
    from django.core.exceptions import PermissionDenied

    from tests.factories import bureau_admin

    with pytest.raises(PermissionDenied):
        services.accreditation_set(actor=officer, institution_id=institution.pk, accredited=False)
    services.accreditation_set(actor=bureau_admin(), institution_id=institution.pk, accredited=False, note="整改")
    assert not services.institution_is_accredited(institution_id=institution.pk, outcome_type="training")


def test_bulk_path_matches_single_path(rules, institution, certificate, django_assert_max_num_queries):
    from credits.records.models import LearningRecord

    learners = [LearnerFactory() for _ in range(6)]
    rows = []
    for i in range(60):
        learner = learners[i % 6]
        exam = i % 5 == 0
        rows.append(LearningRecord(
            institution=institution, record_id=f"B{i}", kind="exam" if exam else "training", learner=learner,
            name=learner.name, programme_code="P", programme_name=f"项目{i}",
            category="x_certificate" if exam else "community", certificate=certificate if exam else None,
            cert_level="senior" if exam else "", date=datetime.date(2025, 1 + i % 12, 1),
            hours=None if exam else Decimal(8 * (i % 7)), result=["passed", "completed", "withdrawn"][i % 3]
            if not exam else "passed", content_hash=str(i)))
    LearningRecord.objects.bulk_create(rows)
    ids = list(LearningRecord.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(25):
        created = services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=ids))
    assert created == LearningRecord.objects.exclude(result="withdrawn").count()
    assert services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=ids)) == 0  # safe to run twice
    assert list(ledger_verify()) == []
    for account in LearnerAccount.objects.all():
        assert account.balance == account_balance(account=account)
        cert_total = sum(o.credits for o in account.outcomes.filter(certificate=certificate))
        assert cert_total <= 8  # per-certificate cap holds in bulk too
    assert LedgerEntry.objects.filter(kind="deposit").count() == Outcome.objects.filter(status="certified").count()


def test_indicator_counts(make_record, rules, learner, institution, officer, learner_user):
    make_record(learner=learner, hours=Decimal("32"), date=datetime.date(2025, 1, 1))
    other = LearnerFactory()
    revoked = make_record(learner=other, hours=Decimal("16"), date=datetime.date(2025, 1, 1)).outcomes.get()
    services.outcome_revoke(actor=officer, outcome=revoked, reason="错误")
    year = datetime.date.today().year
    counts = credit_indicator_counts(year=year)
    assert counts == {"C1": 1, "C2": Decimal("2.0"), "C3_numerator": 0, "C3_denominator": 1}
    assert credit_indicator_counts(year=year, institution_id=institution.pk + 999)["C1"] == 0
    assert credit_indicator_counts(year=year - 1)["C1"] == 0


@pytest.mark.postgres
def test_update_and_delete_refused_on_postgresql(make_record, rules, learner):
    from django.db import DatabaseError, transaction

    make_record(learner=learner)
    entry = LedgerEntry.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(credits=Decimal("99"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM credits_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get().credits == Decimal("2")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_deposits_make_exactly_one_entry(rules, institution):
    learner = LearnerFactory()
    account = services.account_get_or_create(learner=learner)
    outcome = Outcome.objects.create(account=account, type="training", title="并发测试", institution=institution,
                                     date=datetime.date(2025, 1, 1), hours=Decimal("32"),
                                     status=OutcomeStatus.CERTIFIED, credits=Decimal("2"))
    barrier = threading.Barrier(50)
    errors = []

    def worker():
        try:
            barrier.wait()
            services.ledger_deposit(outcome=outcome)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert LedgerEntry.objects.filter(outcome=outcome).count() == 1
    account.refresh_from_db()
    assert account.balance == Decimal("2") and account.last_seq == 1
    assert list(ledger_verify()) == []

"""The bulk path (outcomes_from_records): same results as the single path, chains continued, exactly once,
free text through COPY, the canonical hash form, and concurrent imports on PostgreSQL."""

import datetime
import hashlib
import json
import threading
from decimal import Decimal

import pytest
from bianxue import bulk
from django.core.management import call_command
from django.db import connections
from hypothesis import given, settings
from hypothesis import strategies as st

from credits import services
from credits.ledger import entry_hash
from credits.models import Accreditation, LearnerAccount, LedgerEntry, Outcome, OutcomeStatus, ValuationRule
from credits.records.selectors import record_rows_for_outcomes
from credits.selectors import account_balance, ledger_verify
from tests.factories import CertificateFactory, InstitutionFactory, LearnerFactory


def _reference_hash(*, account_number, seq, kind, outcome_id, application_id, credits, memo, created_at, prev_hash):
    """The hash as first specified: SHA-256 of json.dumps([...]) + "|" + previous hash."""
    canonical = json.dumps(
        [account_number, seq, kind, outcome_id, application_id, format(Decimal(credits).quantize(Decimal("0.1")), "f"),
         memo, created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")],
        ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((canonical + "|" + (prev_hash or "")).encode()).hexdigest()


@settings(max_examples=200, deadline=None)
@given(memo=st.text(max_size=60), seq=st.integers(1, 10**6), outcome_id=st.one_of(st.none(), st.integers(1, 10**9)),
       application_id=st.one_of(st.none(), st.integers(1, 10**9)),
       credits=st.decimals(min_value=-999, max_value=999, places=1, allow_nan=False),
       kind=st.sampled_from(["deposit", "reversal", "conversion"]), prev=st.sampled_from(["", "ab" * 32]))
def test_entry_hash_is_byte_identical_to_the_json_canonical_form(memo, seq, outcome_id, application_id, credits, kind,
                                                                  prev):
    args = dict(account_number="KF0123456789X", seq=seq, kind=kind, outcome_id=outcome_id,
                application_id=application_id, credits=credits, memo=memo,
                created_at=datetime.datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC), prev_hash=prev)
    assert entry_hash(**args) == _reference_hash(**args)


def _records(institution, learners, *, certificate, names=None, prefix="B"):
    """Learning records written directly (as the importer does), without outcomes."""
    from credits.records.models import LearningRecord

    rows = []
    for i in range(48):
        learner = learners[i % len(learners)]
        exam = i % 4 == 0
        category = ["community", "elderly", "rural_labor"][i % 3]
        rows.append(LearningRecord(
            institution=institution, record_id=f"{prefix}{i}", kind="exam" if exam else "training", learner=learner,
            name=learner.name, programme_code=f"P{i}", programme_name=(names or {}).get(i, f"项目{i}"),
            category="x_certificate" if exam else category, certificate=certificate if exam else None,
            cert_level=["junior", "intermediate", "senior"][i % 3] if exam else "",
            date=datetime.date(2024 + i % 2, 1 + i % 12, 1 + i % 5),
            hours=None if exam else Decimal(5 * (i % 9)) + Decimal("0.5"),
            result=("passed" if exam else ["completed", "attended", "withdrawn", "completed"][i % 4]),
            content_hash=str(i)))
    LearningRecord.objects.bulk_create(rows)
    return list(LearningRecord.objects.filter(institution=institution).order_by("learner_id", "date", "pk"))


@pytest.fixture
def valuation_setup(db):
    """Rule versions, a per-year cap on one type, and an institution not accredited for one type."""
    ValuationRule.objects.create(code="hours", name="学时", kind="hours", valid_from=datetime.date(2020, 1, 1),
                                 valid_to=datetime.date(2024, 6, 30))
    ValuationRule.objects.create(code="hours", version=2, name="学时 v2", kind="hours", hours_per_credit=Decimal("10"),
                                 valid_from=datetime.date(2024, 7, 1))
    ValuationRule.objects.create(code="elderly", name="老年教育", kind="hours", outcome_type="elderly",
                                 hours_per_credit=Decimal("8"), year_cap=Decimal("3"),
                                 valid_from=datetime.date(2020, 1, 1))
    ValuationRule.objects.create(code="x", name="1+X", kind="fixed", valid_from=datetime.date(2020, 1, 1))


def _outcome_facts(record_ids):
    return {o.record.record_id[1:]: (o.type, o.title, o.status, o.credits, o.rule_id, o.cert_level, o.hours, o.date,
                                     o.accreditation_basis)
            for o in Outcome.objects.filter(record_id__in=record_ids).select_related("record")}


def test_bulk_path_gives_what_the_single_path_gives(valuation_setup, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 7)  # exercise the chunked IN (…) reads on SQLite
    certificate = CertificateFactory(name="老年照护")
    single_inst, bulk_inst = InstitutionFactory(), InstitutionFactory()
    for inst in (single_inst, bulk_inst):
        Accreditation.objects.create(institution=inst, outcome_type="rural_labor", accredited=False)
        Accreditation.objects.create(institution=inst, outcome_type="training", accredited=False)
        Accreditation.objects.create(institution=inst, outcome_type="x_certificate", certificate=certificate)
    single_learners = [LearnerFactory() for _ in range(5)]
    bulk_learners = [LearnerFactory() for _ in range(5)]
    single = _records(single_inst, single_learners, certificate=certificate, prefix="S")
    batch = _records(bulk_inst, bulk_learners, certificate=certificate, prefix="B")

    for record in single:  # the single path, record by record, in the bulk path's order
        services.outcome_from_record(record=record)
    created = services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=[r.pk for r in reversed(batch)]))

    expected = _outcome_facts([r.pk for r in single])
    assert created == len(expected) == 36  # withdrawn training makes no outcome
    assert _outcome_facts([r.pk for r in batch]) == expected
    statuses = {f[2] for f in expected.values()}
    assert statuses == {OutcomeStatus.CERTIFIED, OutcomeStatus.SUBMITTED}  # both branches exercised
    balances = [LearnerAccount.objects.get(learner=lr).balance for lr in single_learners]
    assert [LearnerAccount.objects.get(learner=lr).balance for lr in bulk_learners] == balances
    for account in LearnerAccount.objects.all():
        assert account.balance == account_balance(account=account)
        per_year = {}
        for o in account.outcomes.filter(type="elderly", status="certified"):
            per_year[o.date.year] = per_year.get(o.date.year, 0) + o.credits
        assert all(total <= 3 for total in per_year.values())  # the per-year cap holds in bulk too
        assert sum(o.credits for o in account.outcomes.filter(certificate=certificate)) <= 8
    assert list(ledger_verify()) == []


def test_bulk_continues_existing_chains_and_skips_live_outcomes(make_record, rules, learner, institution, officer,
                                                               capsys):
    from credits.records.models import LearningRecord

    first = make_record(learner=learner, hours=Decimal("32"))  # single path: account + deposit #1
    revoked = make_record(learner=learner, hours=Decimal("16")).outcomes.get()
    services.outcome_revoke(actor=officer, outcome=revoked, reason="误录")  # deposit #2, reversal #3
    account = LearnerAccount.objects.get(learner=learner)
    assert (account.last_seq, account.balance) == (3, Decimal("2"))
    LearningRecord.objects.bulk_create([
        LearningRecord(institution=institution, record_id=f"N{i}", kind="training", learner=learner, name="王秀兰",
                       programme_code="P", programme_name="新课", category="community",
                       date=datetime.date(2025, 2, 1 + i), hours=Decimal("16"), result="completed",
                       content_hash=str(i)) for i in range(3)])
    new_ids = list(LearningRecord.objects.filter(record_id__startswith="N").values_list("pk", flat=True))

    created = services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=[first.pk, revoked.record_id, *new_ids]))

    assert created == 4  # the record whose outcome was revoked gets a new one; the live one is skipped
    assert first.outcomes.count() == 1
    account.refresh_from_db()
    assert account.last_seq == 7 and account.balance == Decimal("2") + 4 * Decimal("1")
    entries = list(account.entries.order_by("seq"))
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert account.last_hash == entries[-1].hash
    assert services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=[first.pk, *new_ids])) == 0
    call_command("verify_ledger")  # exits non-zero on any broken link
    assert "ledger OK" in capsys.readouterr().out


def test_free_text_survives_the_bulk_writes(rules, institution, learner):
    """Titles and memos go through COPY's text format on PostgreSQL: tabs, newlines, backslashes, quotes."""
    names = {i: name for i, name in enumerate(
        ["电工\t培训", "第一行\n第二行", "C:\\路径\\N", "“引号” \"quotes\" 'single'", "回车\r结束", "😀 emoji", "\\N"])}
    from credits.records.models import LearningRecord

    LearningRecord.objects.bulk_create([
        LearningRecord(institution=institution, record_id=f"T{i}", kind="training", learner=learner, name="王秀兰",
                       programme_code="P", programme_name=name, category="community", date=datetime.date(2025, 1, 1),
                       hours=Decimal("16"), result="completed", content_hash=str(i)) for i, name in names.items()])
    ids = list(LearningRecord.objects.values_list("pk", flat=True))
    assert services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=ids)) == len(names)
    assert sorted(Outcome.objects.values_list("title", flat=True)) == sorted(names.values())
    assert sorted(LedgerEntry.objects.values_list("memo", flat=True)) == sorted(names.values())
    assert Outcome.objects.filter(hours=None).count() == 0
    assert list(ledger_verify()) == []


def test_bulk_opens_accounts_with_valid_numbers(rules, institution):
    from credits.ledger import account_number_is_valid
    from credits.records.models import LearningRecord

    learners = [LearnerFactory() for _ in range(20)]
    LearningRecord.objects.bulk_create([
        LearningRecord(institution=institution, record_id=f"A{i}", kind="training", learner=lr, name=lr.name,
                       programme_code="P", programme_name="课", category="community", date=datetime.date(2025, 1, 1),
                       hours=Decimal("16"), result="completed", content_hash=str(i)) for i, lr in enumerate(learners)])
    services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=list(LearningRecord.objects.values_list("pk", flat=True))))
    numbers = list(LearnerAccount.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 20 and all(account_number_is_valid(n) for n in numbers)
    assert LearnerAccount.objects.filter(balance=Decimal("1"), last_seq=1).count() == 20
    # the single path finds the bulk-opened account
    assert services.account_get_or_create(learner=learners[0]).number in numbers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_imports_of_the_same_records_make_each_outcome_once(rules):
    from credits.records.models import LearningRecord

    institution = InstitutionFactory()
    learners = [LearnerFactory() for _ in range(30)]
    LearningRecord.objects.bulk_create([
        LearningRecord(institution=institution, record_id=f"C{i}", kind="training", learner=learners[i % 30],
                       name="x", programme_code="P", programme_name="并发", category="community",
                       date=datetime.date(2025, 1, 1 + i % 28), hours=Decimal("16"), result="completed",
                       content_hash=str(i)) for i in range(300)])
    ids = list(LearningRecord.objects.values_list("pk", flat=True))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=ids)))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [0, 0, 0, 300]
    assert Outcome.objects.count() == LedgerEntry.objects.count() == 300
    assert LearnerAccount.objects.count() == 30
    assert list(ledger_verify()) == []

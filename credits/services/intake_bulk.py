"""Outcomes from learning records in bulk (imports): set-based, with the same rules as
``intake.outcome_from_record`` and the same arithmetic as ``valuation.outcome_value``.

The mechanics of reading and writing many rows cheaply (COPY, id ranges, one-statement updates) are
``bianxue.bulk``; this module holds what the rows mean: accounts, valuation, hash chains.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from bianxue import bulk
from bianxue.people.models import Learner
from bianxue.timing import PhaseClock
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from ..ledger import ZERO, account_number_generate, entry_hash_canonical, entry_timestamp
from ..models import (
    AccreditationBasis,
    LearnerAccount,
    LedgerEntry,
    Outcome,
    OutcomeSource,
    OutcomeStatus,
    ValuationRule,
)
from .accounts_bulk import account_heads_update, accounts_insert_missing
from .accreditation import accreditation_basis_from_rows, accreditation_rows
from .intake import outcome_type_for_record
from .valuation import valuation_rule_default, valuation_rule_pick, valuation_rule_value

logger = logging.getLogger("bianxue.credits")

ACCOUNT_COLUMNS = ("id", "learner_id", "number", "balance", "last_seq", "last_hash", "created_at")
OUTCOME_COLUMNS = ("account_id", "type", "title", "institution_id", "source", "record_id", "certificate_id",
                   "cert_level", "certificate_no", "date", "hours", "status", "credits", "rule_id", "reason",
                   "evidence", "evidence_name", "evidence_type", "certified_at", "entered_by_id", "created_at",
                   "updated_at", "accreditation_id", "accreditation_basis")
ENTRY_COLUMNS = ("account_id", "seq", "kind", "outcome_id", "application_id", "credits", "memo", "created_at",
                 "prev_hash", "hash")
# The fields of a record as the bulk path takes them (one tuple per record, in this order).
OUTCOME_SOURCE_FIELDS = ("id", "learner_id", "institution_id", "kind", "category", "programme_code", "programme_name",
                 "certificate_id", "cert_level", "certificate_no", "date", "hours")


def outcomes_from_records(*, records: list[tuple], entered_by_id: int | None = None) -> int:
    """Bulk path for imports: outcomes for many records at once, same rules as ``outcome_from_record``.

    ``entered_by_id``: the import batch's actor, kept on every outcome; the actor's own records (four eyes) are
    not certified on arrival but wait in the queue.

    ``records`` are ``OUTCOME_SOURCE_FIELDS`` tuples of eligible records (completed, attended or passed), as
    ``credits.records.selectors.record_rows_for_outcomes`` reads them: the records app hands its rows over, so
    the credit bank never imports it. Called by the records importer inside its import transaction. Records that already have a live outcome are
    skipped (corrections go through ``outcome_from_record``); withdrawn training and failed exams make none.
    Set-based throughout (see ``bianxue.bulk``): one read of the records' fields; the learners' existing accounts
    locked with one ``SELECT … FOR UPDATE`` ordered by id, missing accounts opened in bulk; credits valued in
    Python from rules and accreditations fetched once; hash chains computed per account in order; outcomes,
    deposits and new accounts written with COPY (PostgreSQL) or one executemany each; the chain heads and
    balances of existing accounts written with one UPDATE.

    Exactly once: the live outcomes are looked up after the accounts are locked, and the conditional unique
    constraints (one live outcome per record, one deposit per outcome, one account per learner) guard every row.
    When a concurrent transaction wins one of them, this run's savepoint is rolled back and the run is repeated
    (it then sees the other transaction's rows). Returns the number of outcomes created.
    """
    if not records:
        return 0
    clock = PhaseClock()
    # the order of the chains: learner, date, record
    records = sorted({r[0]: r for r in records}.values(), key=lambda r: (r[1], r[10], r[0]))
    with transaction.atomic():
        for attempt in range(1, 4):
            try:
                with transaction.atomic():
                    created, deposits = _outcomes_write(records, clock=clock, entered_by_id=entered_by_id)
                break
            except IntegrityError:
                if attempt == 3:
                    raise
                logger.warning("outcomes_from_records: lost a race (attempt %s), repeating", attempt)
        logger.info("outcomes_from_records", extra={"records": len(records), "outcomes": created,
                                                    "deposits": deposits, "phases": clock.phases})
        return created


def _outcomes_write(records: list[tuple], *, clock: PhaseClock, entered_by_id: int | None
                    ) -> tuple[int, int]:
    """The writing part of ``outcomes_from_records`` (one savepoint): returns (outcomes, deposits) created."""
    accounts = _accounts_for_learners(sorted({r[1] for r in records}), clock=clock)  # by learner id, locked
    records = _without_live_outcome(records)
    clock("live_outcomes")
    if not records:
        return 0, 0
    valuation = _BulkValuation(records, accounts)
    clock("rules_and_totals")
    own_learner_id = _learner_of_user(entered_by_id)
    rows = [valuation.row(rec, accounts[rec[1]], own=rec[1] == own_learner_id) for rec in records]
    clock("valued")
    return _rows_write(rows, accounts, clock=clock, entered_by_id=entered_by_id)


def _learner_of_user(user_id: int | None) -> int | None:
    """The learner bound to the entering user's login, if any (four eyes: their records wait in the queue)."""
    if user_id is None:
        return None
    return Learner.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def _without_live_outcome(records: list[tuple]) -> list[tuple]:
    live = set()
    for qs in bulk.ids_filter(Outcome.objects.exclude(status=OutcomeStatus.REVOKED), "record_id",
                              [r[0] for r in records]):
        live.update(qs.values_list("record_id", flat=True))
    if live:
        records = [r for r in records if r[0] not in live]
    return records


# --- accounts -------------------------------------------------------------------------------------------


class _BulkAccount:
    """The chain head of an account while the bulk path appends to it.

    ``new``: opened by this run; ``stored``: its row exists already (locked), else it is inserted at the end.
    """

    __slots__ = ("pk", "number", "balance", "last_seq", "last_hash", "new", "stored")

    def __init__(self, pk, number, balance=ZERO, last_seq=0, last_hash="", *, new=False, stored=True):
        self.pk, self.number, self.balance, self.last_seq, self.last_hash = pk, number, balance, last_seq, last_hash
        self.new, self.stored = new, stored


def _accounts_lock(learner_ids: list[int]) -> dict[int, _BulkAccount]:
    found = {}
    for qs in bulk.ids_filter(LearnerAccount.objects.select_for_update().order_by("pk"), "learner_id", learner_ids):
        for pk, learner_id, number, balance, last_seq, last_hash in qs.values_list(
                "pk", "learner_id", "number", "balance", "last_seq", "last_hash"):
            found[learner_id] = _BulkAccount(pk, number, balance, last_seq, last_hash)
    return found


def _accounts_for_learners(learner_ids: list[int], *, clock: PhaseClock) -> dict[int, _BulkAccount]:
    """The learners' accounts by learner id: existing ones locked FOR UPDATE in id order; missing ones get ids
    from the table's sequence and are inserted later with their final heads (PostgreSQL), or are inserted
    now and read back (other databases)."""
    accounts = _accounts_lock(learner_ids)
    missing = [lid for lid in learner_ids if lid not in accounts]
    clock("accounts_locked")
    if not missing:
        return accounts
    new_ids = bulk.ids_allocate(LearnerAccount, len(missing))
    if new_ids is not None:
        for learner_id, pk in zip(missing, new_ids, strict=True):
            accounts[learner_id] = _BulkAccount(pk, account_number_generate(), new=True, stored=False)
        clock("accounts_new")
        return accounts
    now = timezone.now()
    for _attempt in range(5):
        accounts_insert_missing([(lid, account_number_generate()) for lid in missing], now)
        opened = _accounts_lock(missing)
        for account in opened.values():
            account.new = True
        accounts.update(opened)
        missing = [lid for lid in missing if lid not in opened]  # a number collision: retry with new numbers
        if not missing:
            clock("accounts_new")
            return accounts
    raise RuntimeError("could not allocate account numbers")


# --- valuation ------------------------------------------------------------------------------------------


def _certified_totals(accounts: dict[int, _BulkAccount]) -> tuple[dict, dict]:
    """Credits the accounts already hold: by (account, year) and by (account, certificate)."""
    year_totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    cert_totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    held_ids = [a.pk for a in accounts.values() if a.stored and not a.new]
    for qs in bulk.ids_filter(Outcome.objects.filter(status=OutcomeStatus.CERTIFIED), "account_id", held_ids):
        for acc, year, cert, total in qs.values_list("account_id", "date__year", "certificate_id").annotate(
                s=Sum("credits")).values_list("account_id", "date__year", "certificate_id", "s").order_by():
            year_totals[(acc, year)] += total or ZERO
            if cert is not None:
                cert_totals[(acc, cert)] += total or ZERO
    return year_totals, cert_totals


class _BulkValuation:
    """Values records as ``outcome_value`` does, from rules, accreditations and held credits fetched once.

    The held totals grow with every record valued, so records must come in the order of the chains.
    """

    def __init__(self, records: list[tuple], accounts: dict[int, _BulkAccount]):
        self.rules = list(ValuationRule.objects.all())
        self.accreditation = accreditation_rows(institution_ids={r[2] for r in records})
        self.basis_cache: dict = {}
        self.year_totals, self.cert_totals = _certified_totals(accounts)
        self.rule_cache: dict = {}
        self.value_cache: dict = {}
        self.type_cache: dict = {}

    def row(self, rec: tuple, account: _BulkAccount, *, own: bool = False) -> tuple:
        """(record, account, type, status, credits, rule id, (basis, accreditation id)): certified and valued
        when an accreditation covers the record (type; certificate for exam results) and it is not the entering
        user's own, else submitted (to the bureau's queue when no accreditation covers it)."""
        _rid, _learner_id, inst_id, kind, category, _pc, _pn, cert_id, level, _no, date, hours = rec
        otype = self._type(kind, category)
        basis = self._basis(inst_id, otype, cert_id)
        if own or basis[0] == AccreditationBasis.OUTSIDE:
            return (rec, account, otype, OutcomeStatus.SUBMITTED.value, None, None, basis)
        rule = self._rule(otype, date)
        credits = self._credits(rule, account=account, cert_id=cert_id, level=level or "", date=date, hours=hours)
        return (rec, account, otype, OutcomeStatus.CERTIFIED.value, credits, rule.pk, basis)

    def _basis(self, inst_id: int, otype: str, cert_id: int | None) -> tuple[str, int | None]:
        key = (inst_id, otype, cert_id)
        if key not in self.basis_cache:
            self.basis_cache[key] = accreditation_basis_from_rows(self.accreditation.get(inst_id, []),
                                                                  outcome_type=otype, certificate_id=cert_id)
        return self.basis_cache[key]

    def _type(self, kind: str, category: str) -> str:
        otype = self.type_cache.get((kind, category))
        if otype is None:
            otype = self.type_cache[(kind, category)] = outcome_type_for_record(kind=kind, category=category).value
        return otype

    def _rule(self, otype: str, date) -> ValuationRule:
        rule_key = (otype, date)
        if rule_key not in self.rule_cache:
            self.rule_cache[rule_key] = (valuation_rule_pick(self.rules, outcome_type=otype, date=date)
                                         or valuation_rule_default(otype))
        return self.rule_cache[rule_key]

    def _credits(self, rule: ValuationRule, *, account: _BulkAccount, cert_id, level: str, date, hours) -> Decimal:
        if rule.year_cap is None and cert_id is None:  # nothing depends on what the learner already holds
            vkey = (id(rule), hours, level)
            credits = self.value_cache.get(vkey)
            if credits is None:
                credits = self.value_cache[vkey] = valuation_rule_value(rule, hours=hours, level=level, cert_id=None)
        else:
            year_key, cert_key = (account.pk, date.year), (account.pk, cert_id)
            credits = valuation_rule_value(rule, hours=hours, level=level, cert_id=cert_id,
                                           certificate_total=self.cert_totals[cert_key] if cert_id else ZERO,
                                           year_total=self.year_totals[year_key])
            if cert_id:
                self.cert_totals[cert_key] += credits
        self.year_totals[(account.pk, date.year)] += credits
        return credits


# --- writing --------------------------------------------------------------------------------------------


def _rows_write(rows: list[tuple], accounts: dict[int, _BulkAccount], *, clock: PhaseClock,
                entered_by_id: int | None = None) -> tuple[int, int]:
    """Write the valued rows: new accounts, outcomes, their deposits, the heads of the existing accounts."""
    now = timezone.now()
    outcome_ids = bulk.ids_allocate(Outcome, len(rows))  # PostgreSQL: ids known before anything is written
    if outcome_ids is not None:
        entry_rows, touched = _deposits_chain(rows, outcome_ids, now=now)
        clock("entries_built")
        # Accounts opened by this run are written once, with their final chain heads; a learner given an account
        # concurrently, or an account-number collision, raises IntegrityError here (the caller repeats the run).
        bulk.rows_insert(LearnerAccount, ACCOUNT_COLUMNS, [
            (a.pk, learner_id, a.number, a.balance, a.last_seq, a.last_hash, now)
            for learner_id, a in accounts.items() if not a.stored])
        clock("accounts_inserted")
        bulk.rows_insert(Outcome, ("id", *OUTCOME_COLUMNS), _outcome_rows(rows, now=now, ids=outcome_ids,
                                                                          entered_by_id=entered_by_id))
        clock("outcomes_inserted")
    else:  # no sequence to draw from (SQLite): insert the outcomes, then read their ids back by record
        bulk.rows_insert(Outcome, OUTCOME_COLUMNS, _outcome_rows(rows, now=now, entered_by_id=entered_by_id))
        clock("outcomes_inserted")
        entry_rows, touched = _deposits_chain(rows, _outcome_ids_by_record(rows), now=now)
        clock("entries_built")
    bulk.rows_insert(LedgerEntry, ENTRY_COLUMNS, entry_rows)
    clock("entries_inserted")
    account_heads_update([(a.pk, a.last_seq, a.last_hash, a.balance)
                                               for a in touched.values() if a.stored])
    clock("heads_saved")
    return len(rows), len(entry_rows)


def _outcome_rows(rows: list[tuple], *, now, ids: list[int] | None = None, entered_by_id: int | None = None
                  ) -> list[tuple]:
    """``OUTCOME_COLUMNS`` tuples of the valued rows, each led by its id when ``ids`` are given."""
    certified, source = OutcomeStatus.CERTIFIED.value, OutcomeSource.RECORD.value
    out = []
    for i, (rec, account, otype, status, credits, rule_id, basis) in enumerate(rows):
        rid, _l, inst_id, _k, _c, pcode, pname, cert_id, level, cert_no, date, hours = rec
        out.append((*((ids[i],) if ids is not None else ()), account.pk, otype, (pname or pcode)[:200], inst_id,
                    source, rid, cert_id, level or "", cert_no or "", date, hours, status, credits, rule_id,
                    "", "", "", "", now if status == certified else None, entered_by_id, now, now, basis[1],
                    basis[0]))
    return out


def _outcome_ids_by_record(rows: list[tuple]) -> list[int]:
    """The ids of the outcomes just inserted, in the order of ``rows`` (read back by record id)."""
    by_record = {}
    for qs in bulk.ids_filter(Outcome.objects.exclude(status=OutcomeStatus.REVOKED), "record_id",
                              [row[0][0] for row in rows]):
        by_record.update(qs.values_list("record_id", "id"))
    return [by_record[row[0][0]] for row in rows]


def _deposits_chain(rows: list[tuple], outcome_ids: list[int], *, now) -> tuple[list[tuple], dict]:
    """The deposits, appended to each account's chain in order: (``ENTRY_COLUMNS`` tuples, accounts by id)."""
    timestamp = entry_timestamp(now)
    deposit, certified = LedgerEntry.Kind.DEPOSIT.value, OutcomeStatus.CERTIFIED.value
    entry_rows, touched = [], {}
    for (rec, account, _otype, status, credits, _rule, _basis), outcome_id in zip(rows, outcome_ids, strict=True):
        if status != certified:
            continue
        title = (rec[6] or rec[5])[:200]
        seq = account.last_seq + 1
        digest = entry_hash_canonical(
            account_number=account.number, seq=seq, kind=deposit, outcome_id=outcome_id, application_id=None,
            credits_text=format(credits, "f"), memo=title, timestamp=timestamp, prev_hash=account.last_hash)
        entry_rows.append((account.pk, seq, deposit, outcome_id, None, credits, title, now, account.last_hash,
                           digest))
        account.last_seq, account.last_hash = seq, digest
        account.balance += credits
        touched[account.pk] = account
    return entry_rows, touched

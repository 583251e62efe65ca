"""Credit bank writes: accounts, outcomes and their state machine, valuation, the ledger, declarations,
conversion applications and notifications. Every staff action is permission-checked here and audited.

Lock order (to stay deadlock-free): outcome row, then account row.
"""

import datetime
import logging
import time
from collections import defaultdict
from decimal import Decimal

from bianxue.accounts.models import Role
from bianxue.accounts.selectors import user_institution_ids, user_is_bureau_admin
from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.people.models import Learner
from bianxue.vocab import OUTCOME_RESULTS, Category, RecordKind
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from .ledger import account_number_generate, entry_hash, entry_hash_canonical, entry_timestamp, value_credits
from .models import (
    CERTIFICATE_TYPES,
    Accreditation,
    ApplicationStatus,
    ApplicationStep,
    ConversionApplication,
    ConversionItem,
    ConversionRule,
    LearnerAccount,
    LedgerEntry,
    Notification,
    Outcome,
    OutcomeSource,
    OutcomeStatus,
    OutcomeType,
    ValuationRule,
)

OFFICER_ROLES = (Role.CREDIT_OFFICER,)
logger = logging.getLogger("bianxue.credits")
ZERO = Decimal("0")
LEVEL_ORDER = {"": 0, "junior": 1, "intermediate": 2, "senior": 3}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class TransitionError(ValidationError):
    """A state machine refused a transition."""


# --- accounts -------------------------------------------------------------------------------------------


def account_get_or_create(*, learner: Learner) -> LearnerAccount:
    """The learner's account, opened on first use with a fresh random account number."""
    account = LearnerAccount.objects.filter(learner=learner).first()
    if account:
        return account
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return LearnerAccount.objects.create(learner=learner, number=account_number_generate())
        except IntegrityError:
            account = LearnerAccount.objects.filter(learner=learner).first()
            if account:  # opened concurrently
                return account
    raise RuntimeError("could not allocate an account number")


def account_for_user_get_or_create(*, user) -> LearnerAccount:
    from bianxue.people.services import learner_for_user_get_or_create

    return account_get_or_create(learner=learner_for_user_get_or_create(user=user))


# --- ledger ---------------------------------------------------------------------------------------------


def _ledger_append(
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


def _lock_account(account_id: int) -> LearnerAccount:
    return LearnerAccount.objects.select_for_update().get(pk=account_id)


def ledger_deposit(*, outcome: Outcome) -> LedgerEntry:
    """Deposit a certified outcome's credits exactly once (account row lock + conditional unique constraint).

    Safe under concurrency: the second caller waits for the lock, then finds the first deposit and returns it.
    """
    with transaction.atomic():
        account = _lock_account(outcome.account_id)
        existing = LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.DEPOSIT).first()
        if existing:
            return existing
        fresh = Outcome.objects.get(pk=outcome.pk)
        if fresh.status != OutcomeStatus.CERTIFIED:
            raise TransitionError("只有已认证的成果可以存入学分。Only certified outcomes are deposited.")
        return _ledger_append(account=account, kind=LedgerEntry.Kind.DEPOSIT, credits=fresh.credits or ZERO,
                              outcome=fresh, memo=fresh.title[:200])


def _ledger_reverse(*, outcome: Outcome, memo: str) -> LedgerEntry | None:
    account = _lock_account(outcome.account_id)
    deposit = LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.DEPOSIT).first()
    if deposit is None or LedgerEntry.objects.filter(outcome_id=outcome.pk, kind=LedgerEntry.Kind.REVERSAL).exists():
        return None
    return _ledger_append(account=account, kind=LedgerEntry.Kind.REVERSAL, credits=-deposit.credits,
                          outcome=outcome, memo=memo[:200])


# --- valuation ------------------------------------------------------------------------------------------


def _rule_kind(outcome_type: str) -> str:
    return ValuationRule.Kind.FIXED if outcome_type in CERTIFICATE_TYPES else ValuationRule.Kind.HOURS


def _rule_pick(rules, *, outcome_type: str, date: datetime.date) -> ValuationRule | None:
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
    return _rule_pick(list(rules), outcome_type=outcome_type, date=date)


def _default_rule(outcome_type: str) -> ValuationRule:
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


def outcome_value(*, outcome: Outcome, override: Decimal | None = None) -> tuple[Decimal, ValuationRule | None]:
    """Credits of an outcome by the rule in force on its date, after caps (what it would deposit now)."""
    rule = valuation_rule_for(outcome_type=outcome.type, date=outcome.date)
    held = Outcome.objects.filter(account_id=outcome.account_id, status=OutcomeStatus.CERTIFIED).exclude(pk=outcome.pk)
    year_total = held.filter(date__year=outcome.date.year).aggregate(s=Sum("credits"))["s"] or ZERO
    cert_total = ZERO
    if outcome.certificate_id:
        cert_total = held.filter(certificate_id=outcome.certificate_id).aggregate(s=Sum("credits"))["s"] or ZERO
    credits = _value_with(rule or _default_rule(outcome.type), outcome=outcome, certificate_total=cert_total,
                          year_total=year_total, override=override)
    return credits, rule


@transaction.atomic
def valuation_rule_revise(*, actor, rule: ValuationRule, valid_from: datetime.date, **changes) -> ValuationRule:
    """A new version of a rule from ``valid_from``; the old version ends the day before. Past outcomes keep
    their rule and credits: nothing already deposited is rewritten."""
    if not user_is_bureau_admin(user=actor) and not user_institution_ids(user=actor, roles=OFFICER_ROLES):
        raise PermissionDenied("无权修改认定规则。You may not change valuation rules.")
    rule = ValuationRule.objects.select_for_update().get(pk=rule.pk)
    if valid_from <= rule.valid_from:
        raise ValidationError("新版本的生效日期须晚于当前版本。The new version must start after the current one.")
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


# --- accreditation --------------------------------------------------------------------------------------


def institution_is_accredited(*, institution_id: int, outcome_type: str) -> bool:
    rows = dict(Accreditation.objects.filter(institution_id=institution_id, outcome_type__in=["", outcome_type])
                .values_list("outcome_type", "accredited"))
    if outcome_type in rows:
        return rows[outcome_type]
    return rows.get("", True)


def accreditation_set(*, actor, institution_id: int, outcome_type: str = "", accredited: bool,
                      note: str = "") -> Accreditation:
    """Bureau administrators withdraw or restore an institution's certification on arrival."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied("只有教育局管理员可以调整认证资质。Only bureau administrators change accreditation.")
    row, _ = Accreditation.objects.update_or_create(
        institution_id=institution_id, outcome_type=outcome_type, defaults={"accredited": accredited, "note": note})
    audit_record(actor=actor, action="credits.accreditation.set", obj=row, institution_id=institution_id,
                 reason=note, data={"outcome_type": outcome_type, "accredited": accredited})
    return row


# --- outcomes: state machine ----------------------------------------------------------------------------

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
            f"成果状态不能从 {outcome.status} 变为 {target}。An outcome cannot go from {outcome.status} to {target}.")


def _lock_outcome(outcome_id: int) -> Outcome:
    return Outcome.objects.select_for_update().get(pk=outcome_id)


def _certify_locked(*, outcome: Outcome, override: Decimal | None = None) -> Outcome:
    credits, rule = outcome_value(outcome=outcome, override=override)
    outcome.status, outcome.credits, outcome.rule = OutcomeStatus.CERTIFIED, credits, rule
    outcome.certified_at = timezone.now()
    outcome.save(update_fields=["status", "credits", "rule", "certified_at", "reason", "updated_at"])
    ledger_deposit(outcome=outcome)
    return outcome


@transaction.atomic
def outcome_start_review(*, actor, outcome: Outcome) -> Outcome:
    institution_require_role(user=actor, institution_id=outcome.institution_id, roles=OFFICER_ROLES)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.UNDER_REVIEW)
    outcome.status = OutcomeStatus.UNDER_REVIEW
    outcome.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="credits.outcome.review", obj=outcome, institution_id=outcome.institution_id)
    return outcome


@transaction.atomic
def outcome_certify(*, actor, outcome: Outcome, reason: str = "", credits: Decimal | None = None) -> Outcome:
    """A credit officer certifies an outcome: valued by the rule in force on its date, then deposited once."""
    institution_require_role(user=actor, institution_id=outcome.institution_id, roles=OFFICER_ROLES)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.CERTIFIED)
    outcome.reason = reason
    _certify_locked(outcome=outcome, override=credits)
    audit_record(actor=actor, action="credits.outcome.certify", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason, data={"credits": str(outcome.credits), "override": credits is not None})
    _notify_learner(outcome.account, title=f"学习成果已认证：{outcome.title}",
                    body=f"获得 {outcome.credits} 学分。{reason}", url="/credits/")
    return outcome


@transaction.atomic
def outcome_reject(*, actor, outcome: Outcome, reason: str) -> Outcome:
    if not reason.strip():
        raise ValidationError("请填写不通过的理由。Please give a reason.")
    institution_require_role(user=actor, institution_id=outcome.institution_id, roles=OFFICER_ROLES)
    outcome = _lock_outcome(outcome.pk)
    _require(outcome, OutcomeStatus.REJECTED)
    outcome.status, outcome.reason = OutcomeStatus.REJECTED, reason
    outcome.save(update_fields=["status", "reason", "updated_at"])
    audit_record(actor=actor, action="credits.outcome.reject", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)
    _notify_learner(outcome.account, title=f"学习成果未通过认证：{outcome.title}", body=reason, url="/credits/")
    return outcome


def _revoke_locked(*, outcome: Outcome, reason: str) -> Outcome:
    _require(outcome, OutcomeStatus.REVOKED)
    outcome.status, outcome.reason = OutcomeStatus.REVOKED, reason
    outcome.save(update_fields=["status", "reason", "updated_at"])
    _ledger_reverse(outcome=outcome, memo=f"撤销 revoked: {reason}")
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
        raise ValidationError("请填写撤销理由。Please give a reason.")
    institution_require_role(user=actor, institution_id=outcome.institution_id, roles=OFFICER_ROLES)
    outcome = _revoke_locked(outcome=_lock_outcome(outcome.pk), reason=reason)
    audit_record(actor=actor, action="credits.outcome.revoke", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)
    _notify_learner(outcome.account, title=f"学习成果已撤销：{outcome.title}", body=reason, url="/credits/")
    return outcome


@transaction.atomic
def outcomes_bulk_certify(*, actor, outcome_ids: list[int], reason: str) -> int:
    """Approve many queue items with one reason; each is permission-checked and audited on its own.

    All or nothing: one item the officer may not act for (or one refused transition) certifies none."""
    done = 0
    outcomes = list(Outcome.objects.filter(pk__in=outcome_ids).order_by("pk"))
    for institution_id in {o.institution_id for o in outcomes}:
        institution_require_role(user=actor, institution_id=institution_id, roles=OFFICER_ROLES)
    for outcome in outcomes:
        outcome_certify(actor=actor, outcome=outcome, reason=reason)
        done += 1
    return done


@transaction.atomic
def outcomes_bulk_reject(*, actor, outcome_ids: list[int], reason: str) -> int:
    """Reject many queue items with one reason (all or nothing)."""
    outcomes = list(Outcome.objects.filter(pk__in=outcome_ids).order_by("pk"))
    for outcome in outcomes:
        outcome_reject(actor=actor, outcome=outcome, reason=reason)
    return len(outcomes)


# --- outcomes from learning records (courses app and imports) -------------------------------------------

TRAINING_TYPES = {
    Category.OPEN_UNIVERSITY: OutcomeType.OPEN_UNIVERSITY,
    Category.COMMUNITY: OutcomeType.COMMUNITY,
    Category.ELDERLY: OutcomeType.ELDERLY,
}


def outcome_type_for_record(*, kind: str, category: str) -> str:
    if kind == RecordKind.EXAM:
        return OutcomeType.X_CERTIFICATE if category == Category.X_CERTIFICATE else OutcomeType.QUALIFICATION
    return TRAINING_TYPES.get(category, OutcomeType.TRAINING)


def _record_outcome_fields(record) -> dict:
    return {
        "type": outcome_type_for_record(kind=record.kind, category=record.category),
        "title": (record.programme_name or record.programme_code)[:200],
        "institution_id": record.institution_id,
        "certificate_id": record.certificate_id,
        "cert_level": record.cert_level or "",
        "certificate_no": record.certificate_no or "",
        "date": record.date,
        "hours": record.hours,
    }


def _same_content(outcome: Outcome, fields: dict) -> bool:
    for key, value in fields.items():
        current = getattr(outcome, key)
        if key == "hours":
            current = Decimal(current) if current is not None else None
            value = Decimal(value) if value is not None else None
        if current != value:
            return False
    return True


def outcome_from_record(*, record) -> Outcome | None:
    """Turn an eligible learning record into an outcome; certify and deposit it when the institution is
    accredited for that type (otherwise it waits in the institution's review queue).

    Called by credits.records.services.record_upsert inside the caller's transaction. Idempotent: at most one
    live outcome per record. Withdrawn training and failed exams make no outcome.

    A corrected record (same key, changed content): when the outcome's content is unchanged nothing happens;
    otherwise the old outcome is revoked (a reversal entry) and a new outcome is made and valued afresh.
    Deposits are never edited, and each outcome is deposited at most once.
    """
    with transaction.atomic():
        live = Outcome.objects.select_for_update().filter(record_id=record.pk).exclude(
            status=OutcomeStatus.REVOKED).first()
        if record.result not in OUTCOME_RESULTS:
            if live is not None:
                _close_for_correction(live, reason="记录更正为未通过/退出 record corrected to withdrawn/failed")
            return None
        fields = _record_outcome_fields(record)
        if live is not None:
            if _same_content(live, fields) and live.account.learner_id == record.learner_id:
                return live
            _close_for_correction(live, reason="记录已更正 record corrected")
        account = account_get_or_create(learner=record.learner)
        outcome = Outcome.objects.create(account=account, record=record, source=OutcomeSource.RECORD,
                                         status=OutcomeStatus.SUBMITTED, **fields)
        if institution_is_accredited(institution_id=record.institution_id, outcome_type=outcome.type):
            _certify_locked(outcome=outcome)
        return outcome


def _close_for_correction(outcome: Outcome, *, reason: str) -> None:
    if outcome.status == OutcomeStatus.CERTIFIED:
        _revoke_locked(outcome=outcome, reason=reason)
    else:  # never certified: nothing deposited; it leaves the queue as rejected
        outcome.status, outcome.reason = OutcomeStatus.REJECTED, reason
        outcome.record = None
        outcome.save(update_fields=["status", "reason", "record", "updated_at"])
    audit_record(actor=None, action="credits.outcome.correct", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)


def outcomes_from_records(*, record_ids: list[int]) -> int:
    """Bulk path for imports: outcomes for many records at once, same rules as ``outcome_from_record``.

    Called by the records importer inside its import transaction. Records that already have a live outcome are
    skipped (corrections go through ``outcome_from_record``); withdrawn training and failed exams make none.
    Set-based throughout (see ``credits.bulk``): one read of the records' fields; the learners' existing accounts
    locked with one ``SELECT … FOR UPDATE`` ordered by id, missing accounts opened in bulk; credits valued in
    Python from rules and accreditations fetched once; hash chains computed per account in order; outcomes,
    deposits and new accounts written with COPY (PostgreSQL) or one executemany each; the chain heads and
    balances of existing accounts written with one UPDATE.

    Exactly once: the live outcomes are looked up after the accounts are locked, and the conditional unique
    constraints (one live outcome per record, one deposit per outcome, one account per learner) guard every row.
    When a concurrent transaction wins one of them, this run's savepoint is rolled back and the run is repeated
    (it then sees the other transaction's rows). Returns the number of outcomes created.
    """
    from credits.records.models import LearningRecord

    from . import bulk

    if not record_ids:
        return 0
    clock = _PhaseClock()
    with transaction.atomic():
        ids = sorted(set(record_ids))
        records = []
        record_qs = LearningRecord.objects.filter(result__in=OUTCOME_RESULTS).values_list(
            "id", "learner_id", "institution_id", "kind", "category", "programme_code", "programme_name",
            "certificate_id", "cert_level", "certificate_no", "date", "hours")
        for qs in bulk.ids_filter(record_qs, "id", ids):
            records.extend(qs)
        clock("records")
        if not records:
            return 0
        records.sort(key=lambda r: (r[1], r[10], r[0]))  # learner, date, record: the order of the chains
        for attempt in range(1, 4):
            try:
                with transaction.atomic():
                    created, deposits = _outcomes_write(records, clock=clock)
                break
            except IntegrityError:
                if attempt == 3:
                    raise
                logger.warning("outcomes_from_records: lost a race (attempt %s), repeating", attempt)
        logger.info("outcomes_from_records", extra={"records": len(record_ids), "outcomes": created,
                                                    "deposits": deposits, "phases": clock.phases})
        return created


def _outcomes_write(records: list[tuple], *, clock) -> tuple[int, int]:
    """The writing part of ``outcomes_from_records`` (one savepoint): returns (outcomes, deposits) created."""
    from . import bulk

    accounts = _accounts_for_learners(sorted({r[1] for r in records}), clock=clock)  # by learner id, locked
    live = set()
    for qs in bulk.ids_filter(Outcome.objects.exclude(status=OutcomeStatus.REVOKED), "record_id",
                              [r[0] for r in records]):
        live.update(qs.values_list("record_id", flat=True))
    if live:
        records = [r for r in records if r[0] not in live]
    clock("live_outcomes")
    if not records:
        return 0, 0

    rules = list(ValuationRule.objects.all())
    accreditation = defaultdict(dict)
    for inst_id, otype, flag in Accreditation.objects.filter(
            institution_id__in={r[2] for r in records}).values_list("institution_id", "outcome_type", "accredited"):
        accreditation[inst_id][otype] = flag
    year_totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    cert_totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    held_ids = [a.pk for a in accounts.values() if a.stored and not a.new]
    for qs in bulk.ids_filter(Outcome.objects.filter(status=OutcomeStatus.CERTIFIED), "account_id", held_ids):
        for acc, year, cert, total in qs.values_list("account_id", "date__year", "certificate_id").annotate(
                s=Sum("credits")).values_list("account_id", "date__year", "certificate_id", "s").order_by():
            year_totals[(acc, year)] += total or ZERO
            if cert is not None:
                cert_totals[(acc, cert)] += total or ZERO
    clock("rules_and_totals")

    now = timezone.now()
    rule_cache: dict = {}
    value_cache: dict = {}
    type_cache: dict = {}
    certified, submitted = OutcomeStatus.CERTIFIED.value, OutcomeStatus.SUBMITTED.value
    rows = []  # (record, account, type, status, credits, rule id)
    for rec in records:
        _rid, learner_id, inst_id, kind, category, _pc, _pn, cert_id, level, _no, date, hours = rec
        account = accounts[learner_id]
        otype = type_cache.get((kind, category))
        if otype is None:
            otype = type_cache[(kind, category)] = outcome_type_for_record(kind=kind, category=category).value
        flags = accreditation.get(inst_id, {})
        if not flags.get(otype, flags.get("", True)):
            rows.append((rec, account, otype, submitted, None, None))
            continue
        rule_key = (otype, date)
        if rule_key not in rule_cache:
            rule_cache[rule_key] = _rule_pick(rules, outcome_type=otype, date=date) or _default_rule(otype)
        rule = rule_cache[rule_key]
        level = level or ""
        if rule.year_cap is None and cert_id is None:  # nothing depends on what the learner already holds
            vkey = (id(rule), hours, level)
            credits = value_cache.get(vkey)
            if credits is None:
                credits = value_cache[vkey] = _value_of(rule, hours=hours, level=level, cert_id=None)
        else:
            year_key, cert_key = (account.pk, date.year), (account.pk, cert_id)
            credits = _value_of(rule, hours=hours, level=level, cert_id=cert_id,
                                certificate_total=cert_totals[cert_key] if cert_id else ZERO,
                                year_total=year_totals[year_key])
            if cert_id:
                cert_totals[cert_key] += credits
        year_totals[(account.pk, date.year)] += credits
        rows.append((rec, account, otype, certified, credits, rule.pk))
    clock("valued")

    outcome_ids = bulk.ids_allocate(Outcome, len(rows))  # PostgreSQL: ids known before anything is written
    timestamp = entry_timestamp(now)
    deposit = LedgerEntry.Kind.DEPOSIT.value
    source = OutcomeSource.RECORD.value
    entry_rows, touched = [], {}

    def outcome_rows(with_ids: bool) -> list[tuple]:
        out = []
        for i, (rec, account, otype, status, credits, rule_id) in enumerate(rows):
            rid, _l, inst_id, _k, _c, pcode, pname, cert_id, level, cert_no, date, hours = rec
            out.append((*((outcome_ids[i],) if with_ids else ()), account.pk, otype, (pname or pcode)[:200], inst_id,
                        source, rid, cert_id, level or "", cert_no or "", date, hours, status, credits, rule_id,
                        "", "", "", "", now if status == certified else None, now, now))
        return out

    def chain() -> None:  # the deposits, appended to each account's chain in order
        for (rec, account, _otype, status, credits, _rule), outcome_id in zip(rows, outcome_ids, strict=True):
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
        clock("entries_built")

    if outcome_ids is not None:
        chain()
        # Accounts opened by this run are written once, with their final chain heads; a learner given an account
        # concurrently, or an account-number collision, raises IntegrityError here (the caller repeats the run).
        bulk.rows_insert(LearnerAccount, ACCOUNT_COLUMNS, [
            (a.pk, learner_id, a.number, a.balance, a.last_seq, a.last_hash, now)
            for learner_id, a in accounts.items() if not a.stored])
        clock("accounts_inserted")
        bulk.rows_insert(Outcome, ("id", *OUTCOME_COLUMNS), outcome_rows(True))
        clock("outcomes_inserted")
    else:  # no sequence to draw from (SQLite): insert the outcomes, then read their ids back by record
        bulk.rows_insert(Outcome, OUTCOME_COLUMNS, outcome_rows(False))
        clock("outcomes_inserted")
        by_record = {}
        for qs in bulk.ids_filter(Outcome.objects.exclude(status=OutcomeStatus.REVOKED), "record_id",
                                  [row[0][0] for row in rows]):
            by_record.update(qs.values_list("record_id", "id"))
        outcome_ids = [by_record[row[0][0]] for row in rows]
        chain()
    bulk.rows_insert(LedgerEntry, ENTRY_COLUMNS, entry_rows)
    clock("entries_inserted")
    bulk.account_heads_update(LearnerAccount, [(a.pk, a.last_seq, a.last_hash, a.balance)
                                               for a in touched.values() if a.stored])
    clock("heads_saved")
    return len(rows), len(entry_rows)


ACCOUNT_COLUMNS = ("id", "learner_id", "number", "balance", "last_seq", "last_hash", "created_at")
OUTCOME_COLUMNS = ("account_id", "type", "title", "institution_id", "source", "record_id", "certificate_id",
                   "cert_level", "certificate_no", "date", "hours", "status", "credits", "rule_id", "reason",
                   "evidence", "evidence_name", "evidence_type", "certified_at", "created_at", "updated_at")
ENTRY_COLUMNS = ("account_id", "seq", "kind", "outcome_id", "application_id", "credits", "memo", "created_at",
                 "prev_hash", "hash")


class _PhaseClock:
    """Seconds spent in each phase of a bulk run (logged, so a slow import shows where its time went)."""

    def __init__(self):
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        self.phases[label] = round(self.phases.get(label, 0) + now - self._last, 3)
        self._last = now


def _value_of(rule: ValuationRule, *, hours, level: str, cert_id, certificate_total: Decimal = ZERO,
              year_total: Decimal = ZERO) -> Decimal:
    """``_value_with`` without an Outcome instance (same arithmetic: ledger.value_credits)."""
    return value_credits(
        kind=rule.kind, hours=hours, hours_per_credit=rule.hours_per_credit, level_credits=rule.level_credits(level),
        max_per_certificate=rule.max_per_certificate if cert_id else None, certificate_total=certificate_total,
        year_cap=rule.year_cap, year_total=year_total)


class _BulkAccount:
    """The chain head of an account while the bulk path appends to it.

    ``new``: opened by this run; ``stored``: its row exists already (locked), else it is inserted at the end.
    """

    __slots__ = ("pk", "number", "balance", "last_seq", "last_hash", "new", "stored")

    def __init__(self, pk, number, balance=ZERO, last_seq=0, last_hash="", *, new=False, stored=True):
        self.pk, self.number, self.balance, self.last_seq, self.last_hash = pk, number, balance, last_seq, last_hash
        self.new, self.stored = new, stored


def _accounts_for_learners(learner_ids: list[int], *, clock) -> dict[int, _BulkAccount]:
    """The learners' accounts by learner id: existing ones locked FOR UPDATE in id order; missing ones get ids
    from the table's sequence and are inserted later with their final heads (PostgreSQL), or are inserted
    now and read back (other databases)."""
    from . import bulk

    def lock(ids):
        found = {}
        for qs in bulk.ids_filter(LearnerAccount.objects.select_for_update().order_by("pk"), "learner_id", ids):
            for pk, learner_id, number, balance, last_seq, last_hash in qs.values_list(
                    "pk", "learner_id", "number", "balance", "last_seq", "last_hash"):
                found[learner_id] = _BulkAccount(pk, number, balance, last_seq, last_hash)
        return found

    accounts = lock(learner_ids)
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
        bulk.accounts_insert_missing(LearnerAccount, [(lid, account_number_generate()) for lid in missing], now)
        opened = lock(missing)
        for account in opened.values():
            account.new = True
        accounts.update(opened)
        missing = [lid for lid in missing if lid not in opened]  # a number collision: retry with new numbers
        if not missing:
            clock("accounts_new")
            return accounts
    raise RuntimeError("could not allocate account numbers")


# --- declarations ---------------------------------------------------------------------------------------

MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def evidence_check(*, upload) -> tuple[str, str]:
    """PDF, JPEG or PNG by their first bytes (not by name or declared type), at most 10 MB."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError("证明材料不能超过 10 MB。The evidence file must be 10 MB or smaller.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, mime, ext in MAGIC:
        if head.startswith(magic):
            return mime, ext
    raise ValidationError("证明材料须为 PDF、JPEG 或 PNG 文件。The evidence must be a PDF, JPEG or PNG file.")


@transaction.atomic
def declaration_submit(
    *, user, outcome_type: str, title: str, institution_id: int, date: datetime.date, evidence,
    hours: Decimal | None = None, certificate_id: int | None = None, cert_level: str = "", certificate_no: str = "",
) -> Outcome:
    """A learner declares an outcome with evidence; it always goes to the institution's review queue."""
    if outcome_type not in OutcomeType.values:
        raise ValidationError("未知的成果类型。Unknown outcome type.")
    if date > timezone.localdate():
        raise ValidationError("日期不能晚于今天。The date cannot be in the future.")
    if outcome_type in CERTIFICATE_TYPES and cert_level and cert_level not in LEVEL_ORDER:
        raise ValidationError("未知的证书等级。Unknown certificate level.")
    mime, ext = evidence_check(upload=evidence)
    account = account_for_user_get_or_create(user=user)
    outcome = Outcome(account=account, type=outcome_type, title=title[:200], institution_id=institution_id,
                      source=OutcomeSource.DECLARATION, date=date, hours=hours, certificate_id=certificate_id,
                      cert_level=cert_level, certificate_no=certificate_no, status=OutcomeStatus.SUBMITTED,
                      evidence_name=(getattr(evidence, "name", "") or "evidence")[:200], evidence_type=mime)
    outcome.evidence.save(f"{account.number}{ext}", evidence, save=False)
    outcome.save()
    return outcome


# --- notifications --------------------------------------------------------------------------------------


def notification_send(*, user, title: str, body: str = "", url: str = "") -> Notification:
    """In-app notice now; email/SMS through a Celery task after commit."""
    note = Notification.objects.create(user=user, title=title[:200], body=body, url=url)
    from .tasks import notification_deliver

    transaction.on_commit(lambda: notification_deliver.delay(note.pk))
    return note


def _notify_learner(account: LearnerAccount, *, title: str, body: str = "", url: str = "") -> None:
    user = Learner.objects.filter(pk=account.learner_id).values_list("user", flat=True).first()
    if user:
        from django.contrib.auth import get_user_model

        notification_send(user=get_user_model()(pk=user), title=title, body=body, url=url)


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at=None).update(read_at=timezone.now())


# --- conversion -----------------------------------------------------------------------------------------


def conversion_rule_matches(*, rule: ConversionRule, outcome: Outcome) -> bool:
    return (
        rule.is_active and outcome.status == OutcomeStatus.CERTIFIED and rule.outcome_type == outcome.type
        and (rule.certificate_id is None or rule.certificate_id == outcome.certificate_id)
        and LEVEL_ORDER.get(outcome.cert_level, 0) >= LEVEL_ORDER.get(rule.min_level, 0)
        and (outcome.credits or ZERO) >= rule.min_credits
    )


def _app_step(application: ConversionApplication, *, status: str, actor=None, reason: str = "") -> None:
    ApplicationStep.objects.create(application=application, status=status, actor=actor, reason=reason)
    label = ApplicationStatus(status).label
    _notify_learner(application.account, title=f"转换申请{label}：{application.programme_name}",
                    body=reason, url=f"/credits/applications/{application.pk}/")


@transaction.atomic
def conversion_application_submit(
    *, user, institution_id: int, programme_code: str, items: list[tuple[int, int]],
) -> ConversionApplication:
    """A learner applies outcomes to a programme: ``items`` are (outcome id, conversion rule id) pairs.

    Each outcome replaces at most one course; each course is asked for once; the programme's share cap holds.
    """
    if not items:
        raise ValidationError("请至少选择一项成果。Choose at least one outcome.")
    account = account_for_user_get_or_create(user=user)
    _lock_account(account.pk)
    outcome_ids = [o for o, _r in items]
    if len(set(outcome_ids)) != len(outcome_ids):
        raise ValidationError("一项成果只能转换一门课程。One outcome replaces at most one course.")
    outcomes = {o.pk: o for o in Outcome.objects.filter(pk__in=outcome_ids, account=account)}
    rules = {r.pk: r for r in ConversionRule.objects.filter(
        pk__in=[r for _o, r in items], institution_id=institution_id, programme_code=programme_code)}
    for outcome_id, rule_id in items:
        outcome, rule = outcomes.get(outcome_id), rules.get(rule_id)
        if outcome is None or rule is None or not conversion_rule_matches(rule=rule, outcome=outcome):
            raise ValidationError("所选成果与转换规则不符。A chosen outcome does not match the conversion rule.")
    if ConversionItem.objects.filter(outcome_id__in=outcome_ids, active=True).exists():
        raise ValidationError("所选成果已用于其他转换。A chosen outcome is already used in a conversion.")
    if len({r for _o, r in items}) != len(items):
        raise ValidationError("同一门课程只能申请一次。Each course can be asked for once.")
    first = next(iter(rules.values()))
    if first.share_cap_percent and first.programme_credits:
        earlier = ConversionItem.objects.filter(
            application__account=account, application__institution_id=institution_id,
            application__programme_code=programme_code, active=True).aggregate(s=Sum("credits"))["s"] or ZERO
        asked = sum((rules[r].credits for _o, r in items), ZERO)
        cap = first.programme_credits * first.share_cap_percent / 100
        if earlier + asked > cap:
            raise ValidationError(
                f"转换学分不能超过专业总学分的 {first.share_cap_percent}%（{cap} 学分）。"
                f"Converted credits may not exceed {first.share_cap_percent}% of the programme ({cap}).")
    application = ConversionApplication.objects.create(
        account=account, institution_id=institution_id, programme_code=programme_code,
        programme_name=first.programme_name)
    ConversionItem.objects.bulk_create([
        ConversionItem(application=application, outcome_id=o, rule_id=r, credits=rules[r].credits) for o, r in items])
    _app_step(application, status=ApplicationStatus.SUBMITTED, actor=user)
    return application


APP_ALLOWED = {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.UNDER_REVIEW},
    ApplicationStatus.UNDER_REVIEW: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.APPROVED: {ApplicationStatus.APPLIED},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.APPLIED: set(),
}


def _app_transition(*, actor, application: ConversionApplication, target: str, reason: str = "") -> ConversionApplication:
    institution_require_role(user=actor, institution_id=application.institution_id, roles=OFFICER_ROLES)
    application = ConversionApplication.objects.select_for_update().get(pk=application.pk)
    if target not in APP_ALLOWED[ApplicationStatus(application.status)]:
        raise TransitionError(f"申请状态不能从 {application.status} 变为 {target}。"
                              f"An application cannot go from {application.status} to {target}.")
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
        raise ValidationError("请填写不同意的理由。Please give a reason.")
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
    account = _lock_account(application.account_id)
    for item in application.items.select_related("rule", "outcome").order_by("pk"):
        _ledger_append(account=account, kind=LedgerEntry.Kind.CONVERSION, credits=item.credits, outcome=item.outcome,
                       application=application,
                       memo=f"{item.rule.course_name}（{item.rule.get_mode_display()}）"[:200])
    return application

"""Outcomes from learning records, one record at a time (the courses app and corrections).

The bulk path of imports is ``intake_bulk.outcomes_from_records``; both map a record to an outcome with
``outcome_type_for_record`` and value it by the same rules.
"""

from decimal import Decimal

from bianxue.accounts.services import audit_record
from bianxue.vocab import OUTCOME_RESULTS, Category, RecordKind
from django.db import transaction

from ..models import AccreditationBasis, Outcome, OutcomeSource, OutcomeStatus, OutcomeType
from .accounts import account_get_or_create
from .accreditation import accreditation_decide
from .four_eyes import entering_user_is_learner
from .outcomes import outcome_certify_locked, outcome_revoke_locked

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


def outcome_from_record(*, record, entered_by_id: int | None = None) -> Outcome | None:
    """Turn an eligible learning record into an outcome; certify and deposit it when an accreditation of the
    institution covers it (type, and certificate for exam results: an exam site); otherwise it waits in the
    bureau's queue (``accreditation_basis`` "outside"). The basis and the accreditation row are kept on the
    outcome (provenance).

    ``entered_by_id``: the user who entered the record (a teacher's exam result, an import batch's actor), kept
    on the outcome. Four eyes: when that user is the record's learner, nothing certifies on arrival; the outcome
    waits in the queue for another officer.

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
        basis, accreditation_id = accreditation_decide(institution_id=record.institution_id,
                                                       outcome_type=fields["type"],
                                                       certificate_id=record.certificate_id)
        outcome = Outcome.objects.create(account=account, record=record, source=OutcomeSource.RECORD,
                                         status=OutcomeStatus.SUBMITTED, entered_by_id=entered_by_id,
                                         accreditation_basis=basis, accreditation_id=accreditation_id, **fields)
        if basis != AccreditationBasis.OUTSIDE and not entering_user_is_learner(user_id=entered_by_id,
                                                                                 learner=record.learner):
            outcome_certify_locked(outcome=outcome)
        return outcome


def _close_for_correction(outcome: Outcome, *, reason: str) -> None:
    if outcome.status == OutcomeStatus.CERTIFIED:
        outcome_revoke_locked(outcome=outcome, reason=reason)
    else:  # never certified: nothing deposited; it leaves the queue as rejected
        outcome.status, outcome.reason = OutcomeStatus.REJECTED, reason
        outcome.record = None
        outcome.save(update_fields=["status", "reason", "record", "updated_at"])
    audit_record(actor=None, action="credits.outcome.correct", obj=outcome, institution_id=outcome.institution_id,
                 reason=reason)

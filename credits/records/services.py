"""Writes of learning records, one at a time (the courses app). Imports of whole submissions are in
``imports`` (bulk writes, the same content hash)."""

import datetime
from decimal import Decimal

from bianxue.accounts.services import audit_record
from bianxue.people.models import Learner
from bianxue.vocab import RESULTS_BY_KIND, Category, RecordKind
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import credits.services as credit_services

from .hashing import RECORD_FIELDS, record_content_hash
from .models import LearningRecord, RecordSource

__all__ = ["RECORD_FIELDS", "on_learner_merged", "record_content_hash", "record_upsert", "records_learner_move"]


@transaction.atomic
def record_upsert(
    *,
    institution_id: int,
    record_id: str,
    kind: str,
    learner: Learner,
    programme_code: str,
    category: str,
    date: datetime.date,
    result: str,
    programme_name: str = "",
    hours: Decimal | None = None,
    certificate_id: int | None = None,
    cert_level: str = "",
    certificate_no: str = "",
    district_code: str = "",
    source: str = RecordSource.PLATFORM,
    correction: bool = False,
    actor=None,
) -> tuple[LearningRecord, str]:
    """Record one training or exam record, idempotent on (institution, record_id).

    Returns (record, status) with status "created", "unchanged" or "corrected". A different row
    under an existing key is refused unless ``correction`` (which replaces it and audits).
    Eligible records are handed to the credit bank in the same transaction; ``actor`` (the user who entered
    the record, if any) is kept on the outcome as who entered it (four eyes).

    Past the ~60-line bound only by its signature (one keyword per column of the exchange format, 20 lines);
    the body reads top to bottom: check, compare with the stored row, write, hand over.
    """
    if kind not in RecordKind.values:
        raise ValidationError(_("未知的记录类型 %(kind)s。") % {"kind": kind})
    if result not in RESULTS_BY_KIND[RecordKind(kind)]:
        raise ValidationError(_("结果 %(result)s 不适用于类型 %(kind)s。") % {"result": result, "kind": kind})
    if category not in Category.values:
        raise ValidationError(_("未知的类别 %(category)s。") % {"category": category})
    if date > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    values = {
        "learner_id": learner.pk,
        "kind": kind,
        "name": learner.name,
        "birth_year": learner.birth_year,
        "district_code": district_code or learner.district_code,
        "programme_code": programme_code,
        "programme_name": programme_name,
        "category": category,
        "certificate_id": certificate_id,
        "cert_level": cert_level,
        "date": date,
        "hours": hours,
        "result": result,
        "certificate_no": certificate_no,
    }
    content_hash = record_content_hash(values)
    existing = (
        LearningRecord.objects.select_for_update().filter(institution_id=institution_id, record_id=record_id).first()
    )
    if existing is None:
        record = LearningRecord.objects.create(
            institution_id=institution_id, record_id=record_id, source=source, content_hash=content_hash, **values
        )
        status = "created"
    elif existing.content_hash == content_hash:
        return existing, "unchanged"
    elif not correction:
        raise ValidationError(
            _("记录 %(record_id)s 已存在且内容不同；如需更正请以更正方式提交。") % {"record_id": record_id}
        )
    else:
        before = {f: str(getattr(existing, f)) for f in ("learner_id", *RECORD_FIELDS)}
        for key, value in values.items():
            setattr(existing, key, value)
        existing.content_hash = content_hash
        existing.save()
        audit_record(actor=actor, action="record.correct", obj=existing, institution_id=institution_id,
                     data={"before": before})
        record, status = existing, "corrected"

    credit_services.outcome_from_record(record=record, entered_by_id=actor.pk if actor is not None else None)
    return record, status


@transaction.atomic
def records_learner_move(*, source, target) -> int:
    """A merged learner's learning records and roster rows follow the surviving learner (a roster row of the
    same year and institution the target already has stays behind). Returns the rows moved."""
    from .models import StudentRoster

    moved = LearningRecord.objects.filter(learner=source).update(learner=target)
    taken = set(StudentRoster.objects.filter(learner=target).values_list("year", "institution_id"))
    for year, institution_id in StudentRoster.objects.filter(learner=source).values_list("year", "institution_id"):
        if (year, institution_id) not in taken:
            moved += StudentRoster.objects.filter(learner=source, year=year, institution_id=institution_id).update(
                learner=target)
    return moved


def on_learner_merged(sender, *, source, target, **kwargs) -> None:
    """Receiver of ``bianxue.people.signals.learner_merged`` (connected in RecordsConfig.ready)."""
    records_learner_move(source=source, target=target)

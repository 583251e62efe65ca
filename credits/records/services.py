"""Writes of learning records. The courses app and the importer both come through here."""

import datetime
import hashlib
from decimal import Decimal

from bianxue.accounts.services import audit_record
from bianxue.people.models import Learner
from bianxue.vocab import RESULTS_BY_KIND, Category, RecordKind
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import LearningRecord, RecordSource

RECORD_FIELDS = (
    "kind", "name", "birth_year", "district_code", "programme_code", "programme_name", "category",
    "certificate_id", "cert_level", "date", "hours", "result", "certificate_no",
)


def record_content_hash(values: dict) -> str:
    """Canonical hash of a record's content (learner included), used to detect identical re-submissions."""
    parts = []
    for key in _HASH_KEYS:
        value = values.get(key)
        if value is None:
            parts.append("")
        elif isinstance(value, Decimal):
            parts.append(format(value.quantize(_TENTH), "f"))
        elif isinstance(value, datetime.date):
            parts.append(value.isoformat())
        else:
            parts.append(str(value))
    # Field values never contain the unit separator (CSV cells and codes), so the join is unambiguous.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


_HASH_KEYS = ("learner_id", *RECORD_FIELDS)
_TENTH = Decimal("0.1")


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
    Eligible records are handed to the credit bank in the same transaction.
    """
    if kind not in RecordKind.values:
        raise ValidationError(f"未知的记录类型 {kind}。Unknown record kind {kind}.")
    if result not in RESULTS_BY_KIND[RecordKind(kind)]:
        raise ValidationError(f"结果 {result} 不适用于类型 {kind}。Result {result} does not fit kind {kind}.")
    if category not in Category.values:
        raise ValidationError(f"未知的类别 {category}。Unknown category {category}.")
    if date > timezone.localdate():
        raise ValidationError("日期不能晚于今天。The date cannot be in the future.")
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
            f"记录 {record_id} 已存在且内容不同；如需更正请以更正方式提交。"
            f"Record {record_id} exists with different content; submit it as a correction."
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

    from credits.services import outcome_from_record

    outcome_from_record(record=record)
    return record, status


# --- data exchange format v1: the importer's entry point -----------------------------------------

# Roles that may import for their own institution(s): registrars keep rosters and results, credit
# officers certify them. Teachers record their own classes through the courses app instead.
IMPORT_ROLES = ("registrar", "credit_officer")


def import_allowed_codes(*, actor) -> set[str] | None:
    """Institution codes ``actor`` may submit rows for; None means any (bureau admin or command line)."""
    from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin
    from django.core.exceptions import PermissionDenied

    if actor is None or user_is_bureau_admin(user=actor):
        return None
    codes = set(institutions_for_user(user=actor, roles=IMPORT_ROLES).values_list("code", flat=True))
    if not codes:
        raise PermissionDenied("只有机构教务或学分认定员、教育局管理员可以导入数据。"
                               "Only registrars, credit officers and bureau administrators may import.")
    return codes


def submission_import(*, path_or_file, actor=None, correction: bool = False, dry_run: bool = False,
                      batch=None, progress=None, refresh_snapshots: bool = True):
    """Import a submission in data exchange format v1, all or nothing.

    Validates every row of every file first and collects every error; writes nothing if there is
    any (or if ``dry_run``). Otherwise writes in one transaction with bulk operations, hands the
    new and corrected records to the credit bank in the same transaction, records an ImportBatch
    and an audit entry, and refreshes the indicator snapshots after commit.
    Returns an ImportReport (errors, counts per file).
    """
    from .importer.parsing import parse_submission
    from .importer.report import ImportReport
    from .importer.validation import submission_validate
    from .importer.writing import plan_write
    from .models import ImportBatch

    allowed = import_allowed_codes(actor=actor)
    report = ImportReport(dry_run=dry_run, correction=correction)
    if batch is None:
        source = getattr(path_or_file, "name", None) or str(path_or_file)
        batch = ImportBatch.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None, source=str(source)[:255],
            correction=correction, dry_run=dry_run, status=ImportBatch.Status.RUNNING)
    report.batch_id = batch.pk
    parsed = parse_submission(path_or_file)
    plan, errors, _ = submission_validate(parsed, allowed_codes=allowed, correction=correction)
    report.errors = errors
    if errors or dry_run:
        from .importer.writing import _count

        if not errors:
            report.counts = {name: _count(getattr(plan, name)) for name in plan.files}
        batch.status = ImportBatch.Status.INVALID if errors else ImportBatch.Status.VALID
        batch.counts = {k: v.as_dict() for k, v in report.counts.items()}
        batch.errors = [e.__dict__ for e in errors[: ImportBatch.MAX_STORED_ERRORS]]
        batch.error_count = len(errors)
        batch.finished_at = timezone.now()
        batch.save()
        return report

    def on_progress(done: int, total: int) -> None:
        if progress:
            progress(done, total)

    with transaction.atomic():
        counts, created_ids, corrected_ids = plan_write(plan, actor=actor, progress=on_progress)
        report.counts = counts
        report.credit_bank = records_to_credit_bank(created_ids=created_ids, corrected_ids=corrected_ids)
        batch.status = ImportBatch.Status.DONE
        batch.counts = {k: v.as_dict() for k, v in counts.items()}
        batch.credit_bank = report.credit_bank[:200]
        batch.finished_at = timezone.now()
        batch.save()
        audit_record(actor=actor, action="records.import", obj=batch,
                     data={"source": batch.source, "correction": correction, "counts": batch.counts})
        years = sorted({s["year"] for s in plan.students} | {r["date"].year for r in plan.records})
        if refresh_snapshots:
            transaction.on_commit(lambda: _snapshots_refresh_later(years))
    return report


def records_to_credit_bank(*, created_ids: list[int], corrected_ids: list[int]) -> str:
    """Hand imported records to the credit bank through its services, in the caller's transaction:
    new records in bulk (outcomes_from_records); corrected ones one by one (outcome_from_record revokes
    the old outcome and makes the new one). Only if the credit bank provides these services."""
    import credits.services as credit_services

    parts = []
    if created_ids:
        if hasattr(credit_services, "outcomes_from_records"):
            made = credit_services.outcomes_from_records(record_ids=created_ids)
            parts.append(f"outcomes_from_records: {len(created_ids)} records, {made} outcomes")
        else:
            parts.append("outcomes_from_records not available: new records not handed over")
    if corrected_ids:
        if hasattr(credit_services, "outcome_from_record"):
            for record in LearningRecord.objects.filter(pk__in=corrected_ids).order_by("pk"):
                credit_services.outcome_from_record(record=record)
            parts.append(f"outcome_from_record: {len(corrected_ids)} corrected records")
        else:
            parts.append("outcome_from_record not available: corrections not handed over")
    return "; ".join(parts)


def _snapshots_refresh_later(years: list[int]) -> None:
    from .tasks import indicator_snapshots_refresh

    indicator_snapshots_refresh.delay(years=years or None)


# --- the upload page: stored uploads, validated first, imported on confirmation -----------------

UPLOAD_ASYNC_BYTES = 2 * 1024 * 1024  # larger uploads run in a Celery task with a progress bar


def upload_store(*, actor, files, correction: bool = False):
    """Save uploaded .csv/.xlsx files for a new ImportBatch (validation first: dry run). Returns the batch."""
    import os
    import uuid

    from django.conf import settings
    from django.core.exceptions import ValidationError

    from .models import ImportBatch

    import_allowed_codes(actor=actor)  # PermissionDenied for users who may not import
    if not files:
        raise ValidationError("请选择要上传的文件。Choose the files to upload.")
    folder = os.path.join(settings.MEDIA_ROOT, "imports", uuid.uuid4().hex)
    os.makedirs(folder, exist_ok=True)
    names = []
    for upload in files:
        name = os.path.basename(upload.name)
        if not name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(f"只接受 .csv 或 .xlsx 文件：{name}。Only .csv or .xlsx files: {name}.")
        with open(os.path.join(folder, name), "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        names.append(name)
    batch = ImportBatch.objects.create(actor=actor, source=", ".join(names)[:255], upload_dir=folder,
                                       correction=correction, dry_run=True, status=ImportBatch.Status.PENDING)
    audit_record(actor=actor, action="records.upload", obj=batch, data={"files": names})
    return batch


def upload_size(*, batch) -> int:
    import os

    return sum(os.path.getsize(os.path.join(batch.upload_dir, f)) for f in os.listdir(batch.upload_dir))


def upload_batch_start(*, batch, actor, confirm: bool = False):
    """Validate (first) or import (on confirmation) a stored upload; large ones go to a Celery task."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from .models import ImportBatch
    from .tasks import submission_import_run

    if batch.actor_id != getattr(actor, "pk", None):
        raise PermissionDenied("这不是您的上传。This is not your upload.")
    if confirm:
        if batch.status != ImportBatch.Status.VALID or not batch.dry_run:
            raise ValidationError("只能确认已通过校验的上传。Only a validated upload can be confirmed.")
        batch.dry_run = False
    batch.status = ImportBatch.Status.PENDING
    batch.progress_done, batch.progress_total = 0, 0
    batch.save(update_fields=["dry_run", "status", "progress_done", "progress_total"])
    if upload_size(batch=batch) > UPLOAD_ASYNC_BYTES:
        transaction.on_commit(lambda: submission_import_run.delay(batch.pk))
    else:
        upload_batch_run(batch_id=batch.pk)
    return batch


def upload_progress(*, batch_id: int) -> tuple[int, int] | None:
    """(done, total) of a running upload, from the cache (the write transaction is not visible yet)."""
    from django.core.cache import cache

    return cache.get(f"records-import-progress-{batch_id}")


def upload_batch_run(*, batch_id: int) -> str:
    """Run a stored upload (validation or import). Safe to run twice: a finished batch is left alone."""
    from django.core.cache import cache

    from .models import ImportBatch

    batch = ImportBatch.objects.select_related("actor").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch.status
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    key = f"records-import-progress-{batch_id}"

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), 3600)

    try:
        submission_import(path_or_file=batch.upload_dir, actor=batch.actor, correction=batch.correction,
                          dry_run=batch.dry_run, batch=batch, progress=progress)
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, errors=[{"file": "", "row": 0, "column": "", "zh": "导入失败",
                                                     "en": f"Import failed: {exc.__class__.__name__}"}],
            finished_at=timezone.now())
        raise
    finally:
        cache.delete(key)
    batch.refresh_from_db()
    ImportBatch.objects.filter(pk=batch_id).update(progress_done=1, progress_total=1)
    return batch.status

"""Importing a submission in data exchange format v1: every door (command, upload page, demo, benchmark)
comes through here.

upload (stored files) → parse → validate (every error) → write (one transaction, bulk) → hand-off to
the credit bank → ImportBatch and audit → indicator snapshots refreshed after commit. Large uploads run
in a Celery task (``submission_import_run``, defined here next to what it runs). This module depends on
the importer package; nothing in the importer depends on it.
"""

import datetime
import os
import shutil
import uuid

from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin
from bianxue.accounts.services import audit_record
from bianxue.files import private_root
from bianxue.outbox.services import outbox_enqueue
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import credits.services as credit_services  # called through the module: the benchmark times these calls
from credits.selectors import outcomes_for_bureau_count

from .importer.parsing import parse_submission
from .importer.plan import Plan
from .importer.report import ImportIssue, ImportReport
from .importer.validation import submission_validate
from .importer.writing import plan_write
from .models import ImportBatch, LearningRecord
from .selectors import record_rows_for_outcomes

# Roles that may import for their own institution(s): registrars keep rosters and results, credit
# officers certify them. Teachers record their own classes through the courses app instead.
IMPORT_ROLES = ("registrar", "credit_officer")
UPLOAD_ASYNC_BYTES = 2 * 1024 * 1024  # larger uploads run in a Celery task with a progress bar
# A run that claimed a batch this long ago and never finished died with its worker: the batch may be run again.
STUCK_AFTER = datetime.timedelta(minutes=30)
WAITING_AFTER = datetime.timedelta(minutes=2)  # a queued batch not started by then may be resumed by hand


def import_allowed_codes(*, actor) -> set[str] | None:
    """Institution codes ``actor`` may submit rows for; None means any (bureau admin or command line)."""
    if actor is None or user_is_bureau_admin(user=actor):
        return None
    codes = set(institutions_for_user(user=actor, roles=IMPORT_ROLES).values_list("code", flat=True))
    if not codes:
        raise PermissionDenied(_("只有机构教务或学分认定员、教育局管理员可以导入数据。"))
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
    allowed = import_allowed_codes(actor=actor)
    report = ImportReport(dry_run=dry_run, correction=correction)
    if batch is None:
        source = getattr(path_or_file, "name", None) or str(path_or_file)
        batch = ImportBatch.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None, source=str(source)[:255],
            correction=correction, dry_run=dry_run, status=ImportBatch.Status.RUNNING)
    report.batch_id = batch.pk
    parsed = parse_submission(path_or_file)
    plan, errors, _checker = submission_validate(parsed, allowed_codes=allowed, correction=correction)
    report.errors = errors
    if errors or dry_run:
        _batch_checked(batch, report, plan, errors)
    else:
        _plan_apply(batch, report, plan, actor=actor, correction=correction, progress=progress,
                    refresh_snapshots=refresh_snapshots)
    return report


def _batch_checked(batch: ImportBatch, report: ImportReport, plan: Plan, errors: list[ImportIssue]) -> None:
    """A validation only (dry run) or a refused submission: the batch records the counts or errors."""
    if not errors:
        report.counts = plan.counts()
    report.files = {name: plan.display(name) for name in report.counts}
    batch.status = ImportBatch.Status.INVALID if errors else ImportBatch.Status.VALID
    batch.counts = _batch_counts(report.counts, plan)
    batch.errors = [e.__dict__ for e in errors[: ImportBatch.MAX_STORED_ERRORS]]
    batch.error_count = len(errors)
    batch.finished_at = timezone.now()
    batch.save()


def _batch_counts(counts: dict, plan: Plan) -> dict:
    """The batch's counts per file, each with the name the submission gave the file (``book.xlsx:records``)."""
    return {name: {**c.as_dict(), "file": plan.display(name)} for name, c in counts.items()}


def _plan_apply(batch: ImportBatch, report: ImportReport, plan: Plan, *, actor, correction: bool, progress,
                refresh_snapshots: bool) -> None:
    """Write the plan and hand the records to the credit bank, in one transaction."""
    def on_progress(done: int, total: int) -> None:
        if progress:
            progress(done, total)

    with transaction.atomic():
        counts, created_ids, corrected_ids = plan_write(plan, actor=actor, progress=on_progress)
        report.counts = counts
        report.files = {name: plan.display(name) for name in counts}
        report.credit_bank = records_to_credit_bank(created_ids=created_ids, corrected_ids=corrected_ids,
                                                    actor=actor)
        report.review_by_bureau = outcomes_for_bureau_count(record_ids=created_ids + corrected_ids)
        batch.review_by_bureau = report.review_by_bureau
        batch.status = ImportBatch.Status.DONE
        batch.counts = _batch_counts(counts, plan)
        batch.credit_bank = report.credit_bank[:200]
        batch.finished_at = timezone.now()
        batch.save()
        audit_record(actor=actor, action="records.import", obj=batch,
                     data={"source": batch.source, "correction": correction, "counts": batch.counts})
        years = sorted({s["year"] for s in plan.students} | {r["date"].year for r in plan.records})
        if refresh_snapshots:
            outbox_enqueue(task="credits.records.tasks.indicator_snapshots_refresh", kwargs={"years": years or None})


def records_to_credit_bank(*, created_ids: list[int], corrected_ids: list[int], actor=None) -> str:
    """Hand imported records to the credit bank through its services, in the caller's transaction:
    new records in bulk (outcomes_from_records); corrected ones one by one (outcome_from_record revokes
    the old outcome and makes the new one). ``actor`` (the batch's user) is kept as who entered them."""
    parts = []
    entered_by_id = actor.pk if actor is not None else None
    if created_ids:
        made = credit_services.outcomes_from_records(records=record_rows_for_outcomes(record_ids=created_ids),
                                                     entered_by_id=entered_by_id)
        parts.append(f"outcomes_from_records: {len(created_ids)} records, {made} outcomes")
    if corrected_ids:
        for record in LearningRecord.objects.filter(pk__in=corrected_ids).order_by("pk"):
            credit_services.outcome_from_record(record=record, entered_by_id=entered_by_id)
        parts.append(f"outcome_from_record: {len(corrected_ids)} corrected records")
    return "; ".join(parts)


# --- the upload page: stored uploads, validated first, imported on confirmation -----------------

def upload_store(*, actor, files, correction: bool = False) -> ImportBatch:
    """Save uploaded .csv/.xlsx files for a new ImportBatch (validation first: dry run). Returns the batch."""
    import_allowed_codes(actor=actor)  # PermissionDenied for users who may not import
    if not files:
        raise ValidationError(_("请选择要上传的文件。"))
    for upload in files:
        name = os.path.basename(upload.name)
        if not name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("只接受 .csv 或 .xlsx 文件：%(name)s。") % {"name": name})
        if upload.size > settings.IMPORT_MAX_FILE_BYTES:
            raise ValidationError(_("上传的文件太大：上限为 %(mb)s MB。") % {
                "mb": f"{settings.IMPORT_MAX_FILE_BYTES / 1024 / 1024:g}"})
    # Private storage: resident ID numbers and names in plain text, so never under MEDIA_ROOT; deleted when
    # the import commits or fails (upload_files_delete), or after IMPORT_UPLOAD_RETENTION_HOURS unconfirmed.
    folder = os.path.join(private_root(), "imports", uuid.uuid4().hex)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    names = []
    for upload in files:
        name = os.path.basename(upload.name)
        with open(os.path.join(folder, name), "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        names.append(name)
    batch = ImportBatch.objects.create(actor=actor, source=", ".join(names)[:255], upload_dir=folder,
                                       correction=correction, dry_run=True, status=ImportBatch.Status.PENDING)
    audit_record(actor=actor, action="records.upload", obj=batch, data={"files": names})
    return batch


def upload_size(*, batch) -> int:
    return sum(os.path.getsize(os.path.join(batch.upload_dir, f)) for f in os.listdir(batch.upload_dir))


def upload_files_delete(*, batch_id: int) -> None:
    """Delete a batch's uploaded files (its report, counts and errors stay on the batch)."""
    folder = ImportBatch.objects.filter(pk=batch_id).values_list("upload_dir", flat=True).first()
    if not folder:
        return
    root = os.path.join(private_root(), "imports")
    if os.path.commonpath([os.path.realpath(folder), os.path.realpath(root)]) == os.path.realpath(root):
        shutil.rmtree(folder, ignore_errors=True)
    ImportBatch.objects.filter(pk=batch_id).update(upload_dir="")


def uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of validated uploads nobody confirmed within IMPORT_UPLOAD_RETENTION_HOURS, and of any
    finished batch whose files are still there. Returns how many batches lost their files."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS)
    finished = [ImportBatch.Status.DONE, ImportBatch.Status.INVALID, ImportBatch.Status.FAILED]
    stale = ImportBatch.objects.exclude(upload_dir="").filter(
        models.Q(status__in=finished) | models.Q(status=ImportBatch.Status.VALID, created_at__lt=cutoff))
    ids = list(stale.values_list("pk", flat=True))
    for batch_id in ids:
        upload_files_delete(batch_id=batch_id)
    return len(ids)


def upload_batch_start(*, batch, actor, confirm: bool = False):
    """Validate (first) or import (on confirmation) a stored upload; large ones go to a Celery task."""
    if batch.actor_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("这不是您的上传。"))
    if confirm:
        if batch.status != ImportBatch.Status.VALID or not batch.dry_run:
            raise ValidationError(_("只能确认已通过校验的上传。"))
        if not batch.upload_dir or not os.path.isdir(batch.upload_dir):
            raise ValidationError(_("上传的文件已超过保留时间被删除，请重新上传。"))
        batch.dry_run = False
    batch.status = ImportBatch.Status.PENDING
    batch.progress_done, batch.progress_total = 0, 0
    batch.save(update_fields=["dry_run", "status", "progress_done", "progress_total"])
    if upload_size(batch=batch) > UPLOAD_ASYNC_BYTES:
        outbox_enqueue(task="credits.records.tasks.submission_import_run", kwargs={"batch_id": batch.pk})
    else:
        upload_batch_run(batch_id=batch.pk)
    return batch


def upload_batch_is_stuck(*, batch, now: datetime.datetime | None = None) -> bool:
    """Queued and not started for a while (the broker was down), or claimed by a run that died."""
    now = now or timezone.now()
    if batch.status == ImportBatch.Status.PENDING:
        return (batch.started_at or batch.created_at) < now - WAITING_AFTER  # queued (or resumed) that long ago
    return batch.status == ImportBatch.Status.RUNNING and (batch.started_at is None
                                                          or batch.started_at < now - STUCK_AFTER)


def upload_batch_resume(*, batch, actor) -> None:
    """Queue a stuck import again (its own uploader only); the run's claim keeps it from running twice."""
    if batch.actor_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("这不是您的上传。"))
    if not upload_batch_is_stuck(batch=batch):
        raise ValidationError(_("这次导入没有卡住，无需继续。"))
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
        status=ImportBatch.Status.PENDING, started_at=timezone.now())
    audit_record(actor=actor, action="records.import.resume", obj=batch, data={"status": batch.status})
    outbox_enqueue(task="credits.records.tasks.submission_import_run", kwargs={"batch_id": batch.pk})


def _progress_key(batch_id: int) -> str:
    return f"records-import-progress-{batch_id}"


def upload_progress(*, batch_id: int) -> tuple[int, int] | None:
    """(done, total) of a running upload, from the cache (the write transaction is not visible yet)."""
    return cache.get(_progress_key(batch_id))


def _runnable(now: datetime.datetime) -> models.Q:
    running = models.Q(status=ImportBatch.Status.RUNNING)
    return (models.Q(status=ImportBatch.Status.PENDING)
            | (running & (models.Q(started_at=None) | models.Q(started_at__lt=now - STUCK_AFTER))))


def upload_batch_run(*, batch_id: int) -> str:
    """Run a stored upload (validation or import). Safe to run twice, and to deliver twice: the run claims the
    batch first, so a finished batch, or one another worker is running, is left alone."""
    now = timezone.now()
    claimed = ImportBatch.objects.filter(_runnable(now), pk=batch_id).update(
        status=ImportBatch.Status.RUNNING, started_at=now)
    batch = ImportBatch.objects.select_related("actor").get(pk=batch_id)
    if not claimed:
        return batch.status
    key = _progress_key(batch_id)

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
        upload_files_delete(batch_id=batch_id)
        raise
    finally:
        cache.delete(key)
    batch.refresh_from_db()
    ImportBatch.objects.filter(pk=batch_id).update(progress_done=1, progress_total=1)
    if batch.status != ImportBatch.Status.VALID:  # committed or refused: only a validated upload waits
        upload_files_delete(batch_id=batch_id)
    return batch.status


@shared_task(name="credits.records.tasks.submission_import_run")
def submission_import_run(batch_id: int) -> str:
    """Run an uploaded submission stored under the batch's upload_dir (the upload page's large files)."""
    return upload_batch_run(batch_id=batch_id)


@shared_task(name="credits.records.tasks.uploads_purge", ignore_result=True)
def uploads_purge_task() -> int:
    """Hourly: delete uploaded import files that are no longer needed (beat: records.uploads_purge)."""
    return uploads_purge()

"""Celery tasks of the records app: thin wrappers around services, safe to run twice."""

from celery import shared_task


@shared_task(name="credits.records.tasks.indicator_snapshots_refresh")
def indicator_snapshots_refresh(years: list[int] | None = None) -> int:
    """Recompute the indicator snapshots (city, districts, institutions with data) for ``years``
    (every year with data when None: the nightly beat run)."""
    from .indicators import snapshots_refresh

    return snapshots_refresh(years=years)


@shared_task(name="credits.records.tasks.submission_import_run")
def submission_import_run(batch_id: int) -> str:
    """Run an uploaded submission stored under the batch's upload_dir (the upload page's large files)."""
    from .services import upload_batch_run

    return upload_batch_run(batch_id=batch_id)

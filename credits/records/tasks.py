"""Celery tasks of the records app: thin wrappers around services, safe to run twice.

Each task is defined next to the work it runs (so that what enqueues it needs no import of this module):
the snapshot refresh in ``indicators``, the upload run in ``imports``. Importing this module (Celery's
autodiscovery does) registers them under their ``credits.records.tasks.*`` names.
"""

from .imports import submission_import_run, uploads_purge_task
from .indicators import indicator_snapshots_refresh

__all__ = ["indicator_snapshots_refresh", "submission_import_run", "uploads_purge_task"]

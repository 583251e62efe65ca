"""`make bench`: generate 100,000 records (with institutions and students), import them, compute indicators.

The import is timed by phase (parse, validate, write, credit bank hand-off, the rest = ImportBatch,
audit and commit), wall clock and this process's CPU. On PostgreSQL "write" includes the deferred
foreign-key checks of the rows it wrote (forced right after it); the credit bank's are checked at commit.
"""

import functools
import logging
import tempfile
import time
from pathlib import Path

from bianxue.timing import PhaseClock
from django.db import connection
from django.test.utils import CaptureQueriesContext

import credits.services as credit_services

from . import imports
from .generate import generate_submission
from .indicators import indicators_compute


def _timed(clock: PhaseClock, module, name: str, label: str, restore: list) -> None:
    """Replace ``module.name`` by the same function timed under ``label`` (undone from ``restore``)."""
    original = getattr(module, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        with clock.timed(label):
            return original(*args, **kwargs)

    setattr(module, name, timed)
    restore.append((module, name, original))


def _with_fk_checks(write):
    """PostgreSQL: the records' deferred FK checks counted in "write", not at commit."""
    @functools.wraps(write)
    def write_and_check(*args, **kwargs):
        result = write(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return result

    return write_and_check


def import_100k(records: int = 100_000) -> None:
    logging.getLogger("credits.records.importer.writing").setLevel(logging.DEBUG)  # the write phases
    clock = PhaseClock()
    restore: list = []
    if connection.vendor == "postgresql":
        restore.append((imports, "plan_write", imports.plan_write))
        imports.plan_write = _with_fk_checks(imports.plan_write)
    _timed(clock, imports, "parse_submission", "parse", restore)
    _timed(clock, imports, "submission_validate", "validate", restore)
    _timed(clock, imports, "plan_write", "write", restore)
    _timed(clock, credit_services, "outcomes_from_records", "credit bank", restore)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            summary = generate_submission(Path(tmp) / "bench", records=records, seed=20251,
                                          prefix=f"B{time.time_ns()}-")
            print(f"generated {summary} in {time.perf_counter() - started:.1f}s ({connection.vendor})")
            started, cpu = time.perf_counter(), time.process_time()
            report = imports.submission_import(path_or_file=Path(tmp) / "bench", actor=None, refresh_snapshots=False)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        for module, name, original in reversed(restore):
            setattr(module, name, original)
    if not report.ok:
        print("import refused:", *[str(e) for e in report.errors[:20]], sep="\n  ")
        return
    print(f"import: {elapsed:.1f}s (CPU {cpu:.1f}s)  " + "; ".join(report.summary_lines()))
    credit = clock.seconds.get("credit bank", (0.0, 0.0))[0]
    named = sum(w for w, _ in clock.seconds.values())
    parts = [f"{label} {w:.1f}s (CPU {c:.1f}s)" for label, (w, c) in clock.seconds.items()]
    print("  phases: " + ", ".join(parts) + f", batch/audit/commit {elapsed - named:.1f}s")
    print(f"  records import alone (without credits.services.outcomes_from_records): {elapsed - credit:.1f}s; "
          f"credit bank hand-off: {credit:.1f}s")
    print(f"  credit bank: {report.credit_bank}")
    for year in (2024, 2025):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            indicators_compute(year=year)
        print(f"indicators {year} (city): {time.perf_counter() - started:.2f}s, {len(ctx.captured_queries)} queries")

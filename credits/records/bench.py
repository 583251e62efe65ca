"""`make bench`: generate 100,000 records (with institutions and students), import them, compute indicators.

The import is timed by phase (parse, validate, write, credit bank hand-off, the rest = ImportBatch,
audit and commit), wall clock and this process's CPU. On PostgreSQL "write" includes the deferred
foreign-key checks of the rows it wrote (forced right after it); the credit bank's are checked at commit.
"""

import tempfile
import time
from pathlib import Path


class _Phases:
    """Wraps module functions that submission_import calls, recording wall and CPU seconds."""

    def __init__(self):
        self.seconds: dict[str, tuple[float, float]] = {}
        self._restore = []

    def wrap(self, module, name: str, label: str) -> None:
        original = getattr(module, name, None)
        if original is None:
            return

        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                w, c = self.seconds.get(label, (0.0, 0.0))
                self.seconds[label] = (w + time.perf_counter() - wall, c + time.process_time() - cpu)

        setattr(module, name, timed)
        self._restore.append((module, name, original))

    def restore(self) -> None:
        for module, name, original in reversed(self._restore):
            setattr(module, name, original)


def import_100k(records: int = 100_000) -> None:
    import logging

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import credits.services as credit_services

    from . import services as record_services
    from .generate import generate_submission
    from .importer import parsing, validation, writing
    from .indicators import indicators_compute

    logging.getLogger("credits.records.importer.writing").setLevel(logging.DEBUG)  # the write phases
    phases = _Phases()
    phases.wrap(parsing, "parse_submission", "parse")
    phases.wrap(validation, "submission_validate", "validate")
    if connection.vendor == "postgresql":  # the records' deferred FK checks counted in "write", not at commit
        original_write = writing.plan_write

        def write_and_check(*args, **kwargs):
            result = original_write(*args, **kwargs)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return result

        writing.plan_write = write_and_check
        phases._restore.insert(0, (writing, "plan_write", original_write))
    phases.wrap(writing, "plan_write", "write")
    phases.wrap(credit_services, "outcomes_from_records", "credit bank")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            summary = generate_submission(Path(tmp) / "bench", records=records, seed=20251,
                                          prefix=f"B{time.time_ns()}-")
            print(f"generated {summary} in {time.perf_counter() - started:.1f}s ({connection.vendor})")
            started, cpu = time.perf_counter(), time.process_time()
            report = record_services.submission_import(path_or_file=Path(tmp) / "bench", actor=None,
                                                       refresh_snapshots=False)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        phases.restore()
    if not report.ok:
        print("import refused:", *[str(e) for e in report.errors[:20]], sep="\n  ")
        return
    print(f"import: {elapsed:.1f}s (CPU {cpu:.1f}s)  " + "; ".join(report.summary_lines()))
    credit = phases.seconds.get("credit bank", (0.0, 0.0))[0]
    named = sum(w for w, _ in phases.seconds.values())
    parts = [f"{label} {w:.1f}s (CPU {c:.1f}s)" for label, (w, c) in phases.seconds.items()]
    print("  phases: " + ", ".join(parts) + f", batch/audit/commit {elapsed - named:.1f}s")
    print(f"  records import alone (without credits.services.outcomes_from_records): {elapsed - credit:.1f}s; "
          f"credit bank hand-off: {credit:.1f}s")
    print(f"  credit bank: {report.credit_bank}")
    for year in (2024, 2025):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            indicators_compute(year=year)
        print(f"indicators {year} (city): {time.perf_counter() - started:.2f}s, {len(ctx.captured_queries)} queries")

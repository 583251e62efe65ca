"""`make bench`: generate 100,000 records (with institutions and students), import them, compute indicators."""

import tempfile
import time
from pathlib import Path


def import_100k() -> None:
    import logging

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import credits.services as credit_services

    from .generate import generate_submission
    from .indicators import indicators_compute
    from .services import submission_import

    logging.getLogger("credits.records.importer.writing").setLevel(logging.DEBUG)  # the write phases
    handoff = {}
    original = getattr(credit_services, "outcomes_from_records", None)
    if original is not None:
        def timed(**kwargs):
            t = time.perf_counter()
            result = original(**kwargs)
            handoff["seconds"] = time.perf_counter() - t
            return result

        credit_services.outcomes_from_records = timed
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = generate_submission(Path(tmp) / "bench", records=100_000, seed=20251, prefix=f"B{int(time.time())}-")
        print(f"generated {summary} in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        report = submission_import(path_or_file=Path(tmp) / "bench", actor=None, refresh_snapshots=False)
        elapsed = time.perf_counter() - started
        if not report.ok:
            print("import refused:", *[str(e) for e in report.errors[:20]], sep="\n  ")
            return
        print(f"import: {elapsed:.1f}s  " + "; ".join(report.summary_lines()))
        credit = handoff.get("seconds", 0.0)
        print(f"of which credit bank hand-off (credits.services.outcomes_from_records): {credit:.1f}s; "
              f"records import alone: {elapsed - credit:.1f}s")
        print(f"credit bank: {report.credit_bank}")
    if original is not None:
        credit_services.outcomes_from_records = original
    for year in (2024, 2025):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            indicators_compute(year=year)
        print(f"indicators {year} (city): {time.perf_counter() - started:.2f}s, {len(ctx.captured_queries)} queries")

"""`make bench`: benchmarks. Each app adds its measurements to BENCHMARKS."""

import os
import sys

BENCHMARKS: list[tuple[str, str]] = []
BENCHMARKS.append(("records: import 100,000 records, then indicators", "credits.records.bench.import_100k"))
BENCHMARKS.append(("home page first load: CSS+JS gzip weight (budget 150 KB)", "frontend.perf.bench_home_weight"))
BENCHMARKS.append(("credits: outcomes + ledger for 100,000 records (bulk path), then verify", "credits.bench.bulk_outcomes"))
BENCHMARKS.append(("courses: /learn/ and 我的学习 with 300 courses × 12 lessons, 6,000 enrolments",
                   "courses.bench.catalog_and_my_learning"))
BENCHMARKS.append(("search: search_run and search_suggest on 10,000 courses (PostgreSQL), p50/p95",
                   "search.bench.search_10k"))
BENCHMARKS.append(("community: 300 websocket clients in one live room, fan-out p50/p95, stored exactly once",
                   "community.bench.live_room_fanout"))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianxue.settings.dev")
    import django

    django.setup()
    if not BENCHMARKS:
        print("no benchmarks yet")
    for label, dotted in BENCHMARKS:
        module, func = dotted.rsplit(".", 1)
        print(f"== {label}")
        getattr(__import__(module, fromlist=[func]), func)()
    return 0


if __name__ == "__main__":
    sys.exit(main())

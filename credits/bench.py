"""`make bench`: the bulk path of the credit bank (outcomes + ledger for 100,000 imported records)."""

import datetime
import os
from decimal import Decimal

from bianxue.timing import PhaseClock


class _Rollback(Exception):
    pass


class _ServerCpu:
    """CPU seconds of this connection's PostgreSQL backend since creation (from /proc when the server is local)."""

    def __init__(self, connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.start = self._read()

    def _read(self) -> float | None:
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def seconds(self) -> float | None:
        now = self._read()
        return None if now is None or self.start is None else now - self.start


def bulk_outcomes(n: int | None = None) -> None:
    """Insert n records (default 100,000) for n/2 learners, time outcomes_from_records, then roll back."""
    from bianxue.institutions.models import District, Institution
    from bianxue.people.services import LearnerSpec, learners_bulk_get_or_create
    from django.db import connection, transaction

    from credits.records.models import LearningRecord
    from credits.records.selectors import record_rows_for_outcomes
    from credits.selectors import ledger_verify
    from credits.services import outcomes_from_records

    n = n or int(os.environ.get("BENCH_CREDIT_RECORDS", "100000"))
    try:
        with transaction.atomic():
            district, _ = District.objects.get_or_create(code="410202", defaults={"name": "龙亭区"})
            inst = Institution.objects.create(code="BENCH-CB", name="基准测试机构", type="community_college",
                                              district=district)
            ids = learners_bulk_get_or_create(specs=[LearnerSpec(identifier=f"BENCH{i:08d}", name=f"学员{i}")
                                                     for i in range(n // 2)])
            learner_ids = list(ids.values())
            LearningRecord.objects.bulk_create([
                LearningRecord(institution=inst, record_id=f"B{i}", kind="training", learner_id=learner_ids[i % len(
                    learner_ids)], name="学员", programme_code="P", programme_name="社区课程", category="community",
                    date=datetime.date(2025, 1 + i % 12, 1), hours=Decimal(8 + i % 40), result="completed",
                    content_hash=str(i)) for i in range(n)], batch_size=5000)
            record_ids = list(LearningRecord.objects.filter(institution=inst).values_list("pk", flat=True))
            postgres = connection.vendor == "postgresql"
            if postgres:  # run the records' deferred foreign-key checks now, outside the timing
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            server = _ServerCpu(connection) if postgres else None
            clock = PhaseClock()
            created = outcomes_from_records(records=record_rows_for_outcomes(record_ids=record_ids))
            clock("outcomes_from_records")
            if postgres:  # the deferred foreign-key checks a commit would run, timed (the bench rolls back)
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                clock("deferred_checks")
                print(f"deferred foreign-key checks of the new rows (paid at commit): "
                      f"{clock.seconds['deferred_checks'][0]:.1f} s")
            took = sum(wall for wall, _cpu in clock.seconds.values())
            print(f"outcomes_from_records: {created} outcomes + ledger entries in {took:.1f} s "
                  f"({created / took:,.0f}/s)")
            used = f"CPU used: this process {sum(cpu for _wall, cpu in clock.seconds.values()):.1f} s"
            if server and server.seconds() is not None:
                used += f", database backend {server.seconds():.1f} s"
            print(used + f" (load average {os.getloadavg()[0]:.1f}: on a busy machine wall time exceeds CPU time)")
            with clock.timed("ledger_verify"):
                problems = sum(1 for _ in ledger_verify())
            print(f"ledger_verify over them: {problems} problems in {clock.seconds['ledger_verify'][0]:.1f} s")
            from credits.checkpoints import ledger_heads_root

            with clock.timed("checkpoint_root"):
                root, chains = ledger_heads_root(upto_entry=2**62)
            print(f"checkpoint root over {chains} chain heads (signing or verifying one): "
                  f"{clock.seconds['checkpoint_root'][0]:.2f} s")
            raise _Rollback
    except _Rollback:
        pass

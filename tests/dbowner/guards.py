"""What only the owner of the append-only tables can do: switch their guard triggers off for a while.

PostgreSQL: ``ALTER TABLE … DISABLE TRIGGER`` then ``ENABLE ALWAYS TRIGGER`` (owner only; the application's
role is refused both). SQLite: the triggers' own SQL read from sqlite_master, the triggers dropped, then
created again from that SQL. Everything in one transaction, so a failure leaves the guards as they were.
"""

from contextlib import contextmanager

from django.db import connections, transaction

from credits.guards import APPEND_ONLY_TABLES, guard_trigger_names


@contextmanager
def owner_guard_suspended(using: str = "default"):
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            names = [(t, n) for t in APPEND_ONLY_TABLES for n in guard_trigger_names(t, vendor="postgresql")]
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while deferred FK checks wait
            for table, name in names:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
            yield
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name in names:
                cur.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                        f"({', '.join('%s' for _ in APPEND_ONLY_TABLES)})", list(APPEND_ONLY_TABLES))
            saved = cur.fetchall()
            for name, _sql in saved:
                cur.execute(f'DROP TRIGGER "{name}"')
            yield
            for _name, sql in saved:
                cur.execute(sql)
        else:
            yield

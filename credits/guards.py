"""The database's own guard of the append-only tables (the ledger and its checkpoints).

Migration 0005 (``ledger_guards_and_checkpoints``) installs, on each table of ``APPEND_ONLY_TABLES``:

* PostgreSQL: ``<table>_append_only`` (BEFORE UPDATE OR DELETE, each row) and ``<table>_append_only_truncate``
  (BEFORE TRUNCATE), both calling ``credits_append_only_refuse()`` and enabled ALWAYS, so that
  ``SET session_replication_role = replica`` does not skip them. The application's role (``db_app_role``) may
  only SELECT and INSERT there and cannot alter, disable or drop a trigger (only the owner can);
* SQLite: ``<table>_append_only_update`` and ``<table>_append_only_delete`` (RAISE(ABORT, …)); SQLite has no
  TRUNCATE, and ``DELETE FROM`` without WHERE fires the DELETE trigger.

``guard_problems`` says what is missing or switched off (``verify_ledger`` reports it).
"""

from django.db import connection as default_connection

APPEND_ONLY_TABLES = ("credits_ledgerentry", "credits_ledgercheckpoint")
REFUSE_FUNCTION = "credits_append_only_refuse"


def guard_trigger_names(table: str, *, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"{table}_append_only", f"{table}_append_only_truncate"]
    return [f"{table}_append_only_update", f"{table}_append_only_delete"]


def guard_problems(*, connection=None) -> list[str]:
    """One message per guard trigger that is missing (or, on PostgreSQL, not enabled ALWAYS)."""
    connection = connection or default_connection
    vendor = connection.vendor
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute(
                "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) AND c.relname = ANY(%s)",
                [list(APPEND_ONLY_TABLES)])
            found = {(table, name): enabled for table, name, enabled in cur.fetchall()}
        elif vendor == "sqlite":
            cur.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                        f"({', '.join('%s' for _ in APPEND_ONLY_TABLES)})", list(APPEND_ONLY_TABLES))
            found = {(table, name): "A" for table, name in cur.fetchall()}
        else:
            return [f"no append-only guard on {vendor}"]
    problems = []
    for table in APPEND_ONLY_TABLES:
        for name in guard_trigger_names(table, vendor=vendor):
            state = found.get((table, name))
            if state is None:
                problems.append(f"{table}: append-only trigger {name} is missing")
            elif state != "A":
                problems.append(f"{table}: append-only trigger {name} is not enabled ALWAYS (state {state!r})")
    return problems

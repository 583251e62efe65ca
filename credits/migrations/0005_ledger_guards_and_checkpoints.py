"""The ledger guarded below the application: UPDATE, DELETE and TRUNCATE refused on the ledger and on the new
checkpoints table, on PostgreSQL and SQLite alike (see credits/guards.py).

PostgreSQL: the row and TRUNCATE triggers are enabled ALWAYS (``session_replication_role = replica`` does not
skip them), replacing 0002's trigger. ``credits_ledger_quiesce()`` (SECURITY DEFINER, owned by the owner) lets
the application's role, which may not lock the ledger itself, wait for in-flight inserts and read the highest
entry id: every entry up to it is then final (see credits/services/checkpoints.py).
SQL kept here verbatim (a migration does not change when the code does); names in credits/guards.py.
"""

from django.db import migrations, models

TABLES = ("credits_ledgerentry", "credits_ledgercheckpoint")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION credits_append_only_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""

PG_QUIESCE = """
CREATE OR REPLACE FUNCTION credits_ledger_quiesce() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    LOCK TABLE credits_ledgerentry IN SHARE MODE;
    RETURN (SELECT coalesce(max(id), 0) FROM credits_ledgerentry);
END;
$$
"""


def pg_forward(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION credits_append_only_refuse()",
        f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION credits_append_only_refuse()",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_append_only",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_append_only_truncate",
    ]


def sqlite_forward(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
    ]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("SELECT quote_ident(current_schema())")
            schema = cur.fetchone()[0]
        statements = [PG_FUNCTION, "DROP TRIGGER IF EXISTS credits_ledger_append_only ON credits_ledgerentry",
                      "DROP FUNCTION IF EXISTS credits_ledger_refuse_change()"]
        for table in TABLES:
            statements += pg_forward(table)
        statements += [PG_QUIESCE.format(schema=schema),
                       "REVOKE ALL ON FUNCTION credits_ledger_quiesce() FROM PUBLIC"]
    elif vendor == "sqlite":
        statements = [s for table in TABLES for s in sqlite_forward(table)]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = ["DROP FUNCTION IF EXISTS credits_ledger_quiesce()"]
        for table in TABLES:
            statements += [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                           f"DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}"]
        statements.append("DROP FUNCTION IF EXISTS credits_append_only_refuse()")
        # 0002's guard again (UPDATE and DELETE on the ledger)
        statements += [
            "CREATE OR REPLACE FUNCTION credits_ledger_refuse_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'credits_ledgerentry is append-only: % refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END; $$ LANGUAGE plpgsql",
            "CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE OR DELETE ON credits_ledgerentry "
            "FOR EACH ROW EXECUTE FUNCTION credits_ledger_refuse_change()",
        ]
    elif vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {table}_append_only_{op}" for table in TABLES
                      for op in ("update", "delete")]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("credits", "0004_outcome_entered_by")]

    operations = [
        migrations.CreateModel(
            name="LedgerCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("root", models.CharField(max_length=64, verbose_name="根哈希 root")),
                ("leaves", models.PositiveIntegerField(verbose_name="账户链数 chains")),
                ("upto_entry", models.BigIntegerField(verbose_name="覆盖至账本记录 up to entry")),
                ("created_at", models.DateTimeField(verbose_name="时间 created at")),
                ("key_id", models.CharField(max_length=64, verbose_name="签名密钥 key id")),
                ("signature", models.TextField(verbose_name="签名 signature (JWS)")),
            ],
            options={
                "verbose_name": "账本检查点 ledger checkpoint",
                "verbose_name_plural": "账本检查点 ledger checkpoints",
            },
        ),
        migrations.RunPython(forward, backward),
    ]

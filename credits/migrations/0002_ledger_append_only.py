"""On PostgreSQL the database itself refuses UPDATE and DELETE on the ledger table."""

from django.db import migrations

TABLE = "credits_ledgerentry"

FORWARD = f"""
CREATE OR REPLACE FUNCTION credits_ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'credits_ledgerentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS credits_ledger_append_only ON {TABLE};
CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION credits_ledger_refuse_change();
"""

BACKWARD = f"""
DROP TRIGGER IF EXISTS credits_ledger_append_only ON {TABLE};
DROP FUNCTION IF EXISTS credits_ledger_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

"""The application's PostgreSQL role (``db_app_role``): connected as it, every way around the append-only guard
is refused, while what the application does works. The role is created in the test database by the command and
dropped afterwards through the owner's connection.

PostgreSQL only (roles and grants are PostgreSQL's; SQLite has no roles): skipped on SQLite, run in CI.
"""

from decimal import Decimal

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from credits.checkpoints import ledger_checkpoint_create
from credits.models import LearnerAccount, LedgerCheckpoint, LedgerEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PASSWORD = "app-role-test-secret"


@pytest.fixture
def app_role(monkeypatch):
    """A role named after the test database (roles are cluster-wide: parallel runs use different databases)."""
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", PASSWORD)
    call_command("db_app_role", role=name, password_env="TEST_APP_DB_PASSWORD")
    call_command("db_app_role", role=name, password_env="TEST_APP_DB_PASSWORD")  # re-runnable
    yield name
    with connection.cursor() as cur:  # the owner cleans up
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name])
        cur.execute(f'DROP OWNED BY "{name}"')
        cur.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def as_app(app_role):
    s = connection.settings_dict
    conn = psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, dbname=s["NAME"], user=app_role,
                           password=PASSWORD, autocommit=True)
    yield conn
    conn.close()


@pytest.fixture
def ledger(make_record, rules, learner):
    make_record(learner=learner, hours=Decimal("32"))
    ledger_checkpoint_create()
    return LearnerAccount.objects.get(learner=learner)


BYPASSES = [
    "UPDATE {table} SET id = id",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
    "DROP TRIGGER {table}_append_only ON {table}",
    "SET session_replication_role = replica",
    "ALTER TABLE {table} OWNER TO CURRENT_USER",
    "DROP TABLE {table}",
]


@pytest.mark.parametrize("table", ["credits_ledgerentry", "credits_ledgercheckpoint"])
def test_every_bypass_of_the_guard_is_refused_to_the_application_role(ledger, as_app, table):
    for template in BYPASSES:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_app.execute(template.format(table=table))
    assert LedgerEntry.objects.count() == 1 and LedgerCheckpoint.objects.count() == 1
    row = as_app.execute("SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
                         "WHERE rolname = current_user").fetchone()
    assert row == (False, False, False, False)  # the application's role holds no power of its own


def test_the_application_role_reads_and_appends_and_has_full_dml_elsewhere(ledger, as_app):
    entry = LedgerEntry.objects.get()
    assert as_app.execute("SELECT count(*) FROM credits_ledgerentry").fetchone() == (1,)
    as_app.execute(
        "INSERT INTO credits_ledgerentry (account_id, seq, kind, credits, memo, created_at, prev_hash, hash) "
        "VALUES (%s, 2, 'conversion', 1.0, 'x', now(), %s, %s)", [ledger.pk, entry.hash, "f" * 64])
    assert as_app.execute("SELECT credits_ledger_quiesce()").fetchone()[0] == LedgerEntry.objects.latest("id").pk
    as_app.execute("UPDATE credits_learneraccount SET last_seq = 2 WHERE id = %s", [ledger.pk])
    as_app.execute("DELETE FROM notifications_notification")
    assert LedgerEntry.objects.count() == 2 and LearnerAccount.objects.get().last_seq == 2


def test_the_application_code_runs_as_the_application_role(ledger, app_role, make_record, learner):
    """The writes the application makes (deposits through the ORM, the bulk path's sequences, checkpoints with
    the quiesce function) need nothing more than the role's grants."""
    with connection.cursor() as cur:
        cur.execute(f'SET ROLE "{app_role}"')
    try:
        make_record(learner=learner, hours=Decimal("16"))
        checkpoint, created = ledger_checkpoint_create()
        with pytest.raises(Exception, match="permission denied"), connection.cursor() as cur:
            cur.execute("DELETE FROM credits_ledgerentry")
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET ROLE")
    assert created and checkpoint.upto_entry == LedgerEntry.objects.latest("id").pk


def test_the_command_refuses_the_owner_itself_and_an_empty_password(db):
    owner = connection.settings_dict["USER"] or "postgres"
    with pytest.raises(CommandError, match="owner"):
        call_command("db_app_role", role=owner)
    with pytest.raises(CommandError, match="empty"):
        call_command("db_app_role", role="x_app", password_env="SURELY_UNSET_VARIABLE_X")

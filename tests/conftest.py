"""Shared fixtures. Tests that need a real service are marked; locally they skip without it,
in CI (CI=true) a missing service fails the run instead of skipping."""

import os

import pytest

pytest_plugins = ["tests.browser_harness"]


def _service_missing(marker: str) -> str | None:
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if marker == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "DATABASE_URL does not point at PostgreSQL"
    return None


def pytest_runtest_setup(item):
    for marker in ("redis", "postgres"):
        if item.get_closest_marker(marker):
            missing = _service_missing(marker)
            if missing:
                if os.environ.get("CI"):
                    pytest.fail(f"CI requires this service: {missing}")
                pytest.skip(missing)


@pytest.fixture(scope="session", autouse=True)
def _fast_postgresql_flush():
    """Transactional tests (browser/live-server tests, ``transaction=True``) end with Django's flush, which on
    PostgreSQL is one TRUNCATE of every table: about 3 s here for ~100 tables (new files for every table and
    index), paid after each such test. The tables hold a handful of rows by then, so DELETE is ~100x faster.
    Same end state: every table empty, sequences not reset (as Django's flush without reset_sequences).
    Triggers (the foreign-key checks) are skipped for the flush with session_replication_role = replica, which
    needs a superuser (CI connects as postgres); otherwise, and for reset_sequences/allow_cascade, Django's
    TRUNCATE is used unchanged. The credit ledger's append-only triggers fire even in replica mode (enabled
    ALWAYS): the test-only ``flush`` command (tests/dbowner) switches them off as the owner around either."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if tables and not reset_sequences and not allow_cascade and _is_superuser(self.connection):
            return ["SET LOCAL session_replication_role = replica"] + [
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}" for table in tables]
        return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


def _is_superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def districts(db):
    from bianxue.institutions import demo
    from bianxue.institutions.services import district_upsert

    return [district_upsert(code=c, name=n, kind=k) for c, n, k in demo.DISTRICTS]


@pytest.fixture(autouse=True)
def _force_login_as_after_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a complete sign-in: for a user with a TOTP device the session
    also records that the second factor was used, as allauth records it after the code prompt. Tests of the
    sign-in door itself sign in through the forms, or use ``tests.factories.sign_in_without_second_factor``."""
    from django.test import Client

    from tests.factories import session_record_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session_record_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_password_only", original, raising=False)

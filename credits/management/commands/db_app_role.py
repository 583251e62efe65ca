"""The application's PostgreSQL role, created or brought back to exactly its grants; run by the owner after migrate.

The role may SELECT, INSERT, UPDATE and DELETE on every table of the schema, use its sequences, and on the
append-only tables (credits.guards.APPEND_ONLY_TABLES: the ledger and its checkpoints) only SELECT and INSERT.
It owns nothing, so it can neither alter, disable nor drop a trigger, nor TRUNCATE, nor set
session_replication_role. Default privileges give it the same DML on the tables later migrations create (run
this command again after every migrate: the compose ``migrate`` service does). Re-runnable: every grant is
revoked and given again in one transaction, and the password is set when given.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import errors, sql

from credits.guards import APPEND_ONLY_TABLES

ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"


class Command(BaseCommand):
    help = ("Create or update the application's database role (PostgreSQL; run as the owner after migrate). "
            "创建或更新应用的数据库角色：账本只读可追加。")

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the role the web, worker and beat services connect as")
        parser.add_argument("--password-env", default="",
                            help="name of the environment variable holding the role's password (never on the "
                                 "command line)")

    def handle(self, *args, role: str, password_env: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_app_role is for PostgreSQL only. 仅适用于 PostgreSQL。")
        password = None
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"the environment variable {password_env} is empty. 密码环境变量为空。")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT current_user, current_database(), current_schema()")
            owner, database, schema = cur.fetchone()
            if role == owner:
                raise CommandError(f"{role} is the owner this command runs as; the application needs a role of its "
                                   "own. 应用须使用独立角色。")

            def run(template: str, *literals, **identifiers):
                statement = sql.SQL(template).format(
                    *map(sql.Literal, literals), **{k: sql.Identifier(v) for k, v in identifiers.items()})
                cur.execute(statement.as_string(connection.connection))

            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            created = False
            if cur.fetchone() is None:
                try:
                    with transaction.atomic():
                        run(f"CREATE ROLE {{role}} {ATTRIBUTES}", role=role)
                    created = True
                except errors.DuplicateObject:  # created meanwhile by a parallel run
                    pass
            run(f"ALTER ROLE {{role}} {ATTRIBUTES}", role=role)
            if password is not None:
                run("ALTER ROLE {role} PASSWORD {}", password, role=role)
            cur.execute("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                        "WHERE r.rolname = %s AND c.relnamespace = current_schema()::regnamespace", [role])
            if cur.fetchone()[0]:
                raise CommandError(f"{role} owns objects in schema {schema}: an owner bypasses every grant; "
                                   "reassign them to the owner first (REASSIGN OWNED). 应用角色不得拥有表。")
            names = {"role": role, "owner": owner, "database": database, "schema": schema}
            for template in (
                "GRANT CONNECT ON DATABASE {database} TO {role}",
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
                "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
                "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
                "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            ):
                run(template, **names)
            for table in APPEND_ONLY_TABLES:
                run("REVOKE ALL ON {table} FROM {role}", table=table, role=role)
                run("GRANT SELECT, INSERT ON {table} TO {role}", table=table, role=role)
            run("GRANT EXECUTE ON FUNCTION credits_ledger_quiesce() TO {role}", role=role)
        self.stdout.write(f"role {role} {'created' if created else 'updated'}: DML on schema {schema}, SELECT and "
                          f"INSERT only on {', '.join(APPEND_ONLY_TABLES)}. 应用角色已就绪。")

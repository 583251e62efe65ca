"""The credit bank's account rows in bulk: opened and their chain heads written in one statement each on
PostgreSQL (``unnest`` of array literals), ``executemany`` elsewhere (the bulk path of ``intake_bulk``)."""

from bianxue.bulk import int_array, is_postgresql
from django.db import connection

from ..models import LearnerAccount


def accounts_insert_missing(pairs: list[tuple[int, str]], created_at) -> None:
    """Open accounts for (learner id, account number) pairs; rows that clash on a unique key are skipped
    (the caller looks again and retries with new numbers)."""
    if not pairs:
        return
    table = connection.ops.quote_name(LearnerAccount._meta.db_table)
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                f"INSERT INTO {table} (learner_id, number, balance, last_seq, last_hash, created_at) "
                "SELECT v.l, v.n, 0, 0, '', %s FROM unnest(%s::bigint[], %s::text[]) AS v(l, n) "
                "ON CONFLICT DO NOTHING",
                [created_at, int_array(p[0] for p in pairs), "{" + ",".join(p[1] for p in pairs) + "}"])
            return
        ts = connection.ops.adapt_datetimefield_value(created_at)
        cursor.executemany(
            f"INSERT INTO {table} (learner_id, number, balance, last_seq, last_hash, created_at) "
            "VALUES (%s, %s, '0', 0, '', %s) ON CONFLICT DO NOTHING", [(lid, num, ts) for lid, num in pairs])


def account_heads_update(heads: list[tuple[int, int, str, object]]) -> None:
    """Write (account id, last_seq, last_hash, balance) of many locked accounts in one statement."""
    if not heads:
        return
    table = connection.ops.quote_name(LearnerAccount._meta.db_table)
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                f"UPDATE {table} AS a SET last_seq = v.s, last_hash = v.h, balance = v.b "
                "FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::numeric[]) AS v(id, s, h, b) "
                "WHERE a.id = v.id",
                [int_array(h[0] for h in heads), int_array(h[1] for h in heads),
                 "{" + ",".join(h[2] for h in heads) + "}", "{" + ",".join(format(h[3], "f") for h in heads) + "}"])
            return
        field = LearnerAccount._meta.get_field("balance")
        cursor.executemany(
            f"UPDATE {table} SET last_seq = %s, last_hash = %s, balance = %s WHERE id = %s",
            [(seq, digest, connection.ops.adapt_decimalfield_value(balance, field.max_digits, field.decimal_places),
              pk) for pk, seq, digest, balance in heads])

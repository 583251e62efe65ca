"""Set-based helpers of the credit bank's bulk path (``services.outcomes_from_records``).

No business rules here, only the mechanics of reading and writing many rows cheaply:

* ``ids_filter``: ``col = ANY('{…}'::bigint[])`` on PostgreSQL (one parameter, whatever the number of ids),
  chunks of ``IN (…)`` elsewhere;
* ``rows_insert``: ``COPY … FROM STDIN`` through psycopg 3 on PostgreSQL, one ``executemany`` elsewhere
  (no model instances, no per-field preparation);
* ``ids_allocate``: ids for new rows taken from the table's sequence on PostgreSQL, so that outcomes, entries
  and accounts can reference each other before anything is written (no RETURNING needed);
* ``accounts_insert_missing`` and ``account_heads_update``: one statement each on PostgreSQL (``unnest`` of
  array literals), ``executemany`` elsewhere.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

CHUNK = 5000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _int_array(ids: Iterable[int]) -> str:
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def ids_filter(qs: QuerySet, field: str, ids: Sequence[int]) -> Iterator[QuerySet]:
    """Querysets that together cover ``field IN ids`` (one on PostgreSQL, chunks of 5,000 elsewhere)."""
    if not ids:
        return
    if is_postgresql():
        model = qs.model
        column = model._meta.get_field(field).column
        table = connection.ops.quote_name(model._meta.db_table)
        yield qs.filter(RawSQL(f"{table}.{connection.ops.quote_name(column)} = ANY(%s::bigint[])",  # noqa: S611
                               [_int_array(ids)], output_field=BooleanField()))
        return
    for start in range(0, len(ids), CHUNK):
        yield qs.filter(**{f"{field}__in": ids[start:start + CHUNK]})


def rows_insert(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain tuples (values in ``columns`` order, Python values) without model instances."""
    if not rows:
        return
    table = model._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            with connection.wrap_database_errors, cursor.cursor.copy(
                    f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for start in range(0, len(rows), 10000):
                    copy.write("".join(map(copy_line, rows[start:start + 10000])))
            return
        fields = {f.column: f for f in model._meta.concrete_fields}
        adapters = [_adapter(fields[c]) for c in columns]
        if any(adapters):
            rows = [tuple(v if a is None or v is None else a(v) for a, v in zip(adapters, row, strict=True))
                    for row in rows]
        sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start:start + 20000])


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_datetime(value: datetime.datetime, _cache: dict = {}) -> str:  # noqa: B006 - a deliberate memo
    text = _cache.get(value)
    if text is None:
        if len(_cache) > 1000:
            _cache.clear()
        text = _cache[value] = value.isoformat()
    return text


_COPY_TEXT = {
    str: lambda v: v.translate(_COPY_ESCAPES),
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    Decimal: lambda v: format(v, "f"),
    datetime.date: datetime.date.isoformat,
    datetime.datetime: _copy_datetime,
}


def _copy_value(value) -> str:
    conv = _COPY_TEXT.get(type(value))
    if conv is not None:
        return conv(value)
    for kind in (bool, int, str, Decimal, datetime.datetime, datetime.date):  # subclasses (e.g. TextChoices)
        if isinstance(value, kind):
            return _COPY_TEXT[kind](kind(value) if kind in (int, str) else value)
    raise TypeError(f"no COPY text form for {type(value).__name__}")


def copy_line(row: tuple) -> str:
    """One line of PostgreSQL's COPY text format (tab-separated, \\N for NULL, backslash escapes)."""
    return "\t".join([_copy_value(v) for v in row]) + "\n"


def _adapter(field):
    """The backend's adaptation of dates, datetimes and decimals (what get_db_prep_save would do)."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        cache: dict = {}

        def adapt(value):  # a bulk import writes one timestamp many times
            if value not in cache:
                cache[value] = ops.adapt_datetimefield_value(value)
            return cache[value]

        return adapt
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def ids_allocate(model, count: int) -> list[int] | None:
    """``count`` fresh primary keys from the table's sequence (PostgreSQL); None elsewhere."""
    if not is_postgresql() or not count:
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, count])
        return [row[0] for row in cursor.fetchall()]


def accounts_insert_missing(model, pairs: list[tuple[int, str]], created_at) -> None:
    """Open accounts for (learner id, account number) pairs; rows that clash on a unique key are skipped
    (the caller looks again and retries with new numbers)."""
    if not pairs:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                f"INSERT INTO {table} (learner_id, number, balance, last_seq, last_hash, created_at) "  # noqa: S608
                "SELECT v.l, v.n, 0, 0, '', %s FROM unnest(%s::bigint[], %s::text[]) AS v(l, n) "
                "ON CONFLICT DO NOTHING",
                [created_at, _int_array(p[0] for p in pairs), "{" + ",".join(p[1] for p in pairs) + "}"])
            return
        ts = connection.ops.adapt_datetimefield_value(created_at)
        cursor.executemany(
            f"INSERT INTO {table} (learner_id, number, balance, last_seq, last_hash, created_at) "  # noqa: S608
            "VALUES (%s, %s, '0', 0, '', %s) ON CONFLICT DO NOTHING", [(lid, num, ts) for lid, num in pairs])


def account_heads_update(model, heads: list[tuple[int, int, str, object]]) -> None:
    """Write (account id, last_seq, last_hash, balance) of many locked accounts in one statement."""
    if not heads:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                f"UPDATE {table} AS a SET last_seq = v.s, last_hash = v.h, balance = v.b "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::numeric[]) AS v(id, s, h, b) "
                "WHERE a.id = v.id",
                [_int_array(h[0] for h in heads), _int_array(h[1] for h in heads),
                 "{" + ",".join(h[2] for h in heads) + "}", "{" + ",".join(format(h[3], "f") for h in heads) + "}"])
            return
        field = model._meta.get_field("balance")
        cursor.executemany(
            f"UPDATE {table} SET last_seq = %s, last_hash = %s, balance = %s WHERE id = %s",  # noqa: S608
            [(seq, digest, connection.ops.adapt_decimalfield_value(balance, field.max_digits, field.decimal_places),
              pk) for pk, seq, digest, balance in heads])

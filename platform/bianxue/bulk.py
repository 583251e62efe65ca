"""Set-based reads and writes of many rows: the one bulk toolkit (credit bank hand-off, records importer).

No business rules here, only the mechanics of reading and writing many rows cheaply:

* ``chunks``: a list cut into lists of ``size`` (the chunked ``IN (…)`` reads of every bulk path);
* ``ids_filter``: ``col = ANY('{…}'::bigint[])`` on PostgreSQL (one parameter, whatever the number of ids),
  chunks of ``IN (…)`` elsewhere; ``int_array`` and ``text_array`` build such array literals;
* ``rows_insert`` (plain tuples) and ``dicts_insert`` (dicts with the same keys): ``COPY … FROM STDIN``
  through psycopg 3 on PostgreSQL, with the text lines built here, one formatter per column chosen once
  (several times faster than psycopg's per-value adaptation for 100,000 rows); one ``executemany``
  elsewhere, values adapted by the backend as the ORM would. No model instances, no per-field preparation;
* ``ids_allocate``: ids for new rows taken from the table's sequence on PostgreSQL, so that rows can
  reference each other before anything is written (no RETURNING, no second query).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

CHUNK = 5000  # ids per IN (…) list of ids_filter off PostgreSQL
WRITE_CHUNK = 10000  # rows per COPY write or executemany call


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """``items`` (any iterable: list, set, dict keys) as consecutive lists of at most ``size``."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def int_array(ids: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers, passed as one parameter."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def text_array(values: Iterable[str]) -> str:
    """A PostgreSQL array literal of strings (every element quoted, quotes and backslashes escaped),
    passed as one parameter: psycopg's client-side adaptation of a list costs ~1 s per 50,000 strings."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def ids_filter(qs: QuerySet, field: str, ids: Sequence[int]) -> Iterator[QuerySet]:
    """Querysets that together cover ``field IN ids`` (one on PostgreSQL, chunks of ``CHUNK`` elsewhere)."""
    if not ids:
        return
    if is_postgresql():
        model = qs.model
        column = model._meta.get_field(field).column
        table = connection.ops.quote_name(model._meta.db_table)
        yield qs.filter(RawSQL(f"{table}.{connection.ops.quote_name(column)} = ANY(%s::bigint[])",
                               [int_array(ids)], output_field=BooleanField()))
        return
    for start in range(0, len(ids), CHUNK):
        yield qs.filter(**{f"{field}__in": ids[start:start + CHUNK]})


# --- inserts -------------------------------------------------------------------------------------

def rows_insert(model, columns: Sequence[str], rows: Sequence[Sequence], *, same: dict | None = None) -> None:
    """Insert plain rows (values in ``columns`` order, Python values) without model instances.

    ``columns`` are column names (or field attnames, e.g. ``institution_id``). ``same``: columns that
    take one value on every row (e.g. ``created_at``), appended to each."""
    if not rows:
        return
    same = same or {}
    fields = _fields(model, [*columns, *same])
    if is_postgresql():
        _copy_rows(model, fields, rows, list(same.values()))
        return
    _executemany_rows(model, fields, rows, list(same.values()))


def dicts_insert(model, rows: list[dict], *, same: dict | None = None) -> None:
    """Insert rows given as dicts with the same keys (field attnames); see ``rows_insert``."""
    if not rows:
        return
    keys = list(rows[0])
    getter = itemgetter(*keys)
    rows_insert(model, keys, [getter(row) for row in rows] if len(keys) > 1 else [(row[keys[0]],) for row in rows],
                same=same)


def _fields(model, names: Sequence[str]) -> list:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [by_column.get(name) or model._meta.get_field(name) for name in names]


def _copy_rows(model, fields: list, rows: Sequence[Sequence], same: list) -> None:
    """COPY the rows (plus the ``same`` values) into the model's table, in text format."""
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    formatters = [copy_formatter(f) for f in fields[:len(fields) - len(same)]]
    tail = "".join("\t" + copy_value(v) for v in same) + "\n"
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for chunk in chunks(rows, WRITE_CHUNK):
            copy.write("".join(["\t".join([f(v) for f, v in zip(formatters, row, strict=True)]) + tail
                                for row in chunk]))


def _executemany_rows(model, fields: list, rows: Sequence[Sequence], same: list) -> None:
    """INSERT the rows with executemany, values adapted as ``get_db_prep_save`` would."""
    qn = connection.ops.quote_name
    adapters = [_adapter(f) for f in fields]
    width = len(fields) - len(same)
    tail = tuple(v if a is None or v is None else a(v) for a, v in zip(adapters[width:], same, strict=True))
    row_adapters = adapters[:width]
    if any(row_adapters):
        rows = [tuple(v if a is None or v is None else a(v) for a, v in zip(row_adapters, row, strict=True)) + tail
                for row in rows]
    elif tail:
        rows = [tuple(row) + tail for row in rows]
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for chunk in chunks(rows, WRITE_CHUNK):
            cursor.executemany(sql, chunk)


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


# --- PostgreSQL's COPY text format -----------------------------------------------------------------

# Backslash, tab, newline and carriage return are escaped; None is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:  # rare: translate (slow) only then
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_datetime(value: datetime.datetime, _cache: dict = {}) -> str:  # noqa: B006 - a deliberate memo
    text = _cache.get(value)
    if text is None:
        if len(_cache) > 1000:
            _cache.clear()
        text = _cache[value] = value.isoformat()
    return text


_COPY_TEXT = {
    str: _copy_str,
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    Decimal: lambda v: format(v, "f"),
    datetime.date: datetime.date.isoformat,
    datetime.datetime: _copy_datetime,
}


def copy_value(value) -> str:
    """The COPY text of one value, whatever its type (str, int, bool, None, Decimal, date, datetime)."""
    conv = _COPY_TEXT.get(type(value))
    if conv is not None:
        return conv(value)
    for kind in (bool, int, str, Decimal, datetime.datetime, datetime.date):  # subclasses (e.g. TextChoices)
        if isinstance(value, kind):
            return _COPY_TEXT[kind](kind(value) if kind in (int, str) else value)
    raise TypeError(f"no COPY text form for {type(value).__name__}")


def copy_line(row: Sequence) -> str:
    """One line of PostgreSQL's COPY text format (tab-separated, \\N for NULL, backslash escapes)."""
    return "\t".join([copy_value(v) for v in row]) + "\n"


_TEXT_FIELDS = {"CharField", "TextField", "SlugField", "EmailField"}
_INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "SmallIntegerField", "BigIntegerField",
                   "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "ForeignKey"}


def _fast(kind: type, convert: Callable[..., str]) -> Callable[..., str]:
    """``convert`` for values of exactly ``kind`` (the common case, no dispatch), ``copy_value`` otherwise."""
    return lambda v: convert(v) if v.__class__ is kind else copy_value(v)


def copy_formatter(field) -> Callable[..., str]:
    """A function turning one value of ``field`` into its COPY text, chosen once per column."""
    internal = field.get_internal_type()
    if internal in _TEXT_FIELDS:
        return _fast(str, _copy_str)
    if internal in _INTEGER_FIELDS:
        return _fast(int, str)
    if internal == "DecimalField":
        return _fast(Decimal, lambda v: format(v, "f"))
    if internal == "DateField":
        return _fast(datetime.date, datetime.date.isoformat)
    if internal == "DateTimeField":
        return _fast(datetime.datetime, _copy_datetime)
    if internal == "BooleanField":
        return _fast(bool, lambda v: "t" if v else "f")
    return copy_value


# --- ids -----------------------------------------------------------------------------------------

def ids_allocate(model, count: int) -> list[int] | None:
    """``count`` fresh primary keys from the table's sequence (PostgreSQL); None elsewhere or for none.

    Concurrent writers get disjoint ids (nextval never repeats)."""
    if not is_postgresql() or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]

"""TEMP: credits.services still imports this; the merge repoints it to bianxue.bulk and drops this file."""

from bianxue.bulk import account_heads_update, accounts_insert_missing, ids_allocate, ids_filter, rows_insert  # noqa: F401

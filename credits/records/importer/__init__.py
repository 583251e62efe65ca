"""Importer of data exchange format v1 (../shared/spec/data-exchange.md).

parsing (files → rows), validation (rows → a checked plan, or every error: checker, lookups,
references, students, records, resubmissions), writing (the plan → the database in one transaction
with bulk operations). ``credits.records.imports.submission_import`` is the entry point every door uses.
"""

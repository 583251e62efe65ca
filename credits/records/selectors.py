"""Reads of the records app: plan indicators, snapshots, drill-downs, import batches."""

from .indicators import Scope, available_years, indicators_compute, scope_resolve  # noqa: F401

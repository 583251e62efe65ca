"""The search report: counting queries (``services``) and reading the weekly report (``selectors``)."""

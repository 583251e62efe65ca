"""Readiness checks of optional services, registered by the apps that use them (``/readyz`` reports them).

    health_check_register(key="search", check=lambda: "ok")

A check returns "ok" or "degraded" (or a dict with a "status" key and details); an exception counts as degraded.
These checks never take the web process out of rotation: only the database does (bianxue.views.readyz).
"""

from collections.abc import Callable
from typing import Any

_checks: dict[str, Callable[[], Any]] = {}


def health_check_register(*, key: str, check: Callable[[], Any]) -> None:
    """Registering a key again replaces the check (``ready()`` may run more than once in tests)."""
    _checks[key] = check


def health_checks() -> dict[str, Callable[[], Any]]:
    return dict(sorted(_checks.items()))

"""Visibility predicates for menu entries: ``(user) -> bool``, the same rules the pages behind them apply."""

from collections.abc import Callable, Iterable

from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def bureau_admin(user) -> bool:
    return signed_in(user) and user_is_bureau_admin(user=user)


def holds_role(*roles: str) -> Callable[[object], bool]:
    """Bureau admins, and staff holding one of ``roles`` (any role when none given) at some institution."""
    wanted: Iterable[str] | None = roles or None

    def predicate(user) -> bool:
        return bureau_admin(user) or (signed_in(user) and institutions_for_user(user=user, roles=wanted).exists())

    return predicate

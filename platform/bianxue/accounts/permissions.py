"""Who may act for which institution: the permission checks every service and selector asks.

Selectors and services both import from here (and re-export the names callers already use from
them), so neither has to import the other.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import StaffMembership, User


def user_is_bureau_admin(*, user: User) -> bool:
    return bool(user and user.is_authenticated and (user.is_bureau_admin or user.is_superuser))


def user_institution_ids(*, user: User, roles: Iterable[str] | None = None) -> set[int]:
    """Institutions where the user holds any of ``roles`` (any role when None)."""
    if not user or not user.is_authenticated:
        return set()
    qs = StaffMembership.objects.filter(user=user)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return set(qs.values_list("institution_id", flat=True))


def user_can_act_for_institution(*, user: User, institution_id: int, roles: Iterable[str] | None = None) -> bool:
    """Bureau admins act for every institution; staff only for their own, with the given roles."""
    if user_is_bureau_admin(user=user):
        return True
    return institution_id in user_institution_ids(user=user, roles=roles)


def institution_require_role(*, user: User, institution_id: int, roles: Iterable[str] | None = None) -> None:
    """Raise PermissionDenied unless ``user`` may act for the institution with one of ``roles``."""
    if not user_can_act_for_institution(user=user, institution_id=institution_id, roles=roles):
        raise PermissionDenied(_("无权操作该机构的数据。"))

"""Reads about who may do what. Every service and selector that touches institution data asks here."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Role, StaffMembership, User


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


def user_roles(*, user: User) -> set[str]:
    """Every role the user holds anywhere, plus ``bureau_admin`` and ``learner``."""
    if not user or not user.is_authenticated:
        return set()
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    roles.add("learner")
    if user_is_bureau_admin(user=user):
        roles.add("bureau_admin")
    return roles


def user_can_act_for_institution(*, user: User, institution_id: int, roles: Iterable[str] | None = None) -> bool:
    """Bureau admins act for every institution; staff only for their own, with the given roles."""
    if user_is_bureau_admin(user=user):
        return True
    return institution_id in user_institution_ids(user=user, roles=roles)


def institutions_for_user(*, user: User, roles: Iterable[str] | None = None) -> QuerySet:
    """The institutions a user may act for (all of them for a bureau admin)."""
    from bianxue.institutions.models import Institution

    if user_is_bureau_admin(user=user):
        return Institution.objects.all()
    return Institution.objects.filter(id__in=user_institution_ids(user=user, roles=roles))


def staff_roles() -> list[str]:
    return [r.value for r in Role]

"""Reads about who may do what: roles, the institutions a user may act for, staff lists.

The permission checks themselves live in :mod:`.permissions`; ``user_is_bureau_admin``,
``user_institution_ids`` and ``user_can_act_for_institution`` are re-exported here, where callers use them.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Role, StaffMembership, User
from .permissions import (
    institution_require_role,
    user_can_act_for_institution,
    user_institution_ids,
    user_is_bureau_admin,
)


def user_roles(*, user: User) -> set[str]:
    """Every role the user holds anywhere, plus ``bureau_admin`` and ``learner``."""
    if not user or not user.is_authenticated:
        return set()
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    roles.add("learner")
    if user_is_bureau_admin(user=user):
        roles.add("bureau_admin")
    return roles


def institutions_for_user(*, user: User, roles: Iterable[str] | None = None) -> QuerySet:
    """The institutions a user may act for (all of them for a bureau admin)."""
    from bianxue.institutions.models import Institution

    if user_is_bureau_admin(user=user):
        return Institution.objects.all()
    return Institution.objects.filter(id__in=user_institution_ids(user=user, roles=roles))


def staff_roles() -> list[str]:
    return [r.value for r in Role]


def institution_get_for_staff(*, user: User, code: str, roles: Iterable[str] | None = None):
    """The institution with ``code`` if ``user`` may act for it (with ``roles``); PermissionDenied otherwise.

    Unknown codes give Http404 to bureau admins and PermissionDenied to everybody else (so a
    staff member cannot probe which codes exist).
    """
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from bianxue.institutions.models import Institution

    institution = Institution.objects.select_related("district", "parent").filter(code=code).first()
    if institution is None:
        if user_is_bureau_admin(user=user):
            raise Http404(code)
        raise PermissionDenied(_("无权查看该机构。"))
    if not user_can_act_for_institution(user=user, institution_id=institution.pk, roles=roles):
        raise PermissionDenied(_("无权查看该机构。"))
    return institution


def institution_staff_list(*, user: User, institution_id: int) -> QuerySet:
    """Staff memberships of an institution, for those who may act for it (checked here)."""
    institution_require_role(user=user, institution_id=institution_id)
    return (
        StaffMembership.objects.filter(institution_id=institution_id)
        .select_related("user")
        .order_by("role", "user__display_name", "user_id")
    )


def memberships_for_user(*, user: User) -> QuerySet:
    """The user's own staff memberships with their institutions (one query)."""
    if not user or not user.is_authenticated:
        return StaffMembership.objects.none()
    return StaffMembership.objects.filter(user=user).select_related("institution").order_by("institution__code", "role")


def memberships_recent(*, user: User, limit: int = 50) -> QuerySet:
    """Latest memberships across the city (bureau admins only)."""
    from django.core.exceptions import PermissionDenied

    if not user_is_bureau_admin(user=user):
        raise PermissionDenied(_("只有教育局管理员可以查看。"))
    return StaffMembership.objects.select_related("user", "institution").order_by("-created_at", "-id")[:limit]


CODE_LOGIN_PASSWORD_WINDOW = 10 * 60  # seconds after an SMS/email code login during which a new password may be set


def session_may_set_password_by_code(*, request) -> bool:
    """True when this session signed in with a one-time code (SMS or email) in the last 10 minutes.

    That is the "forgot my password" path for residents who have only a mobile number
    (allauth 65 resets passwords by email only): sign in with an SMS code, then set a new password.
    """
    import time

    from allauth.account.internal.flows.login import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    now = time.time()
    return any(
        record.get("method") == "code" and now - float(record.get("at", 0)) <= CODE_LOGIN_PASSWORD_WINDOW
        for record in get_authentication_records(request, user)
    )

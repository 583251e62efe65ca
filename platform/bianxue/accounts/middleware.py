"""Every staff role and the bureau admin sign in with a second factor, whatever the door.

Two checks, on every path (site pages, /me/, the Wagtail admin at /admin/, app pages) except the allauth
pages themselves (where TOTP set-up and the code prompt live), the language / elder-mode switches, static
files and the health check:

- no TOTP device yet (a newly granted staff member): sent to set one up; allauth then shows the recovery
  codes it generated with the device, and that page leads on to where they were going (``views.mfa_continue``);
- a device, but this session was not authenticated with it (allauth records each method a session used;
  a login form that skipped the second factor, or a session from before the role was granted): asked for
  the code (allauth's MFA re-authentication) before anything is served.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse


class RequireMFAMiddleware:
    """Send users of an MFA-required role to TOTP set-up, or to the code prompt when this session has not
    used the second factor."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/media/", "/ui/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
        ):
            state = user_mfa_state(user=user)
            if state == MFA_MISSING:
                # Where they were going: offered on the recovery codes page that follows the set-up.
                request.session[MFA_NEXT_SESSION_KEY] = request.get_full_path()
                return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
            if state == MFA_ENROLLED and not session_used_mfa(request=request, user=user):
                return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)


MFA_NOT_REQUIRED, MFA_MISSING, MFA_ENROLLED = "not_required", "missing", "enrolled"
MFA_NEXT_SESSION_KEY = "bx_mfa_next"


def session_used_mfa(*, request, user) -> bool:
    """Whether this session was authenticated with the second factor (allauth's record of the methods)."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def user_needs_mfa_setup(*, user) -> bool:
    """True when the user holds an MFA-required role and has no TOTP authenticator (one query)."""
    return user_mfa_state(user=user) == MFA_MISSING


def user_mfa_state(*, user) -> str:
    """Whether the user must use a second factor, and whether they have a TOTP device (one query)."""
    from allauth.mfa.models import Authenticator

    from .models import StaffMembership, User

    required = set(settings.MFA_REQUIRED_ROLES)
    staff_roles = required - {"bureau_admin", "learner"}
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
            has_role=Exists(StaffMembership.objects.filter(user=OuterRef("pk"), role__in=staff_roles)),
        )
        .values("has_totp", "has_role")
        .first()
    )
    is_admin = "bureau_admin" in required and (user.is_bureau_admin or user.is_superuser)
    if row is None or not (row["has_role"] or is_admin):
        return MFA_NOT_REQUIRED
    return MFA_ENROLLED if row["has_totp"] else MFA_MISSING

"""Credit officers and bureau administrators must set up TOTP before anything else.

Covers every path (site pages, /me/, the Wagtail admin at /admin/, app pages) except the
allauth pages themselves (where the TOTP setup lives), the language / elder-mode switches,
static files and the health check.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse


class RequireMFAMiddleware:
    """Redirect users of an MFA-required role without a TOTP authenticator to the TOTP setup page."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/media/", "/ui/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and user_needs_mfa_setup(user=user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)


def user_needs_mfa_setup(*, user) -> bool:
    """True when the user holds an MFA-required role and has no TOTP authenticator (one query)."""
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
    if row is None or row["has_totp"]:
        return False
    is_admin = "bureau_admin" in required and (user.is_bureau_admin or user.is_superuser)
    return bool(row["has_role"] or is_admin)

"""Credit officers and bureau administrators must set up TOTP before anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class RequireMFAMiddleware:
    """Redirect users of an MFA-required role without an authenticator to the TOTP setup page."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.allowed_prefixes):
            if self._mfa_required(user) and not self._has_mfa(user):
                return redirect(reverse("mfa_activate_totp") + f"?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _mfa_required(user) -> bool:
        from .selectors import user_roles

        return bool(user_roles(user=user) & set(settings.MFA_REQUIRED_ROLES))

    @staticmethod
    def _has_mfa(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

"""Switches for elder mode and text size. Plain POST forms: they work without JavaScript."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bianxue.accounts.services import user_set_preferences

from .middleware import ELDER_COOKIE, SCALE_COOKIE, SCALES

ONE_YEAR = 365 * 24 * 3600


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return target


@require_POST
def elder_mode(request: HttpRequest):
    on = request.POST.get("on") == "1"
    response = HttpResponseRedirect(_back(request))
    response.set_cookie(ELDER_COOKIE, "1" if on else "0", max_age=ONE_YEAR, samesite="Lax")
    if request.user.is_authenticated:
        user_set_preferences(user=request.user, elder_mode=on)
    return response


@require_POST
def text_size(request: HttpRequest):
    try:
        scale = int(request.POST.get("scale", "100"))
    except ValueError:
        scale = 100
    scale = scale if scale in SCALES else 100
    response = HttpResponseRedirect(_back(request))
    response.set_cookie(SCALE_COOKIE, str(scale), max_age=ONE_YEAR, samesite="Lax")
    if request.user.is_authenticated:
        user_set_preferences(user=request.user, text_scale=scale)
    return response

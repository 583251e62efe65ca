"""Switches for elder mode and text size. Plain POST forms: they work without JavaScript."""

from bianxue.accounts.services import user_set_preferences
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import preference_cookies_set, scale_parse


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return target


@require_POST
def elder_mode(request: HttpRequest):
    """Turn 长辈版 on (on=1) or off (on=0); cookie always, profile when signed in."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        user_set_preferences(user=request.user, elder_mode=on)
    response = HttpResponseRedirect(_back(request))
    preference_cookies_set(response, elder=on, scale=getattr(request, "text_scale", 100))
    return response


@require_POST
def text_size(request: HttpRequest):
    """Set the text size (100, 125, 150, 175 or 200 %); cookie always, profile when signed in."""
    scale = scale_parse(request.POST.get("scale")) or 100
    if request.user.is_authenticated:
        user_set_preferences(user=request.user, text_scale=scale)
    response = HttpResponseRedirect(_back(request))
    preference_cookies_set(response, elder=getattr(request, "elder_mode", False), scale=scale)
    return response


@login_required
def my_hub(request: HttpRequest):
    """我的: each role's work as large tiles, then the account settings (frontend.selectors.navigation_for_user,
    the same links the header shows, read once per request by the context processor)."""
    return render(request, "frontend/my_hub.html")

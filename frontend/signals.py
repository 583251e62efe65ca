"""At login, a 长辈版/text-size choice made in this browser before signing in is saved to the profile."""

from bianxue.accounts.services import user_set_preferences
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import ELDER_COOKIE, SCALE_COOKIE, scale_parse


@receiver(user_logged_in, dispatch_uid="frontend_preferences_from_cookies")
def preferences_from_cookies(sender, request, user, **kwargs):
    if request is None:
        return
    elder = request.COOKIES.get(ELDER_COOKIE)
    scale = scale_parse(request.COOKIES.get(SCALE_COOKIE))
    changes = {}
    if elder in {"0", "1"} and (elder == "1") != bool(user.elder_mode):
        changes["elder_mode"] = elder == "1"
    if scale is not None and scale != user.text_scale:
        changes["text_scale"] = scale
    if changes:
        user_set_preferences(user=user, **changes)

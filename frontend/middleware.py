"""Elder mode (长辈版) and text size.

Visitors: the cookies ``bx_elder`` ("1"/"0") and ``bx_text_scale`` (100…200). Signed-in users: the
profile (User.elder_mode / text_scale) is authoritative and the cookies are brought in line with it, so the
choice survives logging out in this browser and follows the user to other browsers. A choice made
before signing in is copied to the profile at login (frontend.signals), so the latest choice wins.
"""

from .design.text_size import SCALES

ELDER_COOKIE = "bx_elder"
SCALE_COOKIE = "bx_text_scale"
ONE_YEAR = 365 * 24 * 3600


def scale_parse(value) -> int | None:
    try:
        scale = int(value)
    except (TypeError, ValueError):
        return None
    return scale if scale in SCALES else None


def preference_cookies_set(response, *, elder: bool, scale: int) -> None:
    response.set_cookie(ELDER_COOKIE, "1" if elder else "0", max_age=ONE_YEAR, samesite="Lax")
    response.set_cookie(SCALE_COOKIE, str(scale), max_age=ONE_YEAR, samesite="Lax")


class ElderModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie_elder = request.COOKIES.get(ELDER_COOKIE)
        cookie_scale = scale_parse(request.COOKIES.get(SCALE_COOKIE))
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            request.elder_mode = bool(user.elder_mode)
            request.text_scale = scale_parse(user.text_scale) or 100
        else:
            request.elder_mode = cookie_elder == "1"
            request.text_scale = cookie_scale or 100
        response = self.get_response(request)
        # Keep the cookies in line with the profile (not when a view has just set them itself).
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and ELDER_COOKIE not in response.cookies
                and ((cookie_elder == "1") != bool(user.elder_mode) or cookie_scale != (scale_parse(user.text_scale) or 100))):
            preference_cookies_set(response, elder=bool(user.elder_mode), scale=scale_parse(user.text_scale) or 100)
        return response

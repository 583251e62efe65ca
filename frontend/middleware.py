"""Elder mode (长辈版) and text size: read from the cookie, or from the profile when signed in."""

ELDER_COOKIE = "bx_elder"
SCALE_COOKIE = "bx_text_scale"
SCALES = (100, 125, 150, 175, 200)


class ElderModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        elder = request.COOKIES.get(ELDER_COOKIE)
        scale = request.COOKIES.get(SCALE_COOKIE)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if elder is None and signed_in:
            request.elder_mode = bool(user.elder_mode)
        else:
            request.elder_mode = elder == "1"
        try:
            value = int(scale) if scale is not None else (user.text_scale if signed_in else 100)
        except ValueError:
            value = 100
        request.text_scale = value if value in SCALES else 100
        return self.get_response(request)

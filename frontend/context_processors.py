from django.urls import reverse_lazy

HUB_URL = reverse_lazy("my_hub")
SWITCH_URLS = {"elder_mode": reverse_lazy("frontend:elder_mode"), "text_size": reverse_lazy("frontend:text_size")}


def site_ui(request):
    """Elder mode and text size as the portal's middleware read them, for the design system's templates."""
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "text_scale": getattr(request, "text_scale", 100),
        "switch_urls": SWITCH_URLS,
    }


def navigation(request) -> dict:
    """The role-aware navigation (frontend.selectors.navigation_for_user), computed once per request and only
    when a template shows it: at most one query however many links the user's roles give."""
    from django.utils.functional import SimpleLazyObject

    from .selectors import navigation_for_user

    def read():
        cached = getattr(request, "_bx_navigation", None)
        if cached is None:
            cached = navigation_for_user(user=getattr(request, "user", None))
            request._bx_navigation = cached
        return cached

    return {"nav": SimpleLazyObject(read), "hub_url": HUB_URL}

from django.urls import reverse_lazy

SWITCH_URLS = {"elder_mode": reverse_lazy("frontend:elder_mode"), "text_size": reverse_lazy("frontend:text_size")}


def site_ui(request):
    """Elder mode and text size as the portal's middleware read them, for the design system's templates."""
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "text_scale": getattr(request, "text_scale", 100),
        "switch_urls": SWITCH_URLS,
    }

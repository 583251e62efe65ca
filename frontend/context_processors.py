from django.conf import settings

from .middleware import SCALES


def site_ui(request):
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "text_scale": getattr(request, "text_scale", 100),
        "text_scales": SCALES,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }

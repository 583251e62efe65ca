"""ASGI entry point: HTTP through Django, websockets through the Channels router with authentication."""

from django.core.asgi import get_asgi_application

from .entrypoints import require_settings_module

require_settings_module()

# Django must be set up before the routing imports consumers (which import models).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402


def websocket_stack(patterns: list):
    """Every websocket goes through the origin check (ALLOWED_HOSTS) and the session's user."""
    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(patterns)))


application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_stack(websocket_urlpatterns)})

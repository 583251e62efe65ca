"""A test-only websocket consumer that proves the ASGI stack (origin check, session user, channel layer)
without saying anything personal to anyone but the sender."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.urls import path


class ProbeConsumer(AsyncJsonWebsocketConsumer):
    """On {"type": "ping"}: the sender hears whether it is signed in; everyone in the group (through the
    channel layer) hears only that someone pinged."""

    group = "probe"

    async def connect(self):
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            user = self.scope.get("user")
            await self.send_json({"type": "pong", "signed_in": bool(user is not None and user.is_authenticated)})
            await self.channel_layer.group_send(self.group, {"type": "probe.heard"})

    async def probe_heard(self, event):
        await self.send_json({"type": "heard"})


probe_urlpatterns = [path("ws/test-probe/", ProbeConsumer.as_asgi())]


def probe_application():
    """The project's ASGI application with the probe route added to its websocket routes."""
    from bianxue.asgi import django_asgi_app, websocket_stack
    from bianxue.routing import websocket_urlpatterns
    from channels.routing import ProtocolTypeRouter

    return ProtocolTypeRouter({"http": django_asgi_app,
                               "websocket": websocket_stack([*websocket_urlpatterns, *probe_urlpatterns])})

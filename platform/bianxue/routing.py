"""Websocket routes of every app, gathered in one list for the ASGI router."""

from community.routing import websocket_urlpatterns as community_ws

from .notifications.routing import websocket_urlpatterns as notifications_ws

websocket_urlpatterns = [*notifications_ws, *community_ws]

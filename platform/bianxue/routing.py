"""Websocket routes of every app, gathered in one list for the ASGI router."""

from community.routing import websocket_urlpatterns as community_ws

websocket_urlpatterns = [*community_ws]

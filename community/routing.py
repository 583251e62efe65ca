"""Websocket routes of the community app: live Q&A rooms."""

from django.urls import path

from .consumers import LiveRoomConsumer

websocket_urlpatterns = [path("ws/community/live/<int:room_id>/", LiveRoomConsumer.as_asgi())]

"""Websocket routes of the community app (none yet: live Q&A comes with issue 14)."""

websocket_urlpatterns: list = []

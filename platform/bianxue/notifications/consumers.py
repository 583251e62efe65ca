"""The bell's websocket: one per open page of a signed-in user, in that user's group only."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class BellConsumer(AsyncJsonWebsocketConsumer):
    """Joins ``notify.user.<id>`` of the session's user; anonymous sockets are refused. It receives nothing from the
    client: it only passes the user's own bell events on."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        from .services import notification_group

        self.group = notification_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        return  # nothing to say: the bell only listens

    async def bell_event(self, event):
        await self.send_json({"type": "bell", "unread": event["unread"], "title": event.get("title", ""),
                              "url": event.get("url", "")})

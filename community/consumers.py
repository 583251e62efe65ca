"""Websocket consumers. Live Q&A rooms will live here; PingConsumer proves the stack end to end."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Answers {"type": "ping"} with pong and the user's name, through the channel layer."""

    group = "ping"

    async def connect(self):
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            user = self.scope.get("user")
            who = str(user) if user is not None and user.is_authenticated else None
            await self.channel_layer.group_send(self.group, {"type": "pong.message", "user": who})

    async def pong_message(self, event):
        await self.send_json({"type": "pong", "user": event["user"]})

"""The ASGI application: HTTP through Django, websockets through the Channels router with
authentication and origin checks, on the in-memory layer and (marked) on channels_redis.

The websocket stack is proved with the test-only probe consumer (tests/websocket_probe.py) mounted on the
project's own stack; the project itself routes no consumer that tells one user about another."""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from bianxue.asgi import application as project_application
from channels.testing import HttpCommunicator, WebsocketCommunicator

from tests.factories import UserFactory
from tests.websocket_probe import probe_application

application = probe_application()
PROBE = "/ws/test-probe/"

ORIGIN = (b"origin", b"http://testserver")


def run(coroutine_function, *args, **kwargs):
    """Run an async test body on its own thread and event loop, as a server would: the main thread
    may already have a loop (Playwright's sync API leaves one there for the whole session)."""
    from django.db import connections

    def body():
        try:
            return async_to_sync(coroutine_function)(*args, **kwargs)
        finally:
            connections.close_all()  # this thread's connections (the session lookup)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(body).result(timeout=60)


async def _ping(headers, *, listeners=0):
    """Connect, send a ping, return (the sender's reply, what each extra listener received)."""
    others = []
    for _ in range(listeners):
        other = WebsocketCommunicator(application, PROBE, headers=[ORIGIN])
        connected, _ = await other.connect()
        assert connected
        others.append(other)
    comm = WebsocketCommunicator(application, PROBE, headers=headers)
    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to({"type": "ping"})
    reply = await comm.receive_json_from(timeout=5)
    assert await comm.receive_json_from(timeout=5) == {"type": "heard"}  # the sender is in the group too
    heard = [await other.receive_json_from(timeout=5) for other in others]
    await comm.disconnect()
    for other in others:
        await other.disconnect()
    return reply, heard


def _session_cookie(client, user) -> tuple[bytes, bytes]:
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.fixture
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def redis_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "prefix": "bianxue-test-asgi"},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_http_through_the_asgi_application():
    async def get():
        comm = HttpCommunicator(project_application, "GET", "/healthz", headers=[(b"host", b"testserver")])
        return await comm.get_response(timeout=10)

    response = run(get)
    assert response["status"] == 200
    assert b'"database": "ok"' in response["body"]


@pytest.mark.django_db(transaction=True)
def test_websocket_anonymous(in_memory_layer):
    reply, _ = run(_ping, [ORIGIN])
    assert reply == {"type": "pong", "signed_in": False}


@pytest.mark.django_db(transaction=True)
def test_websocket_authenticated_session(client, in_memory_layer):
    user = UserFactory(display_name="王小明")
    reply, _ = run(_ping, [ORIGIN, _session_cookie(client, user)])
    assert reply == {"type": "pong", "signed_in": True}


@pytest.mark.django_db(transaction=True)
def test_websocket_group_message_goes_through_the_channel_layer_and_says_nothing_personal(client, in_memory_layer):
    user = UserFactory(display_name="李老师")
    reply, heard = run(_ping, [ORIGIN, _session_cookie(client, user)], listeners=2)
    assert reply == {"type": "pong", "signed_in": True}
    assert heard == [{"type": "heard"}] * 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("headers", [[], [(b"origin", b"http://evil.example")]], ids=["no-origin", "foreign"])
def test_websocket_refuses_foreign_origins(headers, in_memory_layer):
    async def connect():
        comm = WebsocketCommunicator(application, PROBE, headers=headers)
        connected, _ = await comm.connect()
        await comm.disconnect()
        return connected

    assert run(connect) is False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_websocket_on_channels_redis(client, redis_layer):
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__module__ == "channels_redis.core"
    user = UserFactory(display_name="赵主任")
    reply, heard = run(_ping, [ORIGIN, _session_cookie(client, user)], listeners=1)
    assert reply == {"type": "pong", "signed_in": True}
    assert heard == [{"type": "heard"}]
    anonymous, _ = run(_ping, [ORIGIN])
    assert anonymous == {"type": "pong", "signed_in": False}


@pytest.mark.django_db(transaction=True)
def test_the_project_routes_no_ping_consumer(in_memory_layer):
    """The old /ws/ping/ broadcast the pinging user's email or phone to every socket: it must stay gone."""
    from bianxue.routing import websocket_urlpatterns

    assert not any("ping" in str(p.pattern) for p in websocket_urlpatterns)

    async def connect():
        comm = WebsocketCommunicator(project_application, "/ws/ping/", headers=[ORIGIN])
        try:
            connected, _ = await comm.connect()
        except ValueError:  # Channels' URLRouter: "No route found for path"
            return False
        await comm.disconnect()
        return connected

    assert run(connect) is False

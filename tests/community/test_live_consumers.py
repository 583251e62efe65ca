"""The live room over websockets (Channels' communicator), on the in-memory layer and on channels_redis against the
real Redis: a question reaches every socket, the teacher's answer reaches the asker, a retried message is stored
once, a reconnecting client catches up from its last revision, and the rules of the services hold on the socket."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from community.models import LiveMessage, SensitiveWord
from community.services import live as services
from tests.factories import sign_in_without_second_factor

ORIGIN = (b"origin", b"http://testserver")


def run(coroutine_function, *args):
    """The async body on its own thread and loop, as a server runs it (see tests/bianxue/test_asgi.py)."""
    from django.db import connections

    def body():
        try:
            return async_to_sync(coroutine_function)(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(body).result(timeout=90)


def cookie(client, user) -> list:
    """The session cookie of ``user`` (the test client's force_login records the second factor for staff)."""
    client.force_login(user)
    return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


def app():
    from bianxue.asgi import application

    return application


async def connect(room, headers):
    comm = WebsocketCommunicator(app(), f"/ws/community/live/{room.pk}/", headers=headers)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def receive_all(comm, *types: str) -> dict:
    """Messages until one of each type has arrived (an ack and a pushed event come in either order), by type."""
    got: dict = {}
    while not all(t in got for t in types):
        message = await comm.receive_json_from(timeout=10)
        got.setdefault(message["type"], message)
    return got


async def receive_until(comm, wanted: str) -> list:
    """Messages up to and including the first of type ``wanted``."""
    got = []
    while True:
        message = await comm.receive_json_from(timeout=10)
        got.append(message)
        if message["type"] == wanted:
            return got


LAYERS = [
    pytest.param({"BACKEND": "channels.layers.InMemoryChannelLayer"}, id="in-memory"),
    pytest.param({"BACKEND": "channels_redis.core.RedisChannelLayer",
                  "CONFIG": {"hosts": [os.environ.get("REDIS_URL", "")], "prefix": f"bx-live-{uuid.uuid4().hex[:6]}"}},
                 id="redis", marks=pytest.mark.redis),
]


@pytest.fixture(params=LAYERS)
def layer(request, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": request.param}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_a_question_reaches_everyone_and_the_answer_reaches_the_asker(layer, client, room, learner, teacher):
    learner_headers = cookie(client, learner)
    teacher_headers = cookie(client.__class__(), teacher)

    async def body():
        reader = await connect(room, [ORIGIN])  # anonymous: reads
        asker = await connect(room, learner_headers)
        staff = await connect(room, teacher_headers)
        await asker.send_json_to({"type": "ask", "client_id": "q-1", "text": "怎么把字调大？"})
        question = (await receive_all(asker, "ack", "message"))["message"]
        heard = await reader.receive_json_from(timeout=10)
        seen_by_staff = await staff.receive_json_from(timeout=10)
        assert heard["text"] == seen_by_staff["text"] == question["text"] == "怎么把字调大？"
        assert heard["author"] == "李阿姨" and "phone" not in heard
        await staff.send_json_to({"type": "answer", "question": heard["id"], "client_id": "a-1",
                                  "text": "设置里找“显示与亮度”。"})
        got = await receive_all(staff, "ack")
        assert got["ack"]["created"] is True
        answer = await asker.receive_json_from(timeout=10)
        marked = await asker.receive_json_from(timeout=10)
        assert answer["kind"] == "answer" and answer["question"] == heard["id"]
        assert marked["id"] == heard["id"] and marked["answered"] is True
        for comm in (reader, asker, staff):
            await comm.disconnect()

    run(body)
    assert LiveMessage.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_a_message_sent_twice_is_stored_and_shown_once(layer, client, room, learner):
    headers = cookie(client, learner)

    async def body():
        reader = await connect(room, [ORIGIN])
        asker = await connect(room, headers)
        for _ in range(2):  # a client that did not hear its ack sends again after reconnecting
            await asker.send_json_to({"type": "ask", "client_id": "same-id", "text": "只问一次"})
        acks = [m for m in await receive_until(asker, "ack") if m["type"] == "ack"]
        acks += [m for m in await receive_until(asker, "ack") if m["type"] == "ack"]
        assert [a["created"] for a in acks] == [True, False] and acks[0]["id"] == acks[1]["id"]
        assert (await reader.receive_json_from(timeout=10))["text"] == "只问一次"
        assert await reader.receive_nothing(timeout=0.5)
        await reader.disconnect()
        await asker.disconnect()

    run(body)
    assert LiveMessage.objects.filter(client_id="same-id").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_a_reconnecting_client_catches_up_from_its_last_revision(layer, client, room, learner, course):
    from tests.factories import course_learner

    other = course_learner(course=course)
    first, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="1", text="第一")

    async def body():
        comm = await connect(room, [ORIGIN])
        await comm.send_json_to({"type": "resume", "after": 0})
        got = await receive_until(comm, "resumed")
        last = max(m["rev"] for m in got if m["type"] == "message")
        await comm.disconnect()
        # while it is away: a new question and a vote on the first one
        await database_sync_to_async(services.live_question_ask)(user=other, room_id=room.pk, client_id="2",
                                                                 text="第二")
        await database_sync_to_async(services.live_question_vote)(user=other, room_id=room.pk, message_id=first.pk)
        comm = await connect(room, [ORIGIN])
        await comm.send_json_to({"type": "resume", "after": last})
        missed = [m for m in await receive_until(comm, "resumed") if m["type"] == "message"]
        await comm.disconnect()
        return got, missed

    got, missed = run(body)
    assert [m["text"] for m in got if m["type"] == "message"] == ["第一"]
    assert [(m["text"], m["votes"]) for m in missed] == [("第二", 0), ("第一", 1)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_the_rules_hold_on_the_socket(layer, client, room, learner, teacher, outsider):
    outsider_headers = cookie(client, outsider)
    learner_headers = cookie(client.__class__(), learner)
    bare = client.__class__()
    sign_in_without_second_factor(bare, teacher)  # a staff session that did not use its second factor
    no_second_factor = [ORIGIN, (b"cookie", f"sessionid={bare.cookies['sessionid'].value}".encode())]
    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="q", text="问题")

    async def body():
        errors = []
        for headers, payload in [
            ([ORIGIN], {"type": "ask", "client_id": "x", "text": "匿名提问"}),
            (outsider_headers, {"type": "ask", "client_id": "y", "text": "没报名"}),
            (learner_headers, {"type": "answer", "question": question.pk, "client_id": "z", "text": "自问自答"}),
            (no_second_factor, {"type": "answer", "question": question.pk, "client_id": "w", "text": "未验证"}),
            (learner_headers, {"type": "mark", "question": question.pk}),
        ]:
            comm = await connect(room, headers)
            await comm.send_json_to(payload)
            reply = await comm.receive_json_from(timeout=10)
            errors.append(reply["type"])
            await comm.disconnect()
        return errors

    assert run(body) == ["error"] * 5
    assert LiveMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_a_held_question_reaches_the_staff_not_the_other_readers(layer, client, room, learner, teacher):
    SensitiveWord.objects.get_or_create(word="赌博")
    learner_headers = cookie(client, learner)
    teacher_headers = cookie(client.__class__(), teacher)

    async def body():
        reader = await connect(room, [ORIGIN])
        staff = await connect(room, teacher_headers)
        asker = await connect(room, learner_headers)
        await asker.send_json_to({"type": "ask", "client_id": "h", "text": "赌博的事"})
        got = await receive_all(asker, "ack", "message")
        assert got["ack"]["held"] is True and got["message"]["held"] is True
        assert (await staff.receive_json_from(timeout=10))["held"] is True
        assert await reader.receive_nothing(timeout=0.5)
        for comm in (reader, staff, asker):
            await comm.disconnect()

    run(body)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the catalog pages from the migrations
def test_an_unknown_room_is_refused(layer):
    async def body():
        comm = WebsocketCommunicator(app(), "/ws/community/live/999999/", headers=[ORIGIN])
        connected, _ = await comm.connect()
        return connected

    assert run(body) is False

"""`make bench`: 300 websocket clients in one live room on one server process (daphne, the project's ASGI app and
channel layer as configured: in memory, or Redis when REDIS_URL is set). Askers send questions over their sockets
(every fifth one sent twice, as a client that reconnects before its ack would); the benchmark reports how long each
question takes to reach all 300 readers (p50/p95 of the last arrival, and of every arrival) and checks that every
question is stored exactly once and heard exactly once by every reader.

The room is deleted at the end; the bench users (bench-live-*@example.invalid) stay, unused.
"""

import asyncio
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

READERS = int(os.environ.get("BENCH_LIVE_CLIENTS", "300"))
ASKERS = 5
QUESTIONS_EACH = 10  # under the posting rate limit per user per hour


# --- a minimal websocket client (RFC 6455 text frames; the project has no client library) ---------------------


async def ws_connect(port: int, path: str, *, cookie: str = ""):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    headers = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
               f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", f"Origin: http://127.0.0.1:{port}"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in status.split(b"\r\n", 1)[0]:
        raise ConnectionError(status.split(b"\r\n", 1)[0].decode())
    return reader, writer


async def ws_send(writer, payload: dict) -> None:
    data = json.dumps(payload).encode()
    mask = os.urandom(4)
    header = bytearray([0x81])
    if len(data) < 126:
        header.append(0x80 | len(data))
    elif len(data) < 65536:
        header.append(0x80 | 126)
        header += len(data).to_bytes(2, "big")
    else:
        header.append(0x80 | 127)
        header += len(data).to_bytes(8, "big")
    writer.write(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
    await writer.drain()


async def ws_receive(reader) -> dict:
    while True:
        first, second = await reader.readexactly(2)
        size = second & 0x7F
        if size == 126:
            size = int.from_bytes(await reader.readexactly(2), "big")
        elif size == 127:
            size = int.from_bytes(await reader.readexactly(8), "big")
        if second & 0x80:
            await reader.readexactly(4)
        payload = await reader.readexactly(size)
        opcode = first & 0x0F
        if opcode == 0x8:
            raise ConnectionError("closed by the server")
        if opcode == 0x1:
            return json.loads(payload)


# --- the run ----------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup():
    """A live course's room, a teacher, and ASKERS enrolled residents with session cookies."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from community.models import MemberStanding
    from community.services.live import live_room_open
    from courses.models import CoursePage
    from courses.services import enrolment_create

    course = CoursePage.objects.live().order_by("pk").first()
    if course is None:
        return None
    User = get_user_model()
    run = uuid.uuid4().hex[:8]
    teacher = User.objects.create(username=f"bench-live-t-{run}", email=f"bench-live-t-{run}@example.invalid",
                                  phone_verified=True, is_bureau_admin=True)
    room = live_room_open(user=teacher, course_id=course.pk, title=f"bench {run}")
    askers = []
    for i in range(ASKERS):
        user = User.objects.create(username=f"bench-live-{run}-{i}", email=f"bench-live-{run}-{i}@example.invalid",
                                   phone=f"+86199{run[:4]}{i:04d}"[:16], phone_verified=True)
        MemberStanding.objects.update_or_create(user=user, defaults={"approved_posts": 100})
        enrolment_create(user=user, course=course)
        client = Client()
        client.force_login(user)
        askers.append(f"sessionid={client.cookies['sessionid'].value}")
    return room, askers


async def _bench(port: int, room_id: int, askers: list[str]) -> dict:
    path = f"/ws/community/live/{room_id}/"
    readers = []
    for _ in range(READERS):
        readers.append(await ws_connect(port, path))
    heard: list[dict] = [{} for _ in readers]  # per reader: message id -> [arrival times]
    texts: dict[int, str] = {}

    async def listen(index: int, reader) -> None:
        try:
            while True:
                message = await ws_receive(reader)
                if message.get("type") == "message":
                    heard[index].setdefault(message["id"], []).append(time.perf_counter())
                    texts[message["id"]] = message["text"]
        except (ConnectionError, asyncio.IncompleteReadError):
            return

    listeners = [asyncio.create_task(listen(i, r)) for i, (r, _w) in enumerate(readers)]
    senders = [await ws_connect(port, path, cookie=cookie) for cookie in askers]
    sent_at: dict[str, float] = {}
    fanout, every = [], []
    n = 0
    for round_ in range(QUESTIONS_EACH):
        for a, (_reader, writer) in enumerate(senders):
            client_id = f"bench-{room_id}-{a}-{round_}"
            text = f"基准问题 {a}-{round_}"
            sent_at[text] = time.perf_counter()
            await ws_send(writer, {"type": "ask", "client_id": client_id, "text": text})
            if n % 5 == 0:  # sent again before the ack: stored and heard once
                await ws_send(writer, {"type": "ask", "client_id": client_id, "text": text})
            n += 1
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                ids = [i for i, t in texts.items() if t == text]
                if ids and all(ids[0] in h for h in heard):
                    arrivals = [h[ids[0]][0] - sent_at[text] for h in heard]
                    fanout.append(max(arrivals))
                    every.extend(arrivals)
                    break
                await asyncio.sleep(0.002)
            else:
                raise TimeoutError(f"{text} did not reach every reader in 30 s")
    await asyncio.sleep(0.5)  # late duplicates, if any, would arrive now
    for _r, w in [*readers, *senders]:
        w.close()
    for task in listeners:
        task.cancel()
    twice = sum(1 for h in heard for times in h.values() if len(times) != 1)
    return {"fanout": fanout, "every": every, "twice": twice, "sent": n}


def live_room_fanout() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianxue.settings.dev")
    from django.conf import settings

    from community.models import LiveMessage, LiveRoom

    setup = _setup()
    if setup is None:
        print("no live course: run `make demo` first")
        return
    room, askers = setup
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "bianxue.asgi:application"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        result = asyncio.run(_bench(port, room.pk, askers))
    finally:
        server.terminate()
        server.wait(timeout=10)
    stored = LiveMessage.objects.filter(room=room).count()
    distinct = LiveMessage.objects.filter(room=room).values("author", "client_id").distinct().count()
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]

    def ms(values, q):
        return 1000 * statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 1000 * values[0]

    print(f"  {READERS} readers + {ASKERS} askers on one daphne process ({layer}); {result['sent']} questions")
    print(f"  fan-out to all {READERS} (send → last arrival): p50 {ms(result['fanout'], 50):.1f} ms, "
          f"p95 {ms(result['fanout'], 95):.1f} ms")
    print(f"  per reader (send → arrival): p50 {ms(result['every'], 50):.1f} ms, p95 {ms(result['every'], 95):.1f} ms")
    ok = stored == distinct == result["sent"] and result["twice"] == 0
    print(f"  stored {stored} (distinct {distinct}) of {result['sent']} sent (every fifth twice); "
          f"messages heard other than once: {result['twice']} -> {'OK' if ok else 'FAILED'}")
    LiveRoom.objects.filter(pk=room.pk).delete()

"""The Redis cache falls back to local memory when Redis does not answer, instead of failing the request."""

import socket

from bianxue.cache import ResilientRedisCache


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_redis_degrades_to_local_memory():
    ResilientRedisCache._down_until = 0.0
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    assert cache.add("attempts", 1) is True
    assert cache.incr("attempts") == 2
    assert cache.get("attempts") == 2  # counted, not lost: rate limits stay per process, not open
    cache.delete("attempts")
    assert cache.get("attempts") is None
    ResilientRedisCache._down_until = 0.0

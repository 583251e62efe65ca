"""The Redis cache, resilient: when Redis is unreachable each call falls back to this process's local memory
instead of failing the request (no page answers 500 because Redis is down).

What degrades: rate limits (allauth) and upload progress count per process until Redis is back, which is
stricter-or-equal per process, never open: a process still counts its own attempts.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("bianxue.cache")

_FALLBACK = LocMemCache("bianxue-cache-fallback", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 10000}})
_RETRY_AFTER = 5.0  # seconds before Redis is tried again after a failure


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ConnectionError, OSError)


_SHARED_CLIENTS: dict[tuple, object] = {}
_SHARED_LOCK = threading.Lock()


def redis_client(url: str):
    """A redis-py client on the process's one bounded, blocking pool for ``url`` (shared by every thread)."""
    import redis

    key = ("redis", url)
    with _SHARED_LOCK:
        if key not in _SHARED_CLIENTS:
            pool = redis.BlockingConnectionPool.from_url(
                url, max_connections=settings.REDIS_MAX_CONNECTIONS, timeout=5,
                socket_connect_timeout=0.5, socket_timeout=2)
            _SHARED_CLIENTS[key] = redis.Redis(connection_pool=pool)
        return _SHARED_CLIENTS[key]


class ResilientRedisCache(RedisCache):
    """Django creates a cache object per thread (and daphne a thread per request): the client and its pool are
    shared per process instead, so the connections stay bounded by REDIS_MAX_CONNECTIONS."""

    _down_until = 0.0

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # fail fast: a request must not hang on a Redis that does not answer
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 2)
        options.setdefault("pool_class", "redis.BlockingConnectionPool")
        options.setdefault("max_connections", getattr(settings, "REDIS_MAX_CONNECTIONS", 20))
        options.setdefault("timeout", 5)  # waiting for a free connection of the pool
        super().__init__(server, {**params, "OPTIONS": options})

    @property
    def _cache(self):
        key = ("cache", tuple(self._servers), repr(sorted(self._options.items())))
        with _SHARED_LOCK:
            if key not in _SHARED_CLIENTS:
                _SHARED_CLIENTS[key] = self._class(self._servers, **self._options)
            return _SHARED_CLIENTS[key]

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() < type(self)._down_until:
            return getattr(_FALLBACK, name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _redis_errors() as exc:
            type(self)._down_until = time.monotonic() + _RETRY_AFTER
            logger.warning("cache: Redis unavailable, using local memory for %.0f s", _RETRY_AFTER,
                           extra={"error": str(exc)[:200]})
            return getattr(_FALLBACK, name)(*args, **kwargs)


def _wrap(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many",
              "clear"):
    setattr(ResilientRedisCache, _name, _wrap(_name))

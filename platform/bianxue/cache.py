"""The Redis cache, resilient: when Redis is unreachable each call falls back to this process's local memory
instead of failing the request (no page answers 500 because Redis is down).

What degrades: rate limits (allauth) and upload progress count per process until Redis is back, which is
stricter-or-equal per process, never open: a process still counts its own attempts.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("bianxue.cache")

_FALLBACK = LocMemCache("bianxue-cache-fallback", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 10000}})
_RETRY_AFTER = 5.0  # seconds before Redis is tried again after a failure


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ConnectionError, OSError)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # fail fast: a request must not hang on a Redis that does not answer
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 2)
        super().__init__(server, {**params, "OPTIONS": options})

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

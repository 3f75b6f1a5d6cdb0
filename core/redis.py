"""The platform's Redis: one raw redis-py client per process, and the errors that mean "Redis is sick".

The client is the one behind Django's Redis cache, so keys made with `cache.make_and_validate_key` carry the
deployment's (or the tests') prefix and version. Hot paths (snapshots, throttles, admission slots) use it
directly with JSON bytes and Lua scripts: that skips the client object Django builds per operation and a
pickle round trip.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from core.loop_local import loop_local

# A sick Redis: connection refused, timeouts, protocol errors. Callers decide whether to fail open.
CACHE_ERRORS = (RedisError, OSError)


def redis_client() -> Any | None:
    """The raw redis-py client behind Django's Redis cache, or None for other backends (local runs)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = backend.__dict__.get("_hostline_raw_client")
    if client is None:
        # Django keeps its client factory private; reading it once here keeps every other module off it.
        client = backend.__dict__["_hostline_raw_client"] = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
    return client


def async_redis_client() -> Any | None:
    """redis.asyncio's client for the serving event loop (one connection pool per loop), or None.

    Built from the same cache settings as `redis_client()` (address, time limits), so the same keys and
    the same fail-fast behaviour apply; `cache.make_and_validate_key` still makes the keys.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    location = backend._servers[0]  # type: ignore[attr-defined]
    options = backend._options  # type: ignore[attr-defined]
    connect_timeout = options.get("socket_connect_timeout")
    timeout = options.get("socket_timeout")

    def make() -> Any:
        import redis.asyncio

        return redis.asyncio.Redis.from_url(
            location,
            socket_connect_timeout=connect_timeout,
            socket_timeout=timeout,
            # Generous: a connection per request in flight, reused; more would only queue inside Redis.
            max_connections=512,
        )

    return loop_local(("redis", location, connect_timeout, timeout), make)

"""The platform's Redis: one raw redis-py client per process, and the errors that mean "Redis is sick".

The client is the one behind Django's Redis cache, so keys made with `cache.make_and_validate_key` carry the
deployment's (or the tests') prefix and version. Hot paths (snapshots, throttles, admission slots) use it
directly with JSON bytes and Lua scripts: that skips the client object Django builds per operation and a
pickle round trip.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis.exceptions import RedisError

from core.loop_local import loop_local

logger = logging.getLogger(__name__)

# A sick Redis: connection refused, timeouts, protocol errors. Callers decide whether to fail open.
CACHE_ERRORS = (RedisError, OSError)

# After a Redis failure, paths that have another source (the snapshot cache: Postgres) skip Redis for this
# long, then let one request probe it. A Redis that accepts connections but never answers otherwise costs
# every read a full socket timeout, step after step.
BREAKER_OPEN_SECONDS = 5.0


class CircuitBreaker:
    """Closed: use Redis. Open (after a failure): skip it until `open_seconds` pass. Then half-open: the
    first caller probes; a success closes the breaker, another failure opens it again.

    Per process, so each worker finds out for itself; the state is one float behind a lock.
    """

    def __init__(self, name: str, *, open_seconds: float = BREAKER_OPEN_SECONDS) -> None:
        self.name = name
        self.open_seconds = open_seconds
        self._lock = threading.Lock()
        self._open_until = 0.0

    def allows(self) -> bool:
        """May this caller use Redis now? In the half-open state only one caller at a time is let through."""
        with self._lock:
            now = time.monotonic()
            if self._open_until == 0.0:
                return True
            if now < self._open_until:
                return False
            # This caller probes; the others keep skipping Redis until it reports (or another window ends).
            self._open_until = now + self.open_seconds
            return True

    @property
    def is_open(self) -> bool:
        return self._open_until != 0.0

    def record_success(self) -> None:
        with self._lock:
            if self._open_until:
                logger.info("Redis answers again: %s breaker closed", self.name)
            self._open_until = 0.0

    def record_failure(self, exc: BaseException) -> None:
        with self._lock:
            if not self._open_until:
                logger.error(
                    "Redis failed (%r): %s breaker open, Redis skipped for %.0f s",
                    exc,
                    self.name,
                    self.open_seconds,
                )
            self._open_until = time.monotonic() + self.open_seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


# The breaker of the snapshot cache (tenants/cache.py), the one Redis path with a fallback source.
snapshot_breaker = CircuitBreaker("snapshot cache")
# The call start's limits (calls/admission.py: throttles, lines) and refusal counts. They fail open (calls
# matter more than limits); the breaker makes that immediate instead of a socket timeout per call start.
limits_breaker = CircuitBreaker("call limits")


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


# What the async client is made from, read once from the cache backend (reading `caches["default"]` costs
# more than the Redis call it precedes); reset when tests change CACHES.
_async_settings: tuple[str, float | None, float | None] | None = None
_NO_REDIS = ("", None, None)
_make_key: Any = None


@receiver(setting_changed)
def _cache_settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _async_settings, _make_key
    if setting in ("CACHES", "CACHE_KEY_PREFIX"):
        _async_settings = _make_key = None


def cache_key(key: str) -> str:
    """`cache.make_and_validate_key(key)` for hot paths: the same prefixed, versioned key, without the
    per-call cache-handler lookup and the memcached-only key warnings (our keys are short and plain)."""
    global _make_key
    if _make_key is None:
        _make_key = caches["default"].make_key
    return str(_make_key(key))


def _async_client_settings() -> tuple[str, float | None, float | None]:
    global _async_settings
    if _async_settings is None:
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            options = backend._options  # type: ignore[attr-defined]
            _async_settings = (
                backend._servers[0],  # type: ignore[attr-defined]
                options.get("socket_connect_timeout"),
                options.get("socket_timeout"),
            )
        else:
            _async_settings = _NO_REDIS
    return _async_settings


def async_redis_client() -> Any | None:
    """redis.asyncio's client for the serving event loop (one connection pool per loop), or None.

    Built from the same cache settings as `redis_client()` (address, time limits), so the same keys and
    the same fail-fast behaviour apply; `cache.make_and_validate_key` still makes the keys.
    """
    location, connect_timeout, timeout = _async_client_settings()
    if not location:
        return None

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

"""The restaurant snapshot cache: Redis over Postgres, fresh after every committed edit.

Reads try Redis, fall back to Postgres on a miss and fill the cache. One reader per restaurant rebuilds
a missing entry while the others wait briefly for it, so a burst of calls does not stampede the
database. Redis trouble is logged and reads go to Postgres; Postgres trouble is answered with the last
known snapshot, marked stale, so a call in progress can still be served.

A Redis that accepts connections but never answers is bounded twice: all Redis steps of one read share
one time budget (`SNAPSHOT_REDIS_BUDGET_SECONDS`; a step that starts inside it can still take one socket
timeout), and the first failure opens a circuit breaker (`core.redis.snapshot_breaker`) so the reads
that follow go straight to Postgres until a probe finds Redis answering again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from contextvars import ContextVar

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import DatabaseError, transaction

from config.metrics import SNAPSHOT_CACHE, SNAPSHOT_LOAD_SECONDS
from core import cache_keys
from core.db import db_call
from core.redis import CACHE_ERRORS, async_redis_client, cache_key, redis_client, snapshot_breaker
from tenants.models import AllowedOrigin, Restaurant
from tenants.selectors import restaurant_snapshot_from_db
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger(__name__)

SNAPSHOT_TTL_SECONDS = 60 * 60
LAST_KNOWN_TTL_SECONDS = 7 * 24 * 60 * 60
LOCK_SECONDS = 5
WAIT_FOR_PEER_SECONDS = 1.0
# Every Redis step of one snapshot read starts within this many seconds of the read's start, or is
# skipped (reads go to Postgres, writes are dropped). With the 0.5 s socket timeout a read spends at
# most about 1.25 s on Redis, well inside the agent's 2 s snapshot limit, before Postgres answers.
SNAPSHOT_REDIS_BUDGET_SECONDS = 0.75

_redis_deadline: ContextVar[float | None] = ContextVar("snapshot_redis_deadline", default=None)


def _redis_usable() -> bool:
    """May this step use Redis: within the read's budget, and the breaker not open?"""
    deadline = _redis_deadline.get()
    if deadline is not None and time.monotonic() >= deadline:
        return False
    return snapshot_breaker.allows()


def _redis_failed(exc: BaseException) -> None:
    snapshot_breaker.record_failure(exc)


def _cache_get(key: str) -> str | bytes | None:
    if not _redis_usable():
        SNAPSHOT_CACHE.labels("bypass").inc()
        return None
    try:
        client = redis_client()
        raw = client.get(cache.make_and_validate_key(key)) if client is not None else cache.get(key)
    except CACHE_ERRORS as exc:
        SNAPSHOT_CACHE.labels("redis_error").inc()
        logger.warning("snapshot cache read failed, using Postgres: %r", exc)
        _redis_failed(exc)
        return None
    snapshot_breaker.record_success()
    return raw


def _cache_set(key: str, value: str, timeout: int) -> None:
    if not _redis_usable():
        return
    try:
        client = redis_client()
        if client is not None:
            client.set(cache.make_and_validate_key(key), value.encode(), ex=timeout)
        else:
            cache.set(key, value, timeout=timeout)
    except CACHE_ERRORS as exc:
        logger.warning("snapshot cache write failed: %r", exc)
        _redis_failed(exc)


# Per-process memo of the last parsed snapshot per restaurant. Redis is still read on every call (so an
# edit is heard at once); only when the bytes are unchanged is the JSON parse skipped.
_parsed: dict[str, tuple[str | bytes, RestaurantSnapshot]] = {}
_PARSED_MAX = 1024


def _parse(public_id: str, raw: str | bytes) -> RestaurantSnapshot:
    memo = _parsed.get(public_id)
    if memo is not None and memo[0] == raw:
        return memo[1]
    snapshot = RestaurantSnapshot.model_validate_json(raw)
    if len(_parsed) >= _PARSED_MAX:
        _parsed.clear()
    _parsed[public_id] = (raw, snapshot)
    return snapshot


def _try_lock(public_id: str) -> bool:
    if not _redis_usable():
        return True  # no Redis, no peers to coordinate with through it
    try:
        return bool(cache.add(cache_keys.restaurant_snapshot_lock_key(public_id), 1, timeout=LOCK_SECONDS))
    except CACHE_ERRORS as exc:
        _redis_failed(exc)
        return True


def _unlock(public_id: str) -> None:
    if not _redis_usable():
        return  # the lock expires on its own after LOCK_SECONDS
    with contextlib.suppress(*CACHE_ERRORS):
        cache.delete(cache_keys.restaurant_snapshot_lock_key(public_id))


# Write a rebuilt snapshot only if no invalidation happened since the rebuild began. Without this, a
# reader that read Postgres just before an edit committed could put the old menu back just after the
# invalidation dropped it, and it would be served until the TTL ran out.
_STORE_IF_GENERATION = """
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[4])
return 1
"""


def _generation(public_id: str) -> bytes | None:
    """The restaurant's invalidation generation, or None when it cannot be read (then nothing is stored)."""
    client = redis_client()
    if client is None or not _redis_usable():
        return None
    try:
        return (
            client.get(cache.make_and_validate_key(cache_keys.restaurant_snapshot_generation_key(public_id)))
            or b""
        )
    except CACHE_ERRORS as exc:
        _redis_failed(exc)
        return None


def _store(public_id: str, data: str, generation: bytes | None) -> None:
    client = redis_client()
    if client is None:
        # Local runs (one process, in-memory cache) have no peers to race with.
        _cache_set(cache_keys.restaurant_snapshot_key(public_id), data, SNAPSHOT_TTL_SECONDS)
        _cache_set(cache_keys.restaurant_last_known_snapshot_key(public_id), data, LAST_KNOWN_TTL_SECONDS)
        return
    if generation is None or not _redis_usable():
        return  # Redis did not answer a moment ago (or the budget is spent): Postgres stays the source.
    keys = [
        cache.make_and_validate_key(k(public_id))
        for k in (
            cache_keys.restaurant_snapshot_generation_key,
            cache_keys.restaurant_snapshot_key,
            cache_keys.restaurant_last_known_snapshot_key,
        )
    ]
    try:
        written = client.eval(
            _STORE_IF_GENERATION,
            3,
            *keys,
            generation,
            data.encode(),
            SNAPSHOT_TTL_SECONDS,
            LAST_KNOWN_TTL_SECONDS,
        )
    except CACHE_ERRORS as exc:
        logger.warning("snapshot cache write failed: %r", exc)
        _redis_failed(exc)
        return
    if not written:
        logger.info("snapshot of %s changed while it was rebuilt; not caching the older copy", public_id)


def _build_and_store(public_id: str, *, read_miss: bool = True) -> RestaurantSnapshot | None:
    generation = _generation(public_id)
    started = time.perf_counter()
    snapshot = restaurant_snapshot_from_db(public_id=public_id)
    SNAPSHOT_LOAD_SECONDS.observe(time.perf_counter() - started)
    if read_miss:  # warming is not a diner waiting
        SNAPSHOT_CACHE.labels("miss").inc()
    if snapshot is not None:
        _store(public_id, snapshot.model_dump_json(), generation)
    return snapshot


def _last_known(public_id: str) -> RestaurantSnapshot | None:
    raw = _cache_get(cache_keys.restaurant_last_known_snapshot_key(public_id))
    if raw is None:
        return None
    return RestaurantSnapshot.model_validate_json(raw).model_copy(update={"stale": True})


def restaurant_snapshot_get(*, public_id: str) -> RestaurantSnapshot | None:
    """The restaurant's live snapshot, or None if no such restaurant exists.

    Raises DatabaseError only when Postgres is unreachable and no last known copy exists either.
    """
    token = _redis_deadline.set(time.monotonic() + SNAPSHOT_REDIS_BUDGET_SECONDS)
    try:
        return _snapshot_get(public_id)
    finally:
        _redis_deadline.reset(token)


def _snapshot_get(public_id: str) -> RestaurantSnapshot | None:
    key = cache_keys.restaurant_snapshot_key(public_id)
    raw = _cache_get(key)
    if raw is not None:
        SNAPSHOT_CACHE.labels("hit").inc()
        return _parse(public_id, raw)
    try:
        if _try_lock(public_id):
            try:
                return _build_and_store(public_id)
            finally:
                _unlock(public_id)
        # Another reader is rebuilding this entry: wait a moment for its result rather than pile on.
        deadline = time.monotonic() + WAIT_FOR_PEER_SECONDS
        while time.monotonic() < deadline and _redis_usable():
            time.sleep(0.01)
            raw = _cache_get(key)
            if raw is not None:
                SNAPSHOT_CACHE.labels("hit").inc()
                return _parse(public_id, raw)
        return _build_and_store(public_id)
    except DatabaseError as exc:
        stale = _last_known(public_id)
        if stale is None:
            raise
        SNAPSHOT_CACHE.labels("stale").inc()
        logger.error("Postgres unavailable, serving the last known snapshot of %s: %r", public_id, exc)
        return stale


async def arestaurant_snapshot_get(*, public_id: str, timeout: float) -> RestaurantSnapshot | None:
    """The same, for the agent worker's event loop: runs off-loop and gives up after `timeout` seconds."""
    reader = sync_to_async(restaurant_snapshot_get, thread_sensitive=False)
    return await asyncio.wait_for(reader(public_id=public_id), timeout=timeout)


async def arestaurant_snapshot_get_cached(*, public_id: str) -> RestaurantSnapshot | None:
    """`restaurant_snapshot_get` for the call start on the serving event loop.

    A cache hit is one Redis GET on the loop and a memoised parse: no thread, no SQL. A miss, or Redis
    trouble, takes the synchronous path (lock, Postgres, last known copy) in Django's sync thread.
    """
    client = async_redis_client()
    if client is not None and snapshot_breaker.allows():
        try:
            raw = await client.get(cache_key(cache_keys.restaurant_snapshot_key(public_id)))
        except CACHE_ERRORS as exc:
            SNAPSHOT_CACHE.labels("redis_error").inc()
            logger.warning("snapshot cache read failed, using Postgres: %r", exc)
            _redis_failed(exc)
        else:
            snapshot_breaker.record_success()
            if raw is not None:
                SNAPSHOT_CACHE.labels("hit").inc()
                return _parse(public_id, raw)
    return await db_call(restaurant_snapshot_get, public_id=public_id)


def _delete(public_ids: set[str]) -> None:
    keys = [cache_keys.restaurant_snapshot_key(p) for p in public_ids]
    try:
        client = redis_client()
        if client is not None:
            pipe = client.pipeline(transaction=True)
            for public_id in public_ids:
                generation = cache_keys.restaurant_snapshot_generation_key(public_id)
                pipe.incr(cache.make_and_validate_key(generation))
                pipe.expire(cache.make_and_validate_key(generation), LAST_KNOWN_TTL_SECONDS)
            pipe.delete(*[cache.make_and_validate_key(k) for k in keys])
            pipe.execute()
        else:
            cache.delete_many(keys)
    except CACHE_ERRORS as exc:
        # The entries still expire with their TTL; say so loudly, since readers may see old data until then.
        logger.error("snapshot cache invalidation failed for %s: %r", sorted(public_ids), exc)


def restaurant_snapshot_invalidate(*, public_ids: Iterable[str]) -> None:
    """Drop cached snapshots once the current transaction commits (at once outside a transaction).

    Never before: a rolled-back edit leaves the cache as it was.
    """
    ids = {p for p in public_ids if p}
    if ids:
        transaction.on_commit(lambda: _delete(ids))


def tenant_snapshots_invalidate(*, tenant_id: int) -> None:
    restaurant_snapshot_invalidate(
        public_ids=Restaurant.objects.filter(tenant_id=tenant_id).values_list("public_id", flat=True)
    )


def restaurant_snapshots_warm(*, public_ids: Iterable[str]) -> int:
    """Rebuild and cache the given snapshots (periodic warming). Returns how many were cached."""
    return sum(1 for public_id in public_ids if _build_and_store(public_id, read_miss=False) is not None)


# --- Every origin some tenant allows (CORS before the body names a restaurant): a Redis set, rebuilt from
# Postgres on a miss, dropped after every committed edit, with the same generation guard as snapshots.
ALLOWED_ORIGINS_TTL_SECONDS = 60 * 60

_STORE_SET_IF_GENERATION = """
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
for i = 3, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""


def _allowed_origins_from_db() -> set[str]:
    return set(AllowedOrigin.objects.values_list("origin", flat=True).distinct())


def allowed_origins_rebuild() -> set[str]:
    """Every allowed origin, from Postgres, written to Redis unless an edit happened meanwhile."""
    client = redis_client()
    if client is None:
        return _allowed_origins_from_db()
    gen_key = cache.make_and_validate_key(cache_keys.allowed_origins_generation_key())
    try:
        generation = client.get(gen_key) or b""
    except CACHE_ERRORS:
        return _allowed_origins_from_db()
    origins = _allowed_origins_from_db()
    with contextlib.suppress(*CACHE_ERRORS):
        client.eval(
            _STORE_SET_IF_GENERATION,
            2,
            gen_key,
            cache.make_and_validate_key(cache_keys.allowed_origins_key()),
            generation,
            ALLOWED_ORIGINS_TTL_SECONDS,
            "",
            *sorted(origins),
        )
    return origins


async def aallowed_origin_exists(*, origin: str) -> bool:
    """Does any tenant allow `origin`? One Redis round trip; Postgres only to rebuild a missing set."""
    client = async_redis_client()
    if client is not None:
        try:
            member, present = await client.smismember(
                cache_key(cache_keys.allowed_origins_key()), [origin, ""]
            )
        except CACHE_ERRORS as exc:
            logger.warning("allowed origins cache read failed, using Postgres: %r", exc)
        else:
            if present:
                return bool(member)
    return origin in await db_call(allowed_origins_rebuild)


def _allowed_origins_drop() -> None:
    client = redis_client()
    if client is None:
        return
    try:
        pipe = client.pipeline(transaction=True)
        gen_key = cache.make_and_validate_key(cache_keys.allowed_origins_generation_key())
        pipe.incr(gen_key)
        pipe.expire(gen_key, LAST_KNOWN_TTL_SECONDS)
        pipe.delete(cache.make_and_validate_key(cache_keys.allowed_origins_key()))
        pipe.execute()
    except CACHE_ERRORS as exc:
        logger.error("allowed origins cache invalidation failed: %r", exc)


def allowed_origins_invalidate() -> None:
    """Drop the cached set of allowed origins once the current transaction commits."""
    transaction.on_commit(_allowed_origins_drop)

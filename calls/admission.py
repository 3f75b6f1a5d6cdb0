"""Call admission, the same for every channel (web widget, server API, phone): may this call start now?

A call is admitted when the restaurant takes calls and its tenant has a free line. Lines are the per-tenant
cap on concurrent voice sessions, kept in Redis.

Each session holds a slot from the moment the platform hands out connection details. A slot starts short:
the admission window. Only when the worker sees the diner actually join the room is it lengthened to the
length of a call (`session_slot_mark_started`); an agent whose room stays empty for the window leaves and
releases the line, and an unconfirmed slot expires on its own soon after. So a client that asks for calls
and never joins them holds a restaurant's lines for seconds, not minutes. A browser client (the
throttle's ident) also holds at most `CONNECTION_DETAILS_CONCURRENT_PER_CLIENT` calls at once.

Acquiring is one atomic Lua script: expired slots are dropped, the counts checked and the new slot added
together, so two requests can never both take the last slot.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from config.metrics import REDIS_ERRORS
from core.cache_keys import client_session_slots_key, session_client_index_key, tenant_session_slots_key
from core.errors import Busy, Forbidden
from core.redis import CACHE_ERRORS, async_redis_client, cache_key, limits_breaker, redis_client
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger(__name__)

# How long the worker waits, from the start of the job, for the diner to join before it leaves and
# releases the line. The widget gives the agent 20 s to appear; a diner is in the room before that.
ADMISSION_WINDOW_SECONDS = 30
# An unconfirmed slot expires on its own this long after dispatch: the window plus the time LiveKit may
# take to hand the job to a worker. The worker's own release usually frees it sooner.
UNSTARTED_SLOT_SECONDS = ADMISSION_WINDOW_SECONDS + 15
STARTED_SLOT_SECONDS = 2 * 60 * 60

# KEYS: tenant slots [, client slots, room->client index]. ARGV: now, tenant limit, slot expiry, room,
# key TTL [, client limit]. Returns 1 (taken), 0 (tenant full) or -1 (this client holds its limit).
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
if #KEYS > 1 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return -1 end
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
  redis.call('SET', KEYS[3], KEYS[2], 'EX', ARGV[5])
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""
# Lengthen (only if still held: a call that already ended must not take its line back) or release a
# room's slot, in the tenant's set and in the client's set the index names. ARGV: room, new expiry or ''.
_UPDATE = """
local client = redis.call('GET', KEYS[2])
for _, key in ipairs({KEYS[1], client}) do
  if key then
    if ARGV[2] == '' then redis.call('ZREM', key, ARGV[1])
    else redis.call('ZADD', key, 'XX', ARGV[2], ARGV[1]) end
  end
end
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) end
return 1
"""


def _key(tenant_id: int) -> str:
    return cache.make_and_validate_key(tenant_session_slots_key(tenant_id))


def _client() -> Any:
    client = redis_client()
    if client is None:
        # Only the zero-configuration local run has no Redis (production settings require REDIS_URL).
        logger.warning("no Redis configured: the concurrent-session cap is not enforced")
    return client


def _redis_unavailable(exc: Exception | None) -> None:
    # Calls matter more than the cap: with Redis down the cap is not enforced, loudly (once per breaker
    # window: while it is open, requests skip Redis without a log line each).
    REDIS_ERRORS.labels("session_slots").inc()
    if exc is not None:
        limits_breaker.record_failure(exc)
        logger.error("concurrent-session cap not enforced, Redis unavailable: %r", exc)


def _index_key(room_name: str) -> str:
    return cache.make_and_validate_key(session_client_index_key(room_name))


def session_slot_acquire(
    *,
    tenant_id: int,
    room_name: str,
    limit: int,
    client_ident: str | None = None,
    client_limit: int = 0,
) -> bool:
    """Take a slot for `room_name` if the tenant has fewer than `limit` live sessions.

    With `client_ident` the slot also counts against that client, who may hold at most `client_limit`
    (raises TooManyClientSessions when it already does).
    """
    client = _client()
    if client is None:
        return True
    now = time.time()
    keys = [_key(tenant_id)]
    args: list[Any] = [now, limit, now + UNSTARTED_SLOT_SECONDS, room_name, STARTED_SLOT_SECONDS]
    if client_ident is not None and client_limit > 0:
        keys += [cache.make_and_validate_key(client_session_slots_key(client_ident)), _index_key(room_name)]
        args.append(client_limit)
    if not limits_breaker.allows():
        _redis_unavailable(None)
        return True
    try:
        taken = client.eval(_ACQUIRE, len(keys), *keys, *args)
    except CACHE_ERRORS as exc:
        _redis_unavailable(exc)
        return True
    limits_breaker.record_success()
    if taken == -1:
        raise _client_at_limit()
    return bool(taken)


def _slot_update(*, tenant_id: int, room_name: str, expires_at: float | None) -> None:
    client = _client()
    if client is None:
        return
    try:
        client.eval(
            _UPDATE,
            2,
            _key(tenant_id),
            _index_key(room_name),
            room_name,
            "" if expires_at is None else expires_at,
        )
    except CACHE_ERRORS as exc:
        # The slot still expires on its own (at most STARTED_SLOT_SECONDS later).
        _redis_unavailable(exc)


def session_slot_mark_started(
    *, tenant_id: int, room_name: str, max_seconds: int = STARTED_SLOT_SECONDS
) -> None:
    """The diner joined: hold the slot for up to `max_seconds` until it is released.

    Only a slot still held is lengthened: one already released (the call ended) is not taken back.
    """
    _slot_update(tenant_id=tenant_id, room_name=room_name, expires_at=time.time() + max_seconds)


def session_slot_release(*, tenant_id: int, room_name: str) -> None:
    _slot_update(tenant_id=tenant_id, room_name=room_name, expires_at=None)


def session_slots_in_use(*, tenant_id: int) -> int:
    client = _client()
    if client is None:
        return 0
    client.zremrangebyscore(_key(tenant_id), "-inf", time.time())
    return int(client.zcard(_key(tenant_id)))


class NotTakingCalls(Forbidden):
    code = "not_taking_calls"


class NotLive(Forbidden):
    # The owner has not pressed "Go live" yet: the widget says "not taking calls yet", without a microphone.
    code = "not_live"


class TooManySessions(Busy):
    code = "too_many_sessions"


class TooManyClientSessions(Busy):
    code = "too_many_client_sessions"


class Throttled(Busy):
    code = "throttled"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests in any `window` seconds for one key (a sliding window in Redis)."""

    key: str  # from core.cache_keys.request_rate_key, without the deployment's prefix
    limit: int
    window: float


# One round trip for a call start: every rate limit is checked (and, when all allow, counted), then one
# of the tenant's lines is taken (and, for a browser client, one of that client's).
# KEYS: the n rate limits' sorted sets, the tenant's slot set, then the client's slot set and the
# room->client index (only with a client cap). ARGV: now, a unique member, the line cap ('' = rate limits
# only), the slot's expiry, the room, the slot sets' TTL, n, the client cap ('' = none), then
# (limit, window) per rate limit. Returns {0} admitted, {1, seconds} throttled, {2} full, {3} this
# client already holds its cap.
_ADMIT = """
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[7])
local throttled, wait = false, 0
for i = 1, n do
  local limit, window = tonumber(ARGV[7 + 2 * i]), tonumber(ARGV[8 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= limit then
    throttled = true
    local oldest = tonumber(redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')[2])
    wait = math.max(wait, window - (now - oldest))
  end
end
if throttled then return {1, tostring(wait)} end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('EXPIRE', KEYS[i], math.ceil(tonumber(ARGV[8 + 2 * i])))
end
if ARGV[3] == '' then return {0} end
local slots = KEYS[n + 1]
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
if redis.call('ZCARD', slots) >= tonumber(ARGV[3]) then return {2} end
if ARGV[8] ~= '' then
  local mine = KEYS[n + 2]
  redis.call('ZREMRANGEBYSCORE', mine, '-inf', now)
  if redis.call('ZCARD', mine) >= tonumber(ARGV[8]) then return {3} end
  redis.call('ZADD', mine, ARGV[4], ARGV[5])
  redis.call('EXPIRE', mine, ARGV[6])
  redis.call('SET', KEYS[n + 3], mine, 'EX', ARGV[6])
end
redis.call('ZADD', slots, ARGV[4], ARGV[5])
redis.call('EXPIRE', slots, ARGV[6])
return {0}
"""


def _admit_script() -> Any:
    # Registered per client (EVALSHA, reloaded by redis-py after a Redis restart).
    client = async_redis_client()
    if client is None:
        return None
    script = client.__dict__.get("_hostline_admit")
    if script is None:
        script = client.__dict__["_hostline_admit"] = client.register_script(_ADMIT)
    return script


async def acall_admit(
    *,
    snapshot: RestaurantSnapshot | None,
    room_name: str,
    rate_limits: Sequence[RateLimit],
    client_ident: str | None = None,
) -> None:
    """Count the request against `rate_limits` and, with a snapshot, take one of its tenant's lines.

    With `client_ident` (a browser caller) the line also counts against that client, who may hold at
    most `CONNECTION_DETAILS_CONCURRENT_PER_CLIENT` calls at once. One Redis round trip, on the serving
    event loop. Raises Throttled (with the seconds until the oldest request leaves the window),
    NotTakingCalls, TooManySessions or TooManyClientSessions. With Redis unreachable nothing is enforced
    (logged and counted): calls matter more than limits.
    """
    if snapshot is not None and not snapshot.can_take_calls:
        raise NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead.")
    if snapshot is not None and not snapshot.live:
        raise NotLive(NOT_LIVE_DETAIL)
    script = _admit_script()
    if script is None:
        if snapshot is not None:
            _client()  # logs that the cap is not enforced without Redis
        return
    now = time.time()
    keys = [cache_key(r.key) for r in rate_limits]
    args: list[Any] = [now, f"{now}-{uuid.uuid4().hex[:8]}"]
    client_limit = settings.CONNECTION_DETAILS_CONCURRENT_PER_CLIENT if client_ident else 0
    if snapshot is not None:
        keys.append(cache_key(tenant_session_slots_key(snapshot.tenant_id)))
        args += [
            snapshot.max_concurrent_sessions,
            now + UNSTARTED_SLOT_SECONDS,
            room_name,
            STARTED_SLOT_SECONDS,
        ]
    else:
        keys.append(keys[0] if keys else "unused")
        args += ["", 0, "", 0]
        client_limit = 0
    args += [len(rate_limits), client_limit or ""]
    if client_limit:
        keys += [
            cache_key(client_session_slots_key(client_ident or "")),
            cache_key(session_client_index_key(room_name)),
        ]
    for r in rate_limits:
        args += [r.limit, r.window]
    if not limits_breaker.allows():
        REDIS_ERRORS.labels("throttle").inc(len(rate_limits))
        if snapshot is not None:
            _redis_unavailable(None)
        return
    try:
        result = await script(keys=keys, args=args)
    except CACHE_ERRORS as exc:
        REDIS_ERRORS.labels("throttle").inc(len(rate_limits))
        logger.warning("rate limits not enforced, Redis unavailable: %r", exc)
        if snapshot is not None:
            _redis_unavailable(exc)
        else:
            limits_breaker.record_failure(exc)
        return
    limits_breaker.record_success()
    if result[0] == 1:
        raise Throttled(
            "Too many requests. Please try again shortly.",
            retry_after=max(1, math.ceil(float(result[1]))),
        )
    if result[0] == 2:
        raise TooManySessions("All lines are busy right now. Please try again in a minute.")
    if result[0] == 3:
        raise _client_at_limit()


NOT_LIVE_DETAIL = "This restaurant is not taking calls yet."


def _client_at_limit() -> TooManyClientSessions:
    return TooManyClientSessions(
        "You already have the most calls open at once that we allow. End one and try again."
    )


def call_admit(*, snapshot: RestaurantSnapshot, room_name: str, client_ident: str | None = None) -> None:
    """Admit a call to `room_name` for this restaurant, taking one of its tenant's lines, or raise.

    Raises NotTakingCalls (suspended tenant, inactive restaurant), NotLive (the owner has not gone live),
    TooManySessions (every line busy) or TooManyClientSessions (`client_ident`, a browser client, already
    holds its limit of calls). The line is held until `session_slot_release`, or frees itself if nobody
    joins the call.
    """
    if not snapshot.can_take_calls:
        raise NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead.")
    if not snapshot.live:
        raise NotLive(NOT_LIVE_DETAIL)
    limit = snapshot.max_concurrent_sessions  # cached with the snapshot: no SQL
    if not session_slot_acquire(
        tenant_id=snapshot.tenant_id,
        room_name=room_name,
        limit=limit,
        client_ident=client_ident,
        client_limit=settings.CONNECTION_DETAILS_CONCURRENT_PER_CLIENT,
    ):
        raise TooManySessions("All lines are busy right now. Please try again in a minute.")

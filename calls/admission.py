"""Call admission, the same for every channel (web widget, server API, phone): may this call start now?

A call is admitted when the restaurant takes calls and its tenant has a free line. Lines are the per-tenant
cap on concurrent voice sessions, kept in Redis.

Each session holds a slot from the moment the platform hands out connection details. A slot starts short
(a session that never starts frees itself), is lengthened when the agent starts the job, and is released
when the call record says the session ended. Acquiring is one atomic Lua script: expired slots are
dropped, the count checked and the new slot added together, so two requests can never both take the
last slot.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache

from config.metrics import REDIS_ERRORS
from core.cache_keys import tenant_session_slots_key
from core.errors import Busy, Forbidden
from core.redis import CACHE_ERRORS, redis_client
from tenants.models import Tenant
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger(__name__)

UNSTARTED_SLOT_SECONDS = 120
STARTED_SLOT_SECONDS = 2 * 60 * 60

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
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


def _redis_unavailable(exc: Exception) -> None:
    # Calls matter more than the cap: with Redis down the cap is not enforced, loudly.
    REDIS_ERRORS.labels("session_slots").inc()
    logger.error("concurrent-session cap not enforced, Redis unavailable: %r", exc)


def session_slot_acquire(*, tenant_id: int, room_name: str, limit: int) -> bool:
    """Take a slot for `room_name` if the tenant has fewer than `limit` live sessions."""
    client = _client()
    if client is None:
        return True
    now = time.time()
    try:
        taken = client.eval(
            _ACQUIRE,
            1,
            _key(tenant_id),
            now,
            limit,
            now + UNSTARTED_SLOT_SECONDS,
            room_name,
            STARTED_SLOT_SECONDS,
        )
    except CACHE_ERRORS as exc:
        _redis_unavailable(exc)
        return True
    return bool(taken)


def session_slot_mark_started(
    *, tenant_id: int, room_name: str, max_seconds: int = STARTED_SLOT_SECONDS
) -> None:
    """The agent started the session: hold the slot for up to `max_seconds` until it is released."""
    client = _client()
    if client is not None:
        try:
            client.zadd(_key(tenant_id), {room_name: time.time() + max_seconds}, xx=True)
        except CACHE_ERRORS as exc:
            _redis_unavailable(exc)


def session_slot_release(*, tenant_id: int, room_name: str) -> None:
    client = _client()
    if client is not None:
        try:
            client.zrem(_key(tenant_id), room_name)
        except CACHE_ERRORS as exc:
            # The slot still expires on its own (at most STARTED_SLOT_SECONDS later).
            _redis_unavailable(exc)


def session_slots_in_use(*, tenant_id: int) -> int:
    client = _client()
    if client is None:
        return 0
    client.zremrangebyscore(_key(tenant_id), "-inf", time.time())
    return int(client.zcard(_key(tenant_id)))


class NotTakingCalls(Forbidden):
    code = "not_taking_calls"


class TooManySessions(Busy):
    code = "too_many_sessions"


def call_admit(*, snapshot: RestaurantSnapshot, room_name: str) -> None:
    """Admit a call to `room_name` for this restaurant, taking one of its tenant's lines, or raise.

    Raises NotTakingCalls (suspended tenant, inactive restaurant) or TooManySessions (every line busy). The
    line is held until `session_slot_release`, or frees itself if the session never starts.
    """
    if not snapshot.can_take_calls:
        raise NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead.")
    limit = (
        Tenant.objects.filter(pk=snapshot.tenant_id).values_list("max_concurrent_sessions", flat=True).first()
    )
    if not session_slot_acquire(tenant_id=snapshot.tenant_id, room_name=room_name, limit=limit or 0):
        raise TooManySessions("All lines are busy right now. Please try again in a minute.")

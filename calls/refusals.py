"""Refused call starts, counted per restaurant and reason without touching Postgres on the call-start path.

The endpoint calls `call_refusal_count` (one HINCRBY on one Redis hash, never SQL). Celery beat runs
`call_refusals_flush` every minute: it renames the hash away atomically (new refusals start a new hash at
once), adds its counts to `CallRefusalCount` rows with one upsert, and deletes the renamed hash only after
the commit. A flush that dies leaves the renamed hash behind; the next flush picks it up, so counts are
never lost (at worst, a flush that committed but died before deleting is counted twice — rare and small).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from calls.models import CallRefusalCount, RefusalReason
from config.metrics import REDIS_ERRORS
from core.cache_keys import call_refusals_flushing_key, call_refusals_pending_key
from core.redis import CACHE_ERRORS, async_redis_client, cache_key, limits_breaker, redis_client
from tenants.models import Restaurant
from webhooks.emitters import acall_refused_note, call_refused_note

logger = logging.getLogger(__name__)

PERIOD_MINUTES = 15
_REASONS = frozenset(RefusalReason.values)


def _period_start(now: dt.datetime) -> dt.datetime:
    now = now.astimezone(dt.UTC)
    return now.replace(minute=now.minute - now.minute % PERIOD_MINUTES, second=0, microsecond=0)


def _field(public_id: str, reason: str, now: dt.datetime) -> str:
    """The pending hash's field: one counter per restaurant, reason and quarter hour."""
    return f"{public_id}|{reason}|{_period_start(now).isoformat()}"


def call_refusal_count(
    *,
    public_id: str,
    reason: str,
    tenant_id: int | None = None,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> None:
    """Count one refused call start, and (given its tenant) buffer its call.refused webhook event. Cheap
    (Redis only, no SQL) and never raises: a count is not worth a 500."""
    if reason not in _REASONS:
        logger.warning("unknown refusal reason %r not counted", reason)
        return
    client = redis_client()
    if client is None:
        return  # the zero-configuration local run keeps no counts
    if not limits_breaker.allows():
        REDIS_ERRORS.labels("call_refusals").inc()
        return
    now = now or timezone.now()
    try:
        client.hincrby(
            cache.make_and_validate_key(call_refusals_pending_key()), _field(public_id, reason, now), 1
        )
    except CACHE_ERRORS as exc:
        REDIS_ERRORS.labels("call_refusals").inc()
        limits_breaker.record_failure(exc)
        logger.warning("refused call start not counted, Redis unavailable: %r", exc)
        return
    limits_breaker.record_success()
    if tenant_id is not None:
        call_refused_note(
            tenant_id=tenant_id, restaurant_id=public_id, reason=reason, channel=channel, at=now
        )


async def acall_refusal_count(
    *,
    public_id: str,
    reason: str,
    tenant_id: int | None = None,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> None:
    """`call_refusal_count` on an event loop (the async call start, the agent worker). Never raises."""
    if reason not in _REASONS:
        logger.warning("unknown refusal reason %r not counted", reason)
        return
    client = async_redis_client()
    if client is None:
        return
    if not limits_breaker.allows():
        REDIS_ERRORS.labels("call_refusals").inc()
        return
    now = now or timezone.now()
    try:
        await client.hincrby(cache_key(call_refusals_pending_key()), _field(public_id, reason, now), 1)
    except CACHE_ERRORS as exc:
        REDIS_ERRORS.labels("call_refusals").inc()
        limits_breaker.record_failure(exc)
        logger.warning("refused call start not counted, Redis unavailable: %r", exc)
        return
    limits_breaker.record_success()
    if tenant_id is not None:
        await acall_refused_note(
            tenant_id=tenant_id, restaurant_id=public_id, reason=reason, channel=channel, at=now
        )


def _parse(raw: dict[bytes, bytes]) -> Counter[tuple[str, str, dt.datetime]]:
    counts: Counter[tuple[str, str, dt.datetime]] = Counter()
    for field, value in raw.items():
        try:
            public_id, reason, start = field.decode().split("|")
            counts[(public_id, reason, dt.datetime.fromisoformat(start))] += int(value)
        except ValueError:
            logger.warning("malformed refusal counter %r dropped", field)
    return counts


def _store(counts: Counter[tuple[str, str, dt.datetime]]) -> int:
    restaurants = dict(
        Restaurant.objects.filter(public_id__in={key[0] for key in counts}).values_list("public_id", "pk")
    )
    tenants = dict(Restaurant.objects.filter(pk__in=restaurants.values()).values_list("pk", "tenant_id"))
    rows = [
        (tenants[restaurants[public_id]], restaurants[public_id], reason, start, count)
        for (public_id, reason, start), count in counts.items()
        if public_id in restaurants  # a deleted restaurant's counts go with it
    ]
    if not rows:
        return 0
    table = CallRefusalCount._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    # The table name is the model's own and every value is a placeholder: nothing here comes from input.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tenant_id, restaurant_id, reason, period_start, count) VALUES {values} "  # noqa: S608
            "ON CONFLICT (restaurant_id, reason, period_start) "
            f"DO UPDATE SET count = {table}.count + EXCLUDED.count",
            [value for row in rows for value in row],
        )
    return sum(row[4] for row in rows)


def call_refusals_flush() -> int:
    """Move the pending counts from Redis into Postgres. Returns how many refusals were stored."""
    client = redis_client()
    if client is None:
        return 0
    pending = cache.make_and_validate_key(call_refusals_pending_key())
    leftovers = [
        key for key in client.scan_iter(match=cache.make_and_validate_key(call_refusals_flushing_key("*")))
    ]
    fresh = cache.make_and_validate_key(call_refusals_flushing_key(uuid.uuid4().hex))
    try:
        client.rename(pending, fresh)
        leftovers.append(fresh)
    except CACHE_ERRORS as exc:
        if "no such key" not in str(exc).lower():
            raise
    stored = 0
    for key in leftovers:
        counts = _parse(client.hgetall(key))
        stored += _store(counts)
        client.delete(key)
    return stored

"""Reads for webhooks."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from core import cache_keys
from core.redis import CACHE_ERRORS, redis_client


def call_refusal_counts(*, tenant_id: int, day: dt.date | None = None) -> dict[str, int]:
    """How many calls were refused on a UTC day, by reason (from Redis; empty when Redis is unavailable)."""
    day = day or timezone.now().date()
    client = redis_client()
    if client is None:
        return {}
    try:
        raw = client.hgetall(cache.make_and_validate_key(cache_keys.call_refusal_counts_key(tenant_id, day)))
    except CACHE_ERRORS:
        return {}
    return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}

"""The per-API-key rate limit for /api/v1/: a sliding window in a Redis sorted set, one Lua round trip.

Without Redis (the zero-configuration local run) DRF's own throttle runs; with Redis unreachable the
limit is not enforced for that request (logged and counted) rather than failing the request with a 500.
"""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from config.metrics import REDIS_ERRORS
from core.cache_keys import request_rate_key
from core.redis import CACHE_ERRORS, redis_client
from tenants.models import ApiKey

logger = logging.getLogger(__name__)

# Returns {1} when the request is allowed, {0, oldest timestamp in the window} when it is not.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return {0, redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
return {1}
"""


class RedisRateThrottle(SimpleRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        limit, window = self.parse_rate(self.rate)
        if limit is None or window is None:
            return True
        client = redis_client()
        if client is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            result = client.eval(
                _SLIDING_WINDOW,
                1,
                cache.make_and_validate_key(self.key),
                self.now,
                window,
                limit,
                f"{self.now}-{uuid.uuid4().hex[:8]}",
            )
        except CACHE_ERRORS as exc:
            REDIS_ERRORS.labels("throttle").inc()
            logger.warning("rate limit not enforced, Redis unavailable: %r", exc)
            return True
        if result[0]:
            return True
        self._retry_after = max(1.0, math.ceil(window - (self.now - float(result[1]))))
        return False

    def wait(self) -> float | None:
        retry_after: float | None = getattr(self, "_retry_after", None)
        return retry_after if retry_after is not None else super().wait()


class ApiKeyThrottle(RedisRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        return settings.API_RATE_PER_KEY

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = request.auth
        return request_rate_key(self.scope, key.prefix) if isinstance(key, ApiKey) else None

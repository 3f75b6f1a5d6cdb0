"""Request-rate limits for the connection-details endpoint, in one Redis round trip each.

DRF's SimpleRateThrottle keeps a pickled list of timestamps in the cache and rewrites it on every
request (two cache operations, each building a client). This keeps the same sliding window in a
Redis sorted set, trimmed, counted and appended by one Lua script. Without a Redis cache (the
zero-configuration local run) DRF's own implementation runs; with Redis unreachable the limit is not
enforced for that request (logged and counted) rather than failing a diner's call with a 500.
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


class ClientIpThrottle(RedisRateThrottle):
    scope = "connection_details_ip"

    def get_rate(self) -> str:
        return settings.CONNECTION_DETAILS_RATE_PER_IP

    def get_cache_key(self, request: Request, view: Any) -> str:
        return request_rate_key(self.scope, self.get_ident(request))


class RestaurantThrottle(RedisRateThrottle):
    scope = "connection_details_restaurant"

    def get_rate(self) -> str:
        return settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        restaurant_id = data.get("restaurant_id")
        if not isinstance(restaurant_id, str) or not restaurant_id:
            return None
        return request_rate_key(self.scope, restaurant_id[:64])

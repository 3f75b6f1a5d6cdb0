"""Request-rate limits for the connection-details endpoint: per client address and per restaurant.

Both are sliding windows in Redis sorted sets, checked and counted together with the tenant's line in
one Lua script (calls/admission.py), so a call start costs one Redis round trip. The per-restaurant
budget is only spent by requests that passed every cheap check (origin or key, the restaurant exists and
takes calls): refused requests count against their sender's address only, so nobody can lock a
restaurant's diners out with requests that would be refused anyway.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from calls.admission import RateLimit
from core.cache_keys import request_rate_key

IP_SCOPE = "connection_details_ip"
RESTAURANT_SCOPE = "connection_details_restaurant"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=16)
def parse_rate(rate: str) -> tuple[int, float]:
    """DRF's rate syntax: "20/minute" -> (20, 60.0)."""
    count, period = rate.split("/")
    return int(count), float(_PERIODS[period.strip()[0]])


def client_rate_limit(client_ip: str) -> RateLimit:
    limit, window = parse_rate(settings.CONNECTION_DETAILS_RATE_PER_IP)
    return RateLimit(request_rate_key(IP_SCOPE, client_ip), limit, window)


def restaurant_rate_limit(public_id: str) -> RateLimit:
    limit, window = parse_rate(settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT)
    return RateLimit(request_rate_key(RESTAURANT_SCOPE, public_id[:64]), limit, window)

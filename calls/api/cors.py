"""CORS for the connection-details endpoint: answered only for origins some tenant allows.

Never `*`. Which restaurant a request is for is only known from its body, so the per-restaurant check
happens in the service (a token is only ever issued to an origin the restaurant's tenant allows); here
the browser is told it may read the answer when the origin belongs to any tenant or the platform.
"""

from __future__ import annotations

PATH = "/api/connection-details"

CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-Request-ID",
    "Access-Control-Expose-Headers": "Retry-After, X-Request-ID",
    "Access-Control-Max-Age": "600",
}


def cors_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, **CORS_HEADERS}

"""Application errors: what went wrong, in words, with a stable code. Mapped to HTTP only at the API edge.

Services raise these; they know nothing of requests or responses. `http_status` and `retry_after` are
hints for the edge (the connection-details view, the tenant API), so every API answers the same shape:
`{"error": code, "detail": words}` with the status and, when there is one, a Retry-After header. Other
channels (a phone call turned away by admission) read `code` and speak their own words.
"""

from __future__ import annotations

from collections.abc import Mapping


class ApplicationError(Exception):
    code = "invalid_request"
    http_status = 400
    retry_after: int | None = None

    def __init__(self, detail: str, *, extra: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        # More fields for the JSON body beside "error" and "detail" (a refused call's restaurant phone
        # number, so a diner is never left without a way to reach the restaurant).
        self.extra: dict[str, str] = dict(extra or {})


class NotFound(ApplicationError):
    code, http_status = "not_found", 404


class Forbidden(ApplicationError):
    code, http_status = "forbidden", 403


class Conflict(ApplicationError):
    code, http_status = "conflict", 409


class Busy(ApplicationError):
    code, http_status, retry_after = "busy", 429, 30


class Unavailable(ApplicationError):
    code, http_status, retry_after = "unavailable", 503, 5

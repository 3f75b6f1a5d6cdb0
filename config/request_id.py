"""A request id on every request: taken from a trusted proxy's X-Request-ID or made here, echoed back.

It goes into every log line of the request (config.logging) and into the agent's job metadata, so one
id follows a diner from the widget's request through dispatch to the call record.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config.logging import log_context

HEADER = "X-Request-ID"
# Anything else (too long, odd characters) is replaced: ids end up in logs and must not forge lines.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def request_id_for(request: HttpRequest) -> str:
    return request_id_from(request.headers.get(HEADER, ""))


def request_id_from(incoming: str) -> str:
    """The incoming X-Request-ID when it is sane, else a new one."""
    return incoming if _SANE.match(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        with log_context(request_id=request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from calls.api.parsers import RequestTooLarge
from config.metrics import API_ERRORS


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's own errors (bad JSON, wrong method, throttling) in the API's error shape."""
    if isinstance(exc, RequestDataTooBig):
        # Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE) when something read the body first: JSON too.
        exc = RequestTooLarge()
    elif isinstance(exc, RecursionError | UnicodeDecodeError):
        exc = ParseError("The request body cannot be read as JSON.")
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        code = getattr(response.data["detail"], "code", "error")
        response.data = {
            "error": "throttled" if response.status_code == 429 else code,
            "detail": str(response.data["detail"]),
        }
    if response is not None:
        code = response.data.get("error", "error") if isinstance(response.data, dict) else "error"
        API_ERRORS.labels(str(response.status_code), str(code)).inc()
    return response

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.metrics import API_ERRORS


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's own errors (bad JSON, wrong method, throttling) in the API's error shape."""
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

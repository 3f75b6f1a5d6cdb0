"""CORS for the connection-details endpoint: answered only for origins some active tenant allows.

Never `*`. Which restaurant a request is for is only known from its body, so the per-restaurant check
happens in the service (a token is only ever issued to an origin the restaurant's tenant allows); here
the browser is told it may read the answer when the origin belongs to any active tenant or the platform.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from calls.origins import origin_allowed_for_any_tenant

PATH = "/api/connection-details"


class ConnectionDetailsCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.rstrip("/") != PATH:
            return self.get_response(request)
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin:
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        response["Vary"] = "Origin"
        if origin and origin_allowed_for_any_tenant(origin=origin):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type, X-Request-ID"
            response["Access-Control-Expose-Headers"] = "Retry-After, X-Request-ID"
            response["Access-Control-Max-Age"] = "600"
        return response

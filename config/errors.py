"""The last word on an unhandled error: a database outage is "try again shortly" (503), not a crash (500).

Django calls `handler500` while the exception is still being handled, so the exception can be read here.
The page is built without a template, a session or a query: the database it would need is what failed.
"""

from __future__ import annotations

import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 30

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Back shortly · Hostline</title>
</head><body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Back in a moment</h1>
<p>Hostline cannot reach its database right now, so this page cannot be shown. Nothing you saved was lost.
Please try again in a minute.</p>
<p>Calls to restaurants whose details are cached keep working meanwhile.</p>
</body></html>"""


def server_error_or_unavailable(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if not isinstance(exc, DatabaseError):
        return server_error(request)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": "service_unavailable", "detail": "The database is unreachable. Try again shortly."},
            status=503,
        )
    else:
        response = HttpResponse(_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response

"""Gzip for HTML pages only.

An owner's admin page on a long menu is 300-450 KB of HTML (unfold's markup is verbose), about a twentieth
gzipped: a phone on a mobile network notices. JSON stays as it is: API answers are small, and a body that
carries a secret (a room token, an API key) next to what the request sent is what BREACH reads from
compressed sizes. Django's GZipMiddleware pads what it compresses with random bytes, and masks the CSRF
token afresh on every page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)

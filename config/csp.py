"""Content-Security-Policy (django-csp), plus the LiveKit server the demo page's widget joins rooms on.

The policy itself is CONTENT_SECURITY_POLICY in config/settings/base.py. LiveKit's address is added per
response from the current settings, so the policy always names the server browsers are sent to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def livekit_origins(url: str) -> list[str]:
    """Where a browser talks to LiveKit: WebSocket for the room, HTTP(S) for livekit-client's checks."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    secure = parts.scheme in {"wss", "https"}
    return [
        f"{'wss' if secure else 'ws'}://{parts.netloc}",
        f"{'https' if secure else 'http'}://{parts.netloc}",
    ]


class HostlineCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origins = livekit_origins(settings.LIVEKIT_PUBLIC_URL or settings.LIVEKIT_URL)
        if origins and parts.replace is None:
            update = dict(parts.update or {})
            update["connect-src"] = [*update.get("connect-src", []), *origins]
            parts.update = update
        return parts

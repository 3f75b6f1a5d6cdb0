"""Content-Security-Policy (django-csp), plus the LiveKit server the demo page's widget joins rooms on.

The policy itself is CONTENT_SECURITY_POLICY in config/settings/base.py. LiveKit's address is added per
response from the current settings, so the policy always names the server browsers are sent to.

The admin's theme (django-unfold) drives its menus, tabs and dialogs with Alpine.js, whose standard build
evaluates the x-data / x-on expressions in unfold's templates with the Function constructor: without
'unsafe-eval' every admin page stays hidden (unfold's <html x-cloak>). Unfold ships no CSP build of Alpine,
and its expressions (localStorage, inline statements) are beyond what Alpine's CSP build evaluates, so
'unsafe-eval' is added on the pages drawn with the admin's templates only (CSP_EVAL_PATH_PREFIXES). It
lets no injected <script>, on*= handler or javascript: URL run ('unsafe-inline' stays off, as everywhere);
what it does allow is Alpine attributes in injected markup, which is why the admin still escapes every
value it prints (Django's autoescape) and the widget and demo pages keep the strict policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import UNSAFE_EVAL
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
        if parts.replace is not None:
            return parts
        update = dict(parts.update or {})
        origins = livekit_origins(settings.LIVEKIT_PUBLIC_URL or settings.LIVEKIT_URL)
        if origins:
            update["connect-src"] = [*update.get("connect-src", []), *origins]
        if request.path.startswith(tuple(settings.CSP_EVAL_PATH_PREFIXES)):
            update["script-src"] = [*update.get("script-src", []), UNSAFE_EVAL]
        if update:
            parts.update = update
        return parts

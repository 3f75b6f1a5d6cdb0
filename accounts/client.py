from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address lockouts and reset limits count against.

    REMOTE_ADDR: the platform is meant to run behind a proxy that sets it (uvicorn's --forwarded-allow-ips
    limited to the ingress), never trusting a client's own X-Forwarded-For. One function so the trusted-proxy
    setting (issue 17) applies here too.
    """
    return request.META.get("REMOTE_ADDR") or None

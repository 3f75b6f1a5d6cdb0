"""Liveness and readiness for load balancers and Kubernetes probes.

/healthz says the process answers and touches nothing else, so a database outage never gets healthy
web pods killed. /readyz checks Postgres and Redis with short time limits and says which one failed.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check(probe: object) -> dict[str, object]:
    started = time.perf_counter()
    try:
        probe()  # type: ignore[operator]
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _postgres() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    cache.get("readyz-probe")


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"postgres": _check(_postgres), "redis": _check(_redis)}
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )

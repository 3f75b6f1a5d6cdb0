"""Prometheus metrics, defined once for the web app, Celery and the agent worker.

Names follow Prometheus conventions (`_total` counters, `_seconds` histograms). With several processes
per pod (uvicorn workers), set PROMETHEUS_MULTIPROC_DIR to a shared empty directory and /metrics
aggregates them; the agent worker serves its own on AGENT_PROMETHEUS_PORT.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

DISPATCHES = Counter(
    "hostline_dispatches_total",
    "Connection-details requests by outcome (dispatched, or the refusal's error code).",
    ["outcome"],
)
DISPATCH_SECONDS = Histogram(
    "hostline_dispatch_seconds",
    "Time to create the agent dispatch and token for a diner (successful requests).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
API_ERRORS = Counter(
    "hostline_api_errors_total",
    "API responses with a 4xx or 5xx status, by status and error code.",
    ["status", "code"],
)
SNAPSHOT_CACHE = Counter(
    "hostline_snapshot_cache_total",
    "Restaurant snapshot reads by result: hit, miss (built from Postgres), stale (Postgres down), bypass"
    " (Redis down). Hit rate = hit / sum.",
    ["result"],
)
SNAPSHOT_LOAD_SECONDS = Histogram(
    "hostline_snapshot_load_seconds",
    "Time to build a restaurant snapshot from Postgres on a cache miss.",
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
REDIS_ERRORS = Counter(
    "hostline_redis_errors_total",
    "Redis unreachable, by what did without it: throttle (limit not enforced), session_slots (cap not"
    " enforced). The snapshot cache counts its own in hostline_snapshot_cache_total.",
    ["use"],
)
AGENT_JOBS = Counter(
    "hostline_agent_jobs_total",
    "Agent jobs by outcome: greeted, or the refusal reason (unknown_restaurant, metadata_not_json, …).",
    ["outcome"],
)


def _registry() -> CollectorRegistry | None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return None


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Scraped by Prometheus with `Authorization: Bearer $METRICS_TOKEN`. Off unless a token is set."""
    token = settings.METRICS_TOKEN
    if not token:
        return JsonResponse(
            {"error": "not_found", "detail": "Metrics are off: set METRICS_TOKEN."}, status=404
        )
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(presented.encode(), token.encode()):
        return JsonResponse(
            {"error": "forbidden", "detail": "Send Authorization: Bearer <METRICS_TOKEN>."}, status=403
        )
    registry = _registry()
    body = generate_latest(registry) if registry is not None else generate_latest()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)

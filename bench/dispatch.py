"""POST /api/connection-details throughput and latency against the local fake LiveKit server.

Run: make bench   (or: .venv/bin/python -m bench.dispatch)
The endpoint runs in-process through Django's test client (no HTTP server in front), with the real
Postgres and Redis. The LiveKit leg (client + loopback HTTP + fake Twirp server) is timed on its own,
so the platform's own overhead is the difference.
"""

from __future__ import annotations

import json
import time

from bench._setup import django_for_bench, percentiles

REQUESTS = 300


def main() -> None:
    django_for_bench()
    from django.conf import settings
    from django.test import Client

    from calls.admission import session_slot_release
    from calls.contract import AGENT_NAME
    from core.livekit import agent_dispatch_create, livekit_client_reset
    from core.tests.fake_livekit import FakeLiveKit
    from tenants.models import Restaurant, Tenant

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.CONNECTION_DETAILS_RATE_PER_IP = "100000/minute"
    settings.CONNECTION_DETAILS_RATE_PER_RESTAURANT = "100000/minute"
    tenant, _ = Tenant.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    Tenant.objects.filter(pk=tenant.pk).update(max_concurrent_sessions=REQUESTS * 2)
    restaurant, _ = Restaurant.objects.get_or_create(tenant=tenant, name="Bench 10")
    client = Client()
    body = json.dumps({"restaurant_id": restaurant.public_id})

    with FakeLiveKit(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET) as fake:
        settings.LIVEKIT_URL = fake.url
        livekit_client_reset()
        livekit_leg = []
        for i in range(REQUESTS):
            start = time.perf_counter()
            agent_dispatch_create(room=f"bench-{i}", agent_name=AGENT_NAME, metadata="{}")
            livekit_leg.append(time.perf_counter() - start)

        endpoint, rooms = [], []
        began = time.perf_counter()
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.post(
                "/api/connection-details",
                data=body,
                content_type="application/json",
                HTTP_ORIGIN=settings.PLATFORM_BASE_URL,
            )
            endpoint.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
            rooms.append(response.json()["roomName"])
        elapsed = time.perf_counter() - began
        livekit_client_reset()
    for room in rooms:
        session_slot_release(tenant_id=tenant.pk, room_name=room)

    e50, e99 = percentiles(endpoint)
    l50, l99 = percentiles(livekit_leg)
    print(f"{'':<28} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'endpoint, end to end':<28} {e50:>8.2f} {e99:>8.2f}")
    print(f"{'LiveKit leg (fake server)':<28} {l50:>8.2f} {l99:>8.2f}")
    print(f"{'platform overhead (p50)':<28} {e50 - l50:>8.2f}")
    print(f"requests/s, one client, sequential: {REQUESTS / elapsed:.0f}")


if __name__ == "__main__":
    main()

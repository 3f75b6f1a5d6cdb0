"""Agent worker: time from job start to the greeting being issued (warm cache), and instruction size.

Run: make bench   (or: .venv/bin/python -m bench.agent_greeting)
In-process with livekit's fake_job_context and a text-only session, so only Hostline's own code is timed:
metadata parsing, the cached snapshot read, instructions, tools and agent construction, session start
and the say() call. Provider latency (speech synthesis) comes on top and is not ours to measure here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from decimal import Decimal

from bench._setup import django_for_bench, percentiles

RUNS = 200


def main() -> None:
    django_for_bench()
    from livekit.agents import AgentSession, TurnHandlingOptions
    from livekit.agents.testing import fake_job_context

    from agent_worker.instructions import build_instructions
    from agent_worker.job import run_job
    from agent_worker.testing import ScriptedLLM
    from calls.contract import JobMetadata
    from tenants.cache import restaurant_snapshot_get
    from tenants.models import MenuCategory, MenuItem, Restaurant, Tenant

    tenant, _ = Tenant.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    restaurant = (
        Restaurant.objects.get(tenant=tenant, name="Bench 100")
        if Restaurant.objects.filter(tenant=tenant, name="Bench 100").exists()
        else Restaurant.objects.create(tenant=tenant, name="Bench 100")
    )
    if not MenuItem.objects.filter(restaurant=restaurant).exists():
        category = MenuCategory.objects.create(restaurant=restaurant, name="Mains")
        MenuItem.objects.bulk_create(
            MenuItem(
                tenant=tenant,
                restaurant=restaurant,
                category=category,
                name=f"Dish {i}",
                price=Decimal("9"),
                currency="EUR",
            )
            for i in range(100)
        )
    raw = JobMetadata(restaurant_id=restaurant.public_id, tenant_id=tenant.pk).to_json()
    restaurant_snapshot_get(public_id=restaurant.public_id)  # warm the cache

    async def one() -> float:
        with fake_job_context(job_metadata=raw) as ctx:
            start = time.perf_counter()
            session, _ = await run_job(
                ctx,
                make_session=lambda plan, state: AgentSession(
                    llm=ScriptedLLM([]),
                    vad=None,
                    turn_handling=TurnHandlingOptions(turn_detection=None),
                    userdata=state,
                ),
            )
            elapsed = time.perf_counter() - start
            await session.aclose()
            return elapsed

    async def all_runs() -> list[float]:
        return [await one() for _ in range(RUNS)]

    p50, p99 = percentiles(asyncio.run(all_runs()))
    print(f"job start -> greeting issued, warm cache, 100 items: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert snapshot is not None
    category = snapshot.categories[0]
    now = dt.datetime.now(dt.UTC)
    for size in (10, 1000):
        items = tuple(
            category.items[0].model_copy(update={"id": i, "name": f"Dish {i}"}) for i in range(size)
        )
        sized = snapshot.model_copy(update={"categories": (category.model_copy(update={"items": items}),)})
        print(f"instructions for {size:>4} items: {len(build_instructions(sized, now, 'en'))} characters")


if __name__ == "__main__":
    main()

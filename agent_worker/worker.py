"""The LiveKit agent server: one generic agent, registered under the contract's agent name.

Kept out of `__main__` so LiveKit's job processes can re-import it (a package `__main__` cannot be).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from livekit.agents import AgentServer, JobContext, JobProcess

from tenants.contract import AGENT_NAME

logger = logging.getLogger("agent_worker")


def setup(proc: JobProcess) -> None:
    """Once per job process, before any job: Django, its settings and models, and the VAD model."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from livekit.plugins import silero

    proc.userdata["vad"] = silero.VAD.load()


server = AgentServer(setup_fnc=setup)


@server.rtc_session(agent_name=AGENT_NAME)
async def entrypoint(ctx: JobContext) -> None:
    from agent_worker.agent import CallState
    from agent_worker.job import mark_slot_started, record_call, run_job
    from agent_worker.providers import production_session

    def make_session(plan: Any, state: CallState | None) -> Any:
        return production_session(plan, state, vad=ctx.proc.userdata.get("vad"))

    session, plan = await run_job(ctx, make_session=make_session)
    state = session.userdata if plan.snapshot is not None else None
    if state is None:
        return
    asyncio.create_task(mark_slot_started(state))  # noqa: RUF006 - bounded, logs its own failure

    async def on_shutdown(reason: str) -> None:
        await record_call(session, plan, state, end_reason=reason or "ended")

    ctx.add_shutdown_callback(on_shutdown)

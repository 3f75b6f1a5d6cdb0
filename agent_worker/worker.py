"""The LiveKit agent server: one generic agent, registered under the contract's agent name.

Kept out of `__main__` so LiveKit's job processes can re-import it (a package `__main__` cannot be).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from livekit.agents import AgentServer, JobContext, JobProcess

from calls.contract import AGENT_NAME

logger = logging.getLogger("agent_worker")


def setup(proc: JobProcess) -> None:
    """Once per job process, before any job: Django, its settings and models, and the VAD model."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from livekit.plugins import silero

    from config.logging import console_handler_remove

    console_handler_remove()

    proc.userdata["vad"] = silero.VAD.load()


def _server() -> AgentServer:
    # Settings are read lazily from DJANGO_SETTINGS_MODULE (set by __main__), like the rest of the config.
    from django.conf import settings

    options: dict[str, Any] = {
        "ws_url": settings.LIVEKIT_URL,
        "api_key": settings.LIVEKIT_API_KEY,
        "api_secret": settings.LIVEKIT_API_SECRET,
        "load_threshold": settings.AGENT_LOAD_THRESHOLD,
        "port": settings.AGENT_HTTP_PORT,
        "drain_timeout": settings.AGENT_DRAIN_TIMEOUT_SECONDS,
    }
    if settings.AGENT_NUM_IDLE_PROCESSES is not None:
        options["num_idle_processes"] = settings.AGENT_NUM_IDLE_PROCESSES
    if settings.AGENT_PROMETHEUS_PORT:
        options["prometheus_port"] = settings.AGENT_PROMETHEUS_PORT
    return AgentServer(setup_fnc=setup, **options)


server = _server()


@server.rtc_session(agent_name=AGENT_NAME)
async def entrypoint(ctx: JobContext) -> None:
    from agent_worker.job import admission_confirm, record_call, release_refused_slot, run_job
    from agent_worker.providers import production_session
    from agent_worker.state import CallState

    def make_session(plan: Any, state: CallState | None) -> Any:
        return production_session(plan, state, vad=ctx.proc.userdata.get("vad"))

    session, plan = await run_job(ctx, make_session=make_session)
    state = session.userdata if plan.snapshot is not None else None
    if state is None:
        await release_refused_slot(plan, room_name=ctx.job.room.name)
        return
    # The line stays held only if a diner joins within the admission window; otherwise the agent leaves.
    asyncio.create_task(admission_confirm(ctx, state))  # noqa: RUF006 - bounded, logs its own failure

    async def on_shutdown(reason: str) -> None:
        await record_call(session, plan, state, end_reason=reason or "ended")

    ctx.add_shutdown_callback(on_shutdown)

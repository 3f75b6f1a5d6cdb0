"""One job, from metadata to greeting. Kept apart from the LiveKit server so tests run it in-process.

Nothing slow happens before the greeting: the snapshot comes from the cache (with a time limit), the
instructions are built from it in memory, and the greeting is spoken with `session.say` without waiting
for the model. Every way a job can be unusable ends in a short apology and a clean shutdown, never a
crash of the worker, and never another tenant's data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from livekit.agents import Agent, AgentSession, JobContext

from agent_worker.agent import RestaurantAgent
from agent_worker.instructions import apology
from agent_worker.recording import call_record_build, call_record_submit
from agent_worker.state import CallState
from calls.admission import ADMISSION_WINDOW_SECONDS, session_slot_mark_started, session_slot_release
from calls.contract import InvalidJobMetadata, JobMetadata, parse_job_metadata
from config.logging import handlers_share_context, log_context_bind
from config.metrics import AGENT_JOBS
from tenants.cache import arestaurant_snapshot_get
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger("agent_worker")

SNAPSHOT_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class JobPlan:
    language: str
    snapshot: RestaurantSnapshot | None = None
    metadata: JobMetadata | None = None
    refusal: str | None = None  # a reason code when the job cannot be served


async def plan_job(raw_metadata: str | None, *, console_restaurant: str = "") -> JobPlan:
    """Decide what this job is: a restaurant to serve, or a reason to apologise and hang up."""
    metadata: JobMetadata | None = None
    try:
        metadata = parse_job_metadata(raw_metadata)
        public_id = metadata.restaurant_id
    except InvalidJobMetadata as exc:
        if exc.reason == "empty" and console_restaurant:
            public_id = console_restaurant  # console/local runs carry no metadata
        else:
            return JobPlan(language="en", refusal=f"metadata_{exc.reason}")
    language_hint = metadata.language if metadata and metadata.language else "en"
    try:
        snapshot = await arestaurant_snapshot_get(public_id=public_id, timeout=SNAPSHOT_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.error("snapshot unavailable for %s: %r", public_id, exc)
        return JobPlan(language=language_hint, metadata=metadata, refusal="snapshot_unavailable")
    if snapshot is None:
        return JobPlan(language=language_hint, metadata=metadata, refusal="unknown_restaurant")
    if metadata is not None and snapshot.tenant_id != metadata.tenant_id:
        # The id names a restaurant of another tenant than the dispatch did: never speak for it.
        return JobPlan(language=language_hint, metadata=metadata, refusal="tenant_mismatch")
    language = metadata.language if metadata and metadata.language else snapshot.language
    if not snapshot.can_take_calls:
        return JobPlan(language=language, metadata=metadata, refusal="not_taking_calls")
    return JobPlan(language=language, snapshot=snapshot, metadata=metadata)


SessionFactory = Callable[[JobPlan, CallState | None], AgentSession[Any]]


async def run_job(ctx: JobContext, *, make_session: SessionFactory) -> tuple[AgentSession[Any], JobPlan]:
    """Serve one job. Returns the started session (the caller waits for it to end) and the plan."""
    plan = await plan_job(ctx.job.metadata, console_restaurant=settings.AGENT_CONSOLE_RESTAURANT)
    # Every log line of this job (one asyncio task tree) names the call, the restaurant and the web request.
    handlers_share_context()
    log_context_bind(
        job_id=ctx.job.id,
        room=ctx.job.room.name,
        restaurant_id=plan.snapshot.public_id if plan.snapshot else None,
        request_id=plan.metadata.request_id if plan.metadata else None,
    )
    AGENT_JOBS.labels(plan.refusal or "greeted").inc()
    # A fake job (in-process tests) has no connected room: run text-only instead of wiring audio I/O.
    room: dict[str, Any] = {} if ctx.is_fake_job() else {"room": ctx.room}
    if plan.refusal or plan.snapshot is None:
        logger.warning("job %s refused: %s", ctx.job.id, plan.refusal)
        session = make_session(plan, None)
        await session.start(agent=Agent(instructions="Apologise briefly and say goodbye."), **room)
        await session.say(apology(plan.language), allow_interruptions=False)
        ctx.shutdown(reason=plan.refusal or "refused")
        return session, plan

    state = CallState(
        snapshot=plan.snapshot,
        metadata=plan.metadata,
        language=plan.language,
        job_id=ctx.job.id,
        room_name=ctx.job.room.name,
    )
    session = make_session(plan, state)
    await session.start(agent=RestaurantAgent(state), **room)
    session.say(plan.snapshot.greeting_text)
    logger.info(
        "greeting issued job=%s restaurant=%s after %.1f ms",
        ctx.job.id,
        plan.snapshot.public_id,
        (dt.datetime.now(dt.UTC) - state.started_at).total_seconds() * 1000,
    )
    return session, plan


async def record_call(
    session: AgentSession[Any], plan: JobPlan, state: CallState, *, end_reason: str
) -> None:
    """Hand the finished call to Celery (bounded, never raises) and give the tenant's slot back."""
    if plan.snapshot is None:
        return
    payload = call_record_build(
        job_id=state.job_id,
        room_name=state.room_name,
        restaurant_public_id=plan.snapshot.public_id,
        tenant_id=plan.snapshot.tenant_id,
        started_at=state.started_at,
        ended_at=dt.datetime.now(dt.UTC),
        end_reason=end_reason,
        snapshot_version=plan.snapshot.version,
        language=state.language,
        history=session.history,
        usage=session.usage,
        unanswered_questions=state.unanswered_questions,
    )
    await call_record_submit(payload)


async def mark_slot_started(state: CallState) -> None:
    """Hold the tenant's session slot for the length of the call (after the greeting, off the hot path)."""
    try:
        await asyncio.wait_for(
            asyncio.to_thread(
                session_slot_mark_started, tenant_id=state.snapshot.tenant_id, room_name=state.room_name
            ),
            timeout=2,
        )
    except Exception as exc:
        logger.warning("could not mark the session slot started: %r", exc)


async def release_slot(state: CallState) -> None:
    await _release(tenant_id=state.snapshot.tenant_id, room_name=state.room_name)


async def release_refused_slot(plan: JobPlan, *, room_name: str) -> None:
    """A refused job (suspended, unknown, mismatched) frees the line its dispatch took, at once."""
    if plan.refusal and plan.metadata is not None:
        await _release(tenant_id=plan.metadata.tenant_id, room_name=room_name)


async def _release(*, tenant_id: int, room_name: str) -> None:
    try:
        await asyncio.wait_for(
            asyncio.to_thread(session_slot_release, tenant_id=tenant_id, room_name=room_name), timeout=2
        )
    except Exception as exc:
        logger.warning("could not release the session slot: %r", exc)


async def admission_confirm(
    ctx: JobContext,
    state: CallState,
    *,
    wait_for_participant: Callable[[], Awaitable[Any]] | None = None,
    window: float = ADMISSION_WINDOW_SECONDS,
) -> bool:
    """Hold the restaurant's line only for a call someone actually joined.

    Waits up to `window` seconds for a caller (not another agent) in the room. When one joins, the slot
    is held for the length of the call; when nobody does, the agent releases the line and leaves, so a
    client that asks for calls and never joins them cannot keep a restaurant's lines busy.
    """
    waiter = wait_for_participant or ctx.wait_for_participant
    try:
        await asyncio.wait_for(waiter(), timeout=window)
    except TimeoutError:
        logger.warning(
            "nobody joined %s within %.0f s: releasing the line and leaving", state.room_name, window
        )
        await release_slot(state)
        ctx.shutdown(reason="no_participant")
        return False
    await mark_slot_started(state)
    return True

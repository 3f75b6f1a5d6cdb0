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
from livekit import rtc
from livekit.agents import Agent, AgentSession, JobContext

from agent_worker import phone_words
from agent_worker.agent import RestaurantAgent
from agent_worker.instructions import apology
from agent_worker.recording import call_record_build, call_record_submit
from agent_worker.state import CallState, PhoneCall
from agent_worker.tools.phone import transfer
from calls.admission import (
    ADMISSION_WINDOW_SECONDS,
    TooManySessions,
    call_admit,
    session_slot_mark_started,
    session_slot_release,
)
from calls.contract import InvalidJobMetadata, JobMetadata, parse_job_metadata
from calls.refusals import acall_refusal_count
from config.logging import handlers_share_context, log_context_bind
from config.metrics import AGENT_JOBS
from core.db import db_call
from core.phone_numbers import e164_or_none
from telephony.selectors import PhoneLine, phone_line_for_number
from tenants.cache import arestaurant_snapshot_get
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger("agent_worker")

SNAPSHOT_TIMEOUT_SECONDS = 2.0
PHONE_LINE_TIMEOUT_SECONDS = 1.0
ADMISSION_TIMEOUT_SECONDS = 2.0
# The SIP participant is in the room before LiveKit dispatches the agent; this only bounds a broken room.
SIP_PARTICIPANT_WAIT_SECONDS = 3.0

# LiveKit's attributes on a SIP participant (docs: SIP participant attributes).
ATTR_CALLER_NUMBER = "sip.phoneNumber"
ATTR_DIALLED_NUMBER = "sip.trunkPhoneNumber"


@dataclass(frozen=True)
class SipParticipant:
    """The caller as LiveKit's SIP service put them in the room."""

    identity: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class JobPlan:
    language: str
    snapshot: RestaurantSnapshot | None = None
    metadata: JobMetadata | None = None
    refusal: str | None = None  # a reason code when the job cannot be served
    phone: PhoneCall | None = None


class _LookupFailed(Exception):
    pass


async def _phone_line(number: str | None) -> PhoneLine | None:
    """The platform's record of the dialled number. Raises _LookupFailed when the database cannot say."""
    if number is None:
        return None
    try:
        return await asyncio.wait_for(
            db_call(phone_line_for_number, number=number), timeout=PHONE_LINE_TIMEOUT_SECONDS
        )
    except Exception as exc:
        logger.error("phone line lookup failed for the dialled number: %r", exc)
        raise _LookupFailed from exc


async def plan_job(
    raw_metadata: str | None, *, console_restaurant: str = "", sip: SipParticipant | None = None
) -> JobPlan:
    """Decide what this job is: a restaurant to serve, or a reason to apologise and hang up.

    On a phone call (`sip` given) the dialled number is a second line of defence: it names the restaurant
    when the metadata is missing, and a call is refused when the number and the metadata disagree.
    """
    metadata: JobMetadata | None = None
    public_id = ""
    try:
        metadata = parse_job_metadata(raw_metadata)
        public_id = metadata.restaurant_id
    except InvalidJobMetadata as exc:
        if exc.reason == "empty" and console_restaurant:
            public_id = console_restaurant  # console/local runs carry no metadata
        elif sip is None:
            return JobPlan(language="en", refusal=f"metadata_{exc.reason}")
        else:
            logger.warning("phone call without usable metadata (%s): using the dialled number", exc.reason)

    phone: PhoneCall | None = None
    if sip is not None:
        dialled = e164_or_none(sip.attributes.get(ATTR_DIALLED_NUMBER))
        try:
            line = await _phone_line(dialled)
        except _LookupFailed:
            line, lookup_failed = None, True
        else:
            lookup_failed = False
        # Built first, so that every refusal below also hangs up the phone.
        phone = PhoneCall(
            participant_identity=sip.identity,
            caller_number=e164_or_none(sip.attributes.get(ATTR_CALLER_NUMBER)),
            dialled_number=dialled,
            staff_number=line.staff_number if line else "",
        )
        line_restaurant = line.restaurant_id if line else None
        if metadata is None and not public_id:
            if line_restaurant is None:
                return JobPlan(language="en", refusal="unknown_number", phone=phone)
            public_id = line_restaurant
        elif dialled is not None and not lookup_failed and line_restaurant != public_id:
            # The rule says one restaurant, the number another (or none): speak for neither.
            logger.error("dialled number and job metadata name different restaurants")
            return JobPlan(language="en", refusal="number_mismatch", phone=phone)

    language_hint = metadata.language if metadata and metadata.language else "en"
    try:
        snapshot = await arestaurant_snapshot_get(public_id=public_id, timeout=SNAPSHOT_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.error("snapshot unavailable for %s: %r", public_id, exc)
        return JobPlan(language=language_hint, metadata=metadata, refusal="snapshot_unavailable", phone=phone)
    if snapshot is None:
        return JobPlan(language=language_hint, metadata=metadata, refusal="unknown_restaurant", phone=phone)
    if metadata is not None and snapshot.tenant_id != metadata.tenant_id:
        # The id names a restaurant of another tenant than the dispatch did: never speak for it.
        return JobPlan(language=language_hint, metadata=metadata, refusal="tenant_mismatch", phone=phone)
    language = metadata.language if metadata and metadata.language else snapshot.language
    if not snapshot.can_take_calls:
        # Counted like a refused call start (the dashboard, the call.refused webhook): for a phone call
        # this is the only place it is seen; for a web call, a suspension that raced its dispatch.
        await acall_refusal_count(
            public_id=snapshot.public_id,
            tenant_id=snapshot.tenant_id,
            reason="not_taking_calls",
            channel="phone" if phone is not None else "web",
        )
        return JobPlan(language=language, metadata=metadata, refusal="not_taking_calls", phone=phone)
    return JobPlan(language=language, snapshot=snapshot, metadata=metadata, phone=phone)


def _wants_sip_participant(raw_metadata: str | None, console_restaurant: str) -> bool:
    """Phone calls, and jobs with no usable metadata that may be phone calls (never console runs)."""
    try:
        return parse_job_metadata(raw_metadata).channel == "phone"
    except InvalidJobMetadata as exc:
        return not (exc.reason == "empty" and console_restaurant)


async def find_sip_participant(ctx: JobContext) -> SipParticipant | None:
    if ctx.is_fake_job():
        return None
    try:
        participant = await asyncio.wait_for(
            ctx.wait_for_participant(kind=rtc.ParticipantKind.PARTICIPANT_KIND_SIP),
            timeout=SIP_PARTICIPANT_WAIT_SECONDS,
        )
    except TimeoutError:
        return None
    return SipParticipant(identity=participant.identity, attributes=dict(participant.attributes))


async def admit_phone_call(state: CallState) -> bool:
    """Take a line for a phone call through the same admission as the web path. False: every line is busy.

    A web call took its line when the platform handed out connection details; a phone call never passes
    there, so the worker takes it here. If admission cannot be decided (database or Redis trouble), the
    call goes ahead: calls matter more than the cap, and the failure is logged.
    """
    try:
        await asyncio.wait_for(
            db_call(call_admit, snapshot=state.snapshot, room_name=state.room_name),
            timeout=ADMISSION_TIMEOUT_SECONDS,
        )
    except TooManySessions:
        return False
    except Exception as exc:
        logger.error("phone call admitted without a line check: %r", exc)
    return True


def on_keypad(session: AgentSession[Any], state: CallState, digit: str) -> Any:
    """A caller pressing 0 is offered the hand-over (or a message, where there is no staff line)."""
    if digit != "0" or state.phone is None:
        return None
    if state.can_transfer:
        offer = "The caller pressed 0 on the keypad. Offer to put them through to the staff right away."
    else:
        offer = (
            "The caller pressed 0 on the keypad to reach a person. Nobody can take the call now: "
            "offer to take a message (name, call-back number, what it is about)."
        )
    return session.generate_reply(instructions=offer)


SessionFactory = Callable[[JobPlan, CallState | None], AgentSession[Any]]


async def run_job(
    ctx: JobContext, *, make_session: SessionFactory, sip: SipParticipant | None = None
) -> tuple[AgentSession[Any], JobPlan]:
    """Serve one job. Returns the started session (the caller waits for it to end) and the plan.

    `sip` is the caller on a phone call; found in the room when not given (tests give it).
    """
    if sip is None and _wants_sip_participant(ctx.job.metadata, settings.AGENT_CONSOLE_RESTAURANT):
        sip = await find_sip_participant(ctx)
    plan = await plan_job(ctx.job.metadata, console_restaurant=settings.AGENT_CONSOLE_RESTAURANT, sip=sip)
    # Every log line of this job (one asyncio task tree) names the call, the restaurant and the web request.
    handlers_share_context()
    log_context_bind(
        job_id=ctx.job.id,
        room=ctx.job.room.name,
        restaurant_id=plan.snapshot.public_id if plan.snapshot else None,
        request_id=plan.metadata.request_id if plan.metadata else None,
    )
    # A fake job (in-process tests) has no connected room: run text-only instead of wiring audio I/O.
    room: dict[str, Any] = {} if ctx.is_fake_job() else {"room": ctx.room}

    async def hang_up() -> None:
        # Deleting the room disconnects the caller's phone; the job then ends (and the record is kept).
        if plan.phone is not None:
            await ctx.delete_room()
        ctx.shutdown(reason="agent_hung_up")

    if plan.refusal or plan.snapshot is None:
        AGENT_JOBS.labels(plan.refusal or "refused").inc()
        logger.warning("job %s refused: %s", ctx.job.id, plan.refusal)
        session = make_session(plan, None)
        await session.start(agent=Agent(instructions="Apologise briefly and say goodbye."), **room)
        await session.say(apology(plan.language), allow_interruptions=False)
        if plan.phone is not None:
            await ctx.delete_room()
        ctx.shutdown(reason=plan.refusal or "refused")
        return session, plan

    state = CallState(
        snapshot=plan.snapshot,
        metadata=plan.metadata,
        language=plan.language,
        job_id=ctx.job.id,
        room_name=ctx.job.room.name,
        phone=plan.phone,
        hang_up=hang_up if plan.phone is not None else None,
    )
    if state.phone is not None and not await admit_phone_call(state):
        AGENT_JOBS.labels("lines_busy").inc()
        return await _lines_busy(ctx, state, plan, make_session, room), plan

    AGENT_JOBS.labels("greeted").inc()
    session = make_session(plan, state)
    await session.start(agent=RestaurantAgent(state), **room)
    if state.phone is not None:
        greeting = phone_words.phone_greeting(plan.snapshot, state.language)
        if not ctx.is_fake_job():
            ctx.room.on("sip_dtmf_received", lambda dtmf: on_keypad(session, state, dtmf.digit))
    else:
        greeting = plan.snapshot.greeting_text
    session.say(greeting)
    logger.info(
        "greeting issued job=%s restaurant=%s channel=%s after %.1f ms",
        ctx.job.id,
        plan.snapshot.public_id,
        state.channel,
        (dt.datetime.now(dt.UTC) - state.started_at).total_seconds() * 1000,
    )
    return session, plan


async def _lines_busy(
    ctx: JobContext, state: CallState, plan: JobPlan, make_session: SessionFactory, room: dict[str, Any]
) -> AgentSession[Any]:
    """Every line of the tenant is taken: hand the caller to staff if there is a staff line, else say so and end."""
    name = state.snapshot.name
    session = make_session(plan, state)
    await session.start(agent=Agent(instructions="Say only what you are given, then nothing more."), **room)
    if state.can_transfer:
        await session.say(
            phone_words.say(phone_words.LINES_BUSY_TRANSFER, state.language, name=name),
            allow_interruptions=False,
        )
        await transfer(state)
        if state.ended_by == "transferred":
            ctx.shutdown(reason="lines_busy_transferred")
            return session
    await acall_refusal_count(
        public_id=state.snapshot.public_id, tenant_id=state.snapshot.tenant_id, reason="busy", channel="phone"
    )
    await session.say(
        phone_words.say(phone_words.LINES_BUSY, state.language, name=name), allow_interruptions=False
    )
    state.ended_by = "lines_busy"
    await ctx.delete_room()
    ctx.shutdown(reason="lines_busy")
    return session


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
        end_reason=state.ended_by or end_reason,
        snapshot_version=plan.snapshot.version,
        language=state.language,
        history=session.history,
        usage=session.usage,
        unanswered_questions=state.unanswered_questions,
        channel=state.channel,
        caller_number=(state.phone.caller_number or "") if state.phone else "",
        messages=state.messages,
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

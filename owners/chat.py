"""The owner's test chat: the diner's side typed, the agent's answers in text.

The same RestaurantAgent (instructions and tools) as a call, in LiveKit's text-only AgentSession (no
STT, no TTS), on the configured LLM. Each turn is stored on one call record with channel "test": the owner
sees it with their calls, statistics and the concurrency cap leave it out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from livekit.agents import AgentSession, TurnHandlingOptions

from agent_worker.agent import RestaurantAgent
from agent_worker.recording import call_record_build
from agent_worker.state import CallState
from calls.models import CallRecord, Channel
from calls.schema import TranscriptLine, UnansweredQuestion
from calls.services import call_record_store, call_record_test_chat_extend
from core.errors import ApplicationError, Unavailable
from tenants.cache import restaurant_snapshot_get
from tenants.models import Restaurant

TURN_TIMEOUT_SECONDS = 30
MAX_TURNS = 30
MAX_MESSAGE_CHARS = 500


def chat_missing_setting() -> str | None:
    """The setting a test chat needs and lacks, by name (the preview works without it)."""
    return None if settings.OPENAI_API_KEY else "OPENAI_API_KEY"


def chat_llm() -> Any:
    """The model calls use (tests replace this with agent_worker.testing.ScriptedLLM)."""
    from livekit.plugins import openai

    return openai.LLM(model=settings.OPENAI_MODEL, api_key=settings.OPENAI_API_KEY)


async def _run_turn(state: CallState, previous: list[dict[str, Any]], text: str, llm: Any) -> Any:
    agent = RestaurantAgent(state)
    context = agent.chat_ctx.copy()
    for line in previous:
        if line.get("role") in {"user", "assistant"} and line.get("text"):
            context.add_message(role=line["role"], content=line["text"])
    await agent.update_chat_ctx(context)
    async with AgentSession[CallState](
        llm=llm, userdata=state, vad=None, turn_handling=TurnHandlingOptions(turn_detection=None)
    ) as session:
        await session.start(agent)
        await session.run(user_input=text)
        return session.history


def chat_say(
    *, restaurant: Restaurant, text: str, record: CallRecord | None = None, llm: Any = None
) -> CallRecord:
    """One diner turn of a test chat; returns the test call record with the agent's answer appended."""
    text = " ".join(text.split())[:MAX_MESSAGE_CHARS]
    if not text:
        raise ApplicationError("Type a question as a diner would.")
    if record is not None and len(record.transcript) >= 2 * MAX_TURNS:
        raise ApplicationError("This test chat is long enough: start a new one.")
    if llm is None:
        missing = chat_missing_setting()
        if missing:
            raise Unavailable(f"The test chat needs {missing} to be set on the platform.")
        llm = chat_llm()
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    if snapshot is None:
        raise Unavailable("The restaurant's record could not be read. Try again.")
    job_id = record.job_id if record is not None else f"test-{uuid.uuid4().hex}"
    state = CallState(
        snapshot=snapshot, metadata=None, language=snapshot.language, job_id=job_id, room_name="test-chat"
    )
    previous = list(record.transcript) if record is not None else []
    try:
        history = async_to_sync(asyncio.wait_for)(_run_turn(state, previous, text, llm), TURN_TIMEOUT_SECONDS)
    except TimeoutError as exc:
        raise Unavailable("The agent took too long to answer. Try again.") from exc
    started = record.started_at if record is not None else state.started_at
    payload = call_record_build(
        job_id=job_id,
        room_name="test-chat",
        restaurant_public_id=snapshot.public_id,
        tenant_id=snapshot.tenant_id,
        started_at=started,
        ended_at=dt.datetime.now(dt.UTC),
        end_reason="test_chat",
        snapshot_version=snapshot.version,
        language=state.language,
        history=history,
        usage=None,
        unanswered_questions=[
            *(UnansweredQuestion.model_validate(q) for q in (record.unanswered_questions if record else [])),
            *state.unanswered_questions,
        ],
        channel=Channel.TEST,
    )
    # The session's history holds this turn only; the chat so far is on the record.
    payload = payload.model_copy(
        update={
            "transcript": [*(TranscriptLine.model_validate(line) for line in previous), *payload.transcript]
        }
    )
    if record is None:
        stored = call_record_store(payload=payload)
        assert stored is not None  # the tenant exists: its restaurant was just read
        return stored
    return call_record_test_chat_extend(record=record, payload=payload)

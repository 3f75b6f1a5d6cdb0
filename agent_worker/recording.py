"""The worker's side of call records: turn a finished AgentSession into a payload and hand it to Celery.

Runs inside the agent worker when a session ends. It must never make a call wait or fail: everything
here is bounded in time and swallows its errors after logging them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any

from django.db import connection

from calls.schema import (
    MAX_TOOL_CALLS,
    MAX_TRANSCRIPT_LINES,
    CallerMessage,
    CallRecordPayload,
    CallUsage,
    ToolCallRecord,
    TranscriptLine,
    UnansweredQuestion,
    clip,
)
from calls.services import call_record_store
from calls.tasks import call_record_save

logger = logging.getLogger(__name__)


def _when(timestamp: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC) if timestamp else None


def _arguments(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {"raw": clip(raw, 500)}
    return value if isinstance(value, dict) else {"value": value}


def conversation_from_history(history: Any) -> tuple[list[TranscriptLine], list[ToolCallRecord]]:
    """Transcript lines and tool calls (with their outputs) from a livekit ChatContext."""
    transcript: list[TranscriptLine] = []
    calls: dict[str, dict[str, Any]] = {}
    for item in getattr(history, "items", []):
        kind = getattr(item, "type", None)
        if kind == "message" and item.role in {"user", "assistant"}:
            text = item.text_content or ""
            if text.strip() and len(transcript) < MAX_TRANSCRIPT_LINES:
                transcript.append(TranscriptLine(role=item.role, text=clip(text), at=_when(item.created_at)))
        elif kind == "function_call" and len(calls) < MAX_TOOL_CALLS:
            calls[item.call_id] = {
                "name": item.name,
                "arguments": _arguments(item.arguments),
                "at": _when(item.created_at),
            }
        elif kind == "function_call_output" and item.call_id in calls:
            calls[item.call_id].update(output=clip(item.output or ""), is_error=bool(item.is_error))
    return transcript, [ToolCallRecord(**call) for call in calls.values()]


def usage_from_session(usage: Any) -> CallUsage:
    """Sum the session's per-model usage into what Hostline bills and reports."""
    llm_in = llm_out = tts_chars = 0
    stt_seconds = 0.0
    for model in getattr(usage, "model_usage", None) or []:
        kind = getattr(model, "type", "")
        if kind == "llm_usage":
            llm_in += model.input_tokens
            llm_out += model.output_tokens
        elif kind == "tts_usage":
            tts_chars += model.characters_count
        elif kind == "stt_usage":
            stt_seconds += model.audio_duration
    return CallUsage(
        llm_input_tokens=llm_in,
        llm_output_tokens=llm_out,
        tts_characters=tts_chars,
        stt_audio_seconds=stt_seconds,
    )


def call_record_build(
    *,
    job_id: str,
    room_name: str,
    restaurant_public_id: str,
    tenant_id: int,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    end_reason: str,
    snapshot_version: str,
    language: str,
    history: Any,
    usage: Any,
    unanswered_questions: list[UnansweredQuestion] | None = None,
    channel: str = "web",
    caller_number: str = "",
    messages: list[CallerMessage] | None = None,
) -> CallRecordPayload:
    transcript, tool_calls = conversation_from_history(history)
    return CallRecordPayload(
        job_id=job_id,
        room_name=room_name,
        restaurant_id=restaurant_public_id,
        tenant_id=tenant_id,
        started_at=started_at,
        ended_at=max(ended_at, started_at),
        end_reason=clip(end_reason, 64),
        snapshot_version=snapshot_version,
        language=language,
        transcript=transcript,
        tool_calls=tool_calls,
        usage=usage_from_session(usage),
        unanswered_questions=unanswered_questions or [],
        channel="test" if channel == "test" else "phone" if channel == "phone" else "web",
        caller_number=caller_number,
        messages=messages or [],
    )


def _enqueue(data: dict[str, Any]) -> None:
    call_record_save.apply_async(
        args=(data,), retry=True, retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
    )


def _store_directly(data: dict[str, Any]) -> None:
    try:
        call_record_store(payload=CallRecordPayload.model_validate(data))
    finally:
        # This runs on a pool thread that outlives the call; don't leave its connection open.
        connection.close()


async def call_record_submit(payload: CallRecordPayload, *, timeout: float = 5.0) -> bool:
    """Hand the record to Celery; if the broker is unreachable, store it directly. Never raises.

    Returns True when the record was enqueued or stored. When both paths fail the whole record is logged
    at ERROR level, so it can still be recovered from the logs: a call record is never silently lost.
    """
    data = payload.model_dump(mode="json")
    for path in (_enqueue, _store_directly):
        try:
            await asyncio.wait_for(asyncio.to_thread(path, data), timeout=timeout)
            return True
        except Exception as exc:
            logger.warning("call record hand-off via %s failed: %r", path.__name__.strip("_"), exc)
    logger.error("call record could not be saved; full record follows: %s", json.dumps(data))
    return False

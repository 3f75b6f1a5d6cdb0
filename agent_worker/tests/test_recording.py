"""The worker's hand-off: what a finished AgentSession becomes, and that it never fails a call."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from celery import Celery
from livekit.agents import llm
from livekit.agents.metrics.usage import AgentSessionUsage, LLMModelUsage, STTModelUsage, TTSModelUsage

from agent_worker.recording import call_record_build, call_record_submit
from calls.models import CallRecord
from config.celery import app


def _history() -> llm.ChatContext:
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="system", content="You are the agent.")
    ctx.add_message(role="assistant", content="Welcome to Alpha Bistro. How can I help you?")
    ctx.add_message(role="user", content="Are you open tonight?")
    ctx.items.append(
        llm.FunctionCall(call_id="c1", name="get_opening_status", arguments='{"when": "tonight"}')
    )
    ctx.items.append(
        llm.FunctionCallOutput(
            call_id="c1", name="get_opening_status", output="Open until 22:00", is_error=False
        )
    )
    ctx.add_message(role="assistant", content="Yes, we are open until ten.")
    return ctx


def _usage() -> AgentSessionUsage:
    return AgentSessionUsage(
        model_usage=[
            LLMModelUsage(provider="openai", model="gpt", input_tokens=900, output_tokens=40),
            TTSModelUsage(provider="cartesia", model="sonic", characters_count=75),
            STTModelUsage(provider="deepgram", model="nova", audio_duration=12.5),
        ]
    )


def _build(restaurant, **overrides):
    started = dt.datetime(2026, 11, 20, 19, 0, tzinfo=dt.UTC)
    fields = {
        "job_id": "AJ_test1",
        "room_name": "hl-room",
        "restaurant_public_id": restaurant.public_id,
        "tenant_id": restaurant.tenant_id,
        "started_at": started,
        "ended_at": started + dt.timedelta(seconds=42),
        "end_reason": "participant_disconnected",
        "snapshot_version": "v1",
        "language": "en",
        "history": _history(),
        "usage": _usage(),
    }
    return call_record_build(**{**fields, **overrides})


@pytest.mark.django_db
def test_session_history_and_usage_become_the_record(world_a):
    payload = _build(world_a.restaurant)
    assert [line.role for line in payload.transcript] == [
        "assistant",
        "user",
        "assistant",
    ]  # no system prompt
    assert payload.transcript[1].text == "Are you open tonight?"
    assert payload.tool_calls[0].name == "get_opening_status"
    assert payload.tool_calls[0].arguments == {"when": "tonight"}
    assert payload.tool_calls[0].output == "Open until 22:00"
    assert payload.usage.llm_input_tokens == 900
    assert payload.usage.tts_characters == 75
    assert payload.usage.stt_audio_seconds == 12.5
    assert payload.duration_seconds == 42


@pytest.mark.django_db(transaction=True)
def test_broker_down_falls_back_to_storing_directly(world_a, monkeypatch):
    payload = _build(world_a.restaurant, job_id="AJ_fallback")
    app.conf.task_always_eager = False
    # A producer with its own connection to a port nothing listens on: publishing fails like a dead broker.
    dead = Celery("dead", broker="redis://127.0.0.1:1/0", set_as_current=False)
    dead.conf.broker_connection_timeout = 0.5
    monkeypatch.setattr(
        "agent_worker.recording._enqueue",
        lambda data: dead.send_task("calls.tasks.call_record_save", args=[data], retry=False),
    )
    try:
        assert asyncio.run(call_record_submit(payload, timeout=3)) is True
    finally:
        app.conf.task_always_eager = True
    assert CallRecord.objects.filter(job_id="AJ_fallback").exists()


@pytest.mark.django_db
def test_when_everything_is_down_the_record_is_logged_not_raised(world_a, caplog, monkeypatch):
    payload = _build(world_a.restaurant, job_id="AJ_lost")

    def broken(data):
        raise ConnectionError("down")

    monkeypatch.setattr("agent_worker.recording._enqueue", broken)
    monkeypatch.setattr("agent_worker.recording._store_directly", broken)
    assert asyncio.run(call_record_submit(payload, timeout=1)) is False
    logged = [r.getMessage() for r in caplog.records if "full record follows" in r.getMessage()]
    assert logged and json.loads(logged[0].split("follows: ", 1)[1])["job_id"] == "AJ_lost"

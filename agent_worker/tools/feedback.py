"""What the agent could not answer: recorded with the call, so the owner can add the missing fact."""

from __future__ import annotations

import datetime as dt

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from calls.schema import MAX_UNANSWERED_QUESTIONS, UnansweredQuestion, clip


@function_tool
async def record_unanswered_question(context: RunContext[CallState], question: str) -> str:
    """Record a diner's question that the restaurant's information does not answer (your other tools had
    nothing on it), so the owner can add the missing fact. Call it once per question, then tell the diner
    you don't know and offer the restaurant's phone number.

    Args:
        question: The diner's question in a few words, e.g. "Is there parking nearby?".
    """
    state = context.userdata
    text = " ".join(question.split())
    if text and len(state.unanswered_questions) < MAX_UNANSWERED_QUESTIONS:
        state.unanswered_questions.append(
            UnansweredQuestion(question=clip(text, 500), at=dt.datetime.now(dt.UTC))
        )
    return (
        "Noted for the restaurant. Tell the diner you don't have that information, "
        f"and offer the phone number ({state.snapshot.phone or 'not listed'})."
    )


TOOLS: list[Tool] = [record_unanswered_question]

"""A scripted LLM for in-process tests and benchmarks (livekit-agents ships no fake LLM)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, APIConnectOptions, NotGivenOr, llm
from livekit.agents.llm import ChatChunk, ChatContext, ChoiceDelta, CompletionUsage, FunctionToolCall

from agent_worker.state import CallState
from tenants.snapshot import RestaurantSnapshot


@dataclass
class ToolCall:
    name: str
    arguments: dict[str, Any]


Step = str | ToolCall | Callable[[ChatContext], str]


class ScriptedLLM(llm.LLM):
    """Each model turn plays the next step: a tool call, a text, or text computed from the conversation."""

    def __init__(self, steps: list[Step]) -> None:
        super().__init__()
        self._steps = list(steps)

    @property
    def model(self) -> str:
        return "scripted"

    @property
    def provider(self) -> str:
        return "test"

    def chat(
        self,
        *,
        chat_ctx: ChatContext,
        tools: list[llm.Tool] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: NotGivenOr[bool] = NOT_GIVEN,
        tool_choice: NotGivenOr[llm.ToolChoice] = NOT_GIVEN,
        extra_kwargs: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> llm.LLMStream:
        step: Step = self._steps.pop(0) if self._steps else ""
        if callable(step) and not isinstance(step, ToolCall):
            step = step(chat_ctx)
        return _Stream(self, step=step, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class _Stream(llm.LLMStream):
    def __init__(self, owner: ScriptedLLM, *, step: Any, **kwargs: Any) -> None:
        super().__init__(owner, **kwargs)
        self._step = step

    async def _run(self) -> None:
        if isinstance(self._step, ToolCall):
            call = FunctionToolCall(
                name=self._step.name, arguments=json.dumps(self._step.arguments), call_id="c1"
            )
            delta = ChoiceDelta(role="assistant", tool_calls=[call])
        else:
            delta = ChoiceDelta(role="assistant", content=str(self._step))
        self._event_ch.send_nowait(ChatChunk(id="r", delta=delta))
        self._event_ch.send_nowait(
            ChatChunk(
                id="r", usage=CompletionUsage(prompt_tokens=100, completion_tokens=10, total_tokens=110)
            )
        )


def last_tool_output(ctx: ChatContext) -> str:
    outputs = [i for i in ctx.items if i.type == "function_call_output"]
    return outputs[-1].output if outputs else ""


def call_state_for(snapshot: RestaurantSnapshot, language: str = "en") -> CallState:
    """The userdata a test session carries, as a real job would build it (no metadata: a console-like call)."""
    return CallState(
        snapshot=snapshot, metadata=None, language=language, job_id="test-job", room_name="test-room"
    )


def ask(
    snapshot: RestaurantSnapshot,
    question: str,
    tool: str,
    arguments: dict[str, Any],
    *,
    language: str = "en",
    history: list[Any] | None = None,
) -> str:
    """One diner turn through the real agent in which the scripted model calls `tool`; returns what the
    tool answered, the text the model then speaks from. `history`, when given, receives the session's
    chat items (what a call record is built from)."""
    import asyncio

    from livekit.agents import AgentSession, TurnHandlingOptions

    from agent_worker.agent import RestaurantAgent

    state = call_state_for(snapshot, language)

    async def main() -> str:
        llm = ScriptedLLM([ToolCall(tool, arguments), lambda ctx: last_tool_output(ctx)])
        session: AgentSession[CallState] = AgentSession(
            llm=llm, userdata=state, vad=None, turn_handling=TurnHandlingOptions(turn_detection=None)
        )
        async with session:
            await session.start(RestaurantAgent(state))
            result: Any = await session.run(user_input=question)
            result.expect.next_event().is_function_call(name=tool)
            output = result.expect.next_event().is_function_call_output().event().item.output
            if history is not None:
                history.append(session.history)
            return str(output)

    return asyncio.run(main())

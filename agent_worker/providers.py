"""Speech and language providers: Deepgram STT, OpenAI LLM, Cartesia TTS, per restaurant language and voice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from livekit.agents import AgentSession

from agent_worker.job import JobPlan
from agent_worker.state import CallState

REQUIRED_KEYS = ("DEEPGRAM_API_KEY", "OPENAI_API_KEY", "CARTESIA_API_KEY")


def check_provider_keys() -> None:
    """Fail at start-up, naming the variables, rather than on the first diner's call."""
    missing = [name for name in REQUIRED_KEYS if not getattr(settings, name, "")]
    if missing:
        raise ImproperlyConfigured(
            f"The agent worker needs {', '.join(missing)}: set them in the environment or in .env "
            "(see .env.example)."
        )


def production_session(plan: JobPlan, state: CallState | None, *, vad: Any) -> AgentSession[Any]:
    from livekit.plugins import cartesia, deepgram, openai

    voice = plan.snapshot.voice if plan.snapshot and plan.snapshot.voice else None
    tts_options: dict[str, Any] = {"language": plan.language, "api_key": settings.CARTESIA_API_KEY}
    if voice:
        tts_options["voice"] = voice
    return AgentSession[Any](
        stt=deepgram.STT(model="nova-3", language=plan.language, api_key=settings.DEEPGRAM_API_KEY),
        llm=openai.LLM(model=settings.OPENAI_MODEL, api_key=settings.OPENAI_API_KEY),
        tts=cartesia.TTS(**tts_options),
        vad=vad,
        userdata=state,
    )

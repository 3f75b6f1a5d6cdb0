from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from tenants.models import Restaurant


def call_payload(restaurant: Restaurant, **overrides: Any) -> dict[str, Any]:
    """A call record as the worker hands it to Celery (JSON-ready)."""
    started = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=3)
    payload: dict[str, Any] = {
        "version": 1,
        "job_id": f"AJ_{uuid.uuid4().hex[:12]}",
        "room_name": f"hl-{restaurant.public_id}-{uuid.uuid4().hex}",
        "restaurant_id": restaurant.public_id,
        "tenant_id": restaurant.tenant_id,
        "started_at": started.isoformat(),
        "ended_at": (started + dt.timedelta(seconds=125)).isoformat(),
        "end_reason": "participant_disconnected",
        "snapshot_version": "abc123",
        "language": "en",
        "transcript": [
            {
                "role": "assistant",
                "text": f"Welcome to {restaurant.name}. How can I help you?",
                "at": started.isoformat(),
            },
            {"role": "user", "text": "Do you have anything vegan?", "at": started.isoformat()},
            {"role": "assistant", "text": "Yes: the bruschetta is vegan.", "at": started.isoformat()},
        ],
        "tool_calls": [
            {"name": "search_menu", "arguments": {"dietary_need": "vegan"}, "output": "Bruschetta (7.50 EUR)"}
        ],
        "usage": {
            "llm_input_tokens": 1200,
            "llm_output_tokens": 80,
            "tts_characters": 140,
            "stt_audio_seconds": 61.5,
        },
    }
    payload.update(overrides)
    return payload

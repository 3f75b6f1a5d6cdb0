"""Can the demo page's call buttons work? Asked of the LiveKit server, so the page can say why not.

`make demo` runs the web app alone: without a LiveKit server every call would end in "voice service
unavailable" with the reason only in the server log. The page asks first and shows the reason instead.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.cache_keys import voice_status_key
from core.livekit import livekit_server_problem

# Long enough that a busy demo page costs LiveKit one request per interval, short enough that starting
# LiveKit turns the buttons on by the next reload or so.
VOICE_STATUS_TTL_SECONDS = 10
PROBE_TIMEOUT_SECONDS = 1.0
PROVIDER_KEYS = ("DEEPGRAM_API_KEY", "OPENAI_API_KEY", "CARTESIA_API_KEY")


@dataclass(frozen=True)
class VoiceStatus:
    available: bool
    # Why not, in a few words ("nothing answers there"); empty when available.
    problem: str
    # The server the platform dispatches agents through (LIVEKIT_URL).
    livekit_url: str


def voice_status() -> VoiceStatus:
    """Whether this platform reaches its LiveKit server (cached for a few seconds)."""
    try:
        problem = cache.get(voice_status_key())
    except Exception:  # the cache (Redis) being down is no reason to fail the page: ask LiveKit directly
        problem = None
    if problem is None:
        problem = livekit_server_problem(timeout=PROBE_TIMEOUT_SECONDS) or ""
        # As above: a cache that cannot store the answer does not make it wrong for this request.
        with contextlib.suppress(Exception):
            cache.set(voice_status_key(), problem, VOICE_STATUS_TTL_SECONDS)
    return VoiceStatus(available=not problem, problem=problem, livekit_url=settings.LIVEKIT_URL)

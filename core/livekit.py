"""The platform's connection to the LiveKit server API, shared by every request in a process.

livekit-api is asyncio-only. Async code (the call start under ASGI) uses `aagent_dispatch_create`: one
`LiveKitAPI` client (one aiohttp connection pool) per event loop, on the serving loop itself, no thread
hop. Synchronous code (admin actions, Celery, the phone channel) uses `agent_dispatch_create`: a single
background thread runs an event loop that owns another client; callers submit to it and wait with a time
limit. That one starts lazily in the process that uses it, so a pre-forking server gives each worker its
own loop instead of a broken inherited one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import aiohttp
from django.conf import settings
from livekit import api

from core.loop_local import loop_local

logger = logging.getLogger(__name__)
T = TypeVar("T")


class LiveKitUnavailable(Exception):
    """LiveKit could not be reached, timed out or refused the call; the caller should try again later."""


class _Bridge:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: api.LiveKitAPI | None = None

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="livekit-api", daemon=True).start()
                self._loop, self._pid, self._client = loop, os.getpid(), None
            return self._loop

    async def _get_client(self) -> api.LiveKitAPI:
        if self._client is None:
            self._client = api.LiveKitAPI(
                url=settings.LIVEKIT_URL,
                api_key=settings.LIVEKIT_API_KEY,
                api_secret=settings.LIVEKIT_API_SECRET,
                timeout=aiohttp.ClientTimeout(total=settings.LIVEKIT_API_TIMEOUT_SECONDS),
                # One self-hosted server or one Cloud URL: no region discovery, fail fast and let the caller retry.
                failover=False,
            )
        return self._client

    def run(self, make: Any, timeout: float) -> Any:
        loop = self._ensure()

        async def call() -> Any:
            return await make(await self._get_client())

        future = asyncio.run_coroutine_threadsafe(call(), loop)
        try:
            return future.result(timeout=timeout)
        except Exception as exc:
            future.cancel()
            raise LiveKitUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def reset(self) -> None:
        """Forget the client (tests point settings at a new fake server)."""
        with self._lock:
            client, loop = self._client, self._loop
            self._client = None
        if client is not None and loop is not None:
            coro: Coroutine[Any, Any, None] = client.aclose()
            asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=5)


_bridge = _Bridge()


def livekit_call(make: Callable[[api.LiveKitAPI], Awaitable[T]], timeout: float | None = None) -> T:
    """Run one server-API call (`make(client)` returns its coroutine) on the shared client, synchronously.

    Raises LiveKitUnavailable when LiveKit cannot be reached, times out or refuses the call. The default time
    limit is a little over the HTTP timeout, so the HTTP layer's own timeout is what normally fires.
    """
    limit = timeout if timeout is not None else settings.LIVEKIT_API_TIMEOUT_SECONDS + 0.5
    result: T = _bridge.run(make, timeout=limit)
    return result


def agent_dispatch_create(*, room: str, agent_name: str, metadata: str) -> str:
    """Explicitly dispatch the agent to `room` (LiveKit creates the room). Returns the dispatch id."""
    request = api.CreateAgentDispatchRequest(room=room, agent_name=agent_name, metadata=metadata)
    dispatch = livekit_call(lambda client: client.agent_dispatch.create_dispatch(request))
    return str(dispatch.id)


def _loop_client() -> api.LiveKitAPI:
    def make() -> api.LiveKitAPI:
        return api.LiveKitAPI(
            url=settings.LIVEKIT_URL,
            api_key=settings.LIVEKIT_API_KEY,
            api_secret=settings.LIVEKIT_API_SECRET,
            timeout=aiohttp.ClientTimeout(total=settings.LIVEKIT_API_TIMEOUT_SECONDS),
            failover=False,
        )

    # Keyed by what the client was made from, so a settings change (tests, a reload) gets a new one.
    key = ("livekit", settings.LIVEKIT_URL, settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
    return loop_local(key, make)


async def aagent_dispatch_create(*, room: str, agent_name: str, metadata: str) -> str:
    """`agent_dispatch_create` for async callers, on the running loop. Raises LiveKitUnavailable."""
    request = api.CreateAgentDispatchRequest(room=room, agent_name=agent_name, metadata=metadata)
    try:
        # aiohttp's own total timeout normally fires first; this bounds everything else (no extra task).
        async with asyncio.timeout(settings.LIVEKIT_API_TIMEOUT_SECONDS + 0.5):
            dispatch = await _loop_client().agent_dispatch.create_dispatch(request)
    except Exception as exc:
        raise LiveKitUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return str(dispatch.id)


def livekit_server_problem(timeout: float = 1.0) -> str | None:
    """Why this process cannot use the LiveKit server API right now, in a few words; None if it can.

    One cheap authenticated request (ListRooms), so a wrong key or secret counts as a problem too: a call
    start would fail on it the same way.
    """
    try:
        livekit_call(lambda client: client.room.list_rooms(api.ListRoomsRequest()), timeout=timeout)
    except LiveKitUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, api.TwirpError):
            if cause.status in {401, 403}:
                return "it refused LIVEKIT_API_KEY / LIVEKIT_API_SECRET"
            return f"it answered {cause.status} {cause.code}"
        if isinstance(cause, TimeoutError):
            return "it did not answer in time"
        if isinstance(cause, aiohttp.ClientError):
            return "nothing answers there"
        return f"{type(cause).__name__ if cause else 'error'}"
    return None


def participant_token_create(*, room: str, identity: str, ttl: dt.timedelta) -> str:
    """A token that lets one diner join one room: publish, subscribe and send data, nothing more."""
    grants = api.VideoGrants(
        room_join=True, room=room, can_publish=True, can_subscribe=True, can_publish_data=True
    )
    return (
        api.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
        .with_identity(identity)
        .with_ttl(ttl)
        .with_grants(grants)
        .to_jwt()
    )


def livekit_client_reset() -> None:
    _bridge.reset()

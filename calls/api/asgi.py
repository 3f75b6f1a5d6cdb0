"""The call start's own ASGI route, mounted in front of Django (config/asgi.py).

`POST /api/connection-details` is the one request a busy platform serves thousands of times a minute.
Through Django's ASGI handler every synchronous middleware hops to a thread and back, twice per request;
here the request goes straight to `connection_details.answer()` on the serving event loop: Redis
(redis.asyncio), the LiveKit API (aiohttp) and the token, no thread at all for a cached restaurant.
Everything else, and this path's Django view (schema, test client, WSGI), is Django as usual.

Lifespan: the route answers uvicorn's lifespan events (Django's handler does not) and closes the loop's
Redis pool and LiveKit session at shutdown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings

from calls.api.connection_details import MAX_BODY_BYTES, CallStartRequest, answer
from calls.api.cors import PATH
from core.loop_local import loop_locals_close, serving_loop_mark

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks), size > MAX_BODY_BYTES


async def call_start_app(scope: Scope, receive: Receive, send: Send) -> None:
    body, too_large = await _read_body(receive)
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]},{text}" if key in headers else text
    client = scope.get("client") or ("", 0)
    result = await answer(
        CallStartRequest(
            method=scope["method"],
            scheme=scope.get("scheme", "http"),
            host=headers.get("host", ""),
            path=scope["path"],
            headers=headers,
            body=body,
            client_ip=client[0],
            body_too_large=too_large,
        )
    )
    payload = result.encoded()
    out = [(b"content-length", str(len(payload)).encode())]
    if result.body is not None:
        out.append((b"content-type", b"application/json"))
    out += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in result.headers.items()]
    await send({"type": "http.response.start", "status": result.status, "headers": out})
    await send({"type": "http.response.body", "body": payload})


class CallStartRoute:
    def __init__(self, django_app: ASGIApp) -> None:
        self.django_app = django_app
        # Off: the call start goes through Django's handler and middleware like any other request (for
        # comparison in bench/dispatch_load.py, or if this route ever misbehaves).
        self.enabled = settings.CALL_START_ROUTE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        serving_loop_mark()
        if self.enabled and scope["type"] == "http" and scope["path"] == PATH:
            await call_start_app(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        else:
            await self.django_app(scope, receive, send)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await loop_locals_close()
                await send({"type": "lifespan.shutdown.complete"})
                return

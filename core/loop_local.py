"""Clients bound to one asyncio event loop (redis.asyncio pools, aiohttp sessions), one per loop.

The ASGI server runs one loop per process, so in production this is "one client per process", made on
the first request and closed at the server's lifespan shutdown. Code that runs a short-lived loop
(`async_to_sync` in a synchronous view, the test client) closes what it made with `loop_locals_close()`
before its loop ends, so nothing outlives the loop it is bound to.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_registry: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Any, Any]] = weakref.WeakKeyDictionary()


def loop_local(key: Any, factory: Callable[[], T]) -> T:
    """The running loop's object for `key`, made by `factory()` on first use in that loop."""
    loop = asyncio.get_running_loop()
    objects = _registry.get(loop)
    if objects is None:
        objects = _registry[loop] = {}
    value = objects.get(key)
    if value is None:
        value = objects[key] = factory()
    return value


_serving: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def serving_loop_mark() -> None:
    """The running loop is a server's (it lives as long as the process): its objects are kept."""
    _serving.add(asyncio.get_running_loop())


async def loop_locals_close_if_short_lived() -> None:
    """`loop_locals_close()` unless the running loop is a server's (for code run by async_to_sync)."""
    if asyncio.get_running_loop() not in _serving:
        await loop_locals_close()


async def loop_locals_close() -> None:
    """Close (`aclose()`) and forget every object made for the running loop."""
    objects = _registry.pop(asyncio.get_running_loop(), {})
    for value in objects.values():
        closer = getattr(value, "aclose", None)
        if closer is not None:
            with contextlib.suppress(Exception):
                await closer()

"""Database work from async code, run the way Django runs a request's.

Django hands a connection back (to the pool) and drops a broken one at the start and end of each
request. Code that reaches the database from the event loop through `sync_to_async` runs outside any
request: without this, the sync thread would keep its pooled connection forever, and after a Postgres
restart keep a broken one, failing every later cache miss until the process restarted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

T = TypeVar("T")


def _request_cycle(fn: Callable[..., T]) -> Callable[..., T]:
    def run(**kwargs: Any) -> T:
        # Inside a transaction (a caller's, or a test's) the connection is not ours to recycle.
        if not connection.in_atomic_block:
            close_old_connections()
        try:
            return fn(**kwargs)
        finally:
            if not connection.in_atomic_block:
                close_old_connections()

    return run


async def db_call(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """`fn(**kwargs)` in Django's sync thread, with a connection taken for it and given back after."""
    return await sync_to_async(_request_cycle(fn))(**kwargs)

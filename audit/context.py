"""Who is acting right now: bound once per request, command, task or API call, read by every audit write.

The binding is a context variable, so it follows the code path (threads and asyncio tasks each get their
own) without being passed through every service. Services never need an actor argument: the edge that
knows the actor (middleware, command, task, API view) binds it.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class AuditActor:
    source: str = "system"
    user: Any = None  # a User, or None
    label: str = ""
    request: HttpRequest | None = None  # resolved lazily: DRF authenticates after the middleware ran
    remote_addr: str | None = None
    request_id: str = ""
    muted: bool = False

    def resolved_user(self) -> Any:
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None) if self.request is not None else None
        return user if user is not None and getattr(user, "is_authenticated", False) else None


_NOBODY = AuditActor()
_current: ContextVar[AuditActor | None] = ContextVar("audit_actor", default=None)


def current_actor() -> AuditActor:
    return _current.get() or _NOBODY


@contextmanager
def audit_context(
    *,
    source: str | None = None,
    user: Any = None,
    label: str | None = None,
    request: HttpRequest | None = None,
    remote_addr: str | None = None,
) -> Iterator[AuditActor]:
    """Bind who acts for the block; anything not given is inherited from the enclosing binding.

    An API view calls ``with audit_context(source="api", user=request.user): service(...)`` (or relies on
    the middleware, which already binds the request's user); a Celery task binds the user who asked for
    the work.
    """
    outer = current_actor()
    changes: dict[str, Any] = {}
    if source is not None:
        changes["source"] = source
    if user is not None:
        changes["user"] = user
    if label is not None:
        changes["label"] = label
    if request is not None:
        changes.update(
            request=request,
            remote_addr=request.META.get("REMOTE_ADDR") or None,
            request_id=getattr(request, "request_id", ""),
        )
    if remote_addr is not None:
        changes["remote_addr"] = remote_addr
    bound = replace(outer, **changes)
    token = _current.set(bound)
    try:
        yield bound
    finally:
        _current.reset(token)


@contextmanager
def audit_rows_muted() -> Iterator[None]:
    """Skip the per-row entries inside a bulk write that records one summary entry itself (menu import)."""
    token = _current.set(replace(current_actor(), muted=True))
    try:
        yield
    finally:
        _current.reset(token)


def command_context(name: str) -> Any:
    """The binding for a management command: who ran it on the host, and which command."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return audit_context(source="command", label=f"{who} (manage.py {name})")

"""Structured logs: every record carries the request id, room and restaurant id of the work it belongs to.

The ids live in a context variable, so they follow the request through Django (threads or asyncio tasks)
and a call through the agent worker's job, without passing them to every function. Set them with
`log_context(...)`; `ContextFilter` copies them onto each record; production formats records as JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

FIELDS = ("request_id", "room", "restaurant_id", "job_id")
_context: ContextVar[dict[str, str]] = ContextVar("hostline_log_context", default={})  # noqa: B039 - never mutated


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Add ids to every log record written inside the block (nested blocks add to the outer ones)."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _context.reset(token)


def log_context_bind(**fields: str | None) -> None:
    """Add ids for the rest of the current context (a request, an asyncio task)."""
    _context.set({**_context.get(), **{k: v for k, v in fields.items() if v}})


def current_log_context() -> dict[str, str]:
    return dict(_context.get())


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Only ids that are known: other formatters (livekit-agents') print every extra attribute.
        for name, value in _context.get().items():
            if name in FIELDS and not hasattr(record, name):
                setattr(record, name, value)
        return True


class ConsoleHandler(logging.StreamHandler):
    """Hostline's own console handler, so it can be told apart from the handlers livekit-agents installs."""


def handlers_share_context() -> None:
    """Put the context ids on records whichever root handler writes them.

    The agent worker's logging belongs to livekit-agents (its JSON lines, its forwarding from job
    processes to the main process); this adds the ids to those handlers too. Idempotent.
    """
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ContextFilter) for f in handler.filters):
            handler.addFilter(ContextFilter())


def console_handler_remove() -> None:
    """Leave the console to livekit-agents in the worker, so each line is written once, in its format."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, ConsoleHandler)]:
        root.removeHandler(handler)


class PlainFormatter(logging.Formatter):
    """Human-readable, for a developer's terminal; the ids follow the message when present."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = " ".join(f"{name}={getattr(record, name)}" for name in FIELDS if getattr(record, name, ""))
        return f"{line} [{ids}]" if ids else line


class HostlineJsonFormatter(JsonFormatter):
    """One JSON object per line with stable keys, for log shippers (Loki, CloudWatch, Datadog)."""

    def __init__(self, fmt: str = "%(asctime)s %(message)s", **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"asctime": "time"})
        super().__init__(fmt, **kwargs)

    def add_fields(
        self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record["level"] = record.levelname
        log_record["logger"] = record.name
        for name in FIELDS:
            value = getattr(record, name, "")
            if value:
                log_record[name] = value
            else:
                log_record.pop(name, None)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logging.ContextFilter"}},
        "formatters": {
            "plain": {
                "()": "config.logging.PlainFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
            "json": {"()": "config.logging.HostlineJsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "config.logging.ConsoleHandler",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django logs each 4xx/5xx itself; the request id is on those records too.
            "django.request": {"level": "WARNING"},
            # django-axes logs every sign-in and reset at INFO; failures and lockouts come at WARNING.
            "axes": {"level": "WARNING"},
        },
    }

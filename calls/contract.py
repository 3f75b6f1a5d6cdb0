"""The contract between the backend that dispatches and the worker that answers.

Defined once, imported by both sides: the agent name the worker registers under and the backend
dispatches to, and the JSON job metadata that travels with each dispatch (LiveKit hands it to the worker
as the string `ctx.job.metadata`).

Read tolerantly, so a rolling deploy never refuses calls in either order: `version` is the schema's major
version. Within it, fields are only ever added and optional, so a worker ignores fields it does not know
(a newer web app sent them; logged once per set of names) and a newer worker accepts metadata without the
fields it added (an older web app sent it). Only a newer major version, which may mean something the
worker would misread, is refused.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# If these drift apart the dispatch is created but no worker ever picks it up.
AGENT_NAME = "hostline-restaurant-agent"

METADATA_SCHEMA_VERSION = 1
# Well under LiveKit's limits on dispatch metadata; the caller-supplied context has its own, smaller cap.
MAX_METADATA_BYTES = 4096
MAX_CONTEXT_BYTES = 1024

ContextValue = str | int | float | bool | None

# On the wire (job metadata, the connection-details body, call records) `restaurant_id` is always the
# restaurant's public id (`r_…`), never the database key. Python code calls it `public_id`; an integer
# `restaurant_id` only ever means the ORM's foreign key.
PUBLIC_ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
# A BCP 47 language as the agent takes it: "fr", "pt-BR".
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Za-z0-9]{2,8})?$"
logger = logging.getLogger(__name__)
_unknown_fields_logged: set[frozenset[str]] = set()


class InvalidJobMetadata(ValueError):
    """The job metadata cannot be used. `reason` is a short machine-readable code for logs and metrics."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class JobMetadata(BaseModel):
    # Unknown fields are dropped (after parse_job_metadata logs them): see the module docstring.
    model_config = ConfigDict(extra="ignore", frozen=True)

    version: Literal[1] = 1  # == METADATA_SCHEMA_VERSION
    restaurant_id: str = Field(min_length=1, max_length=32, pattern=PUBLIC_ID_PATTERN)
    tenant_id: int = Field(ge=1)
    language: str | None = Field(default=None, max_length=16, pattern=LANGUAGE_PATTERN)
    context: dict[str, ContextValue] | None = None
    # The web request that dispatched this job, so one id follows a call through both services' logs.
    request_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    # How the diner reached the agent. Absent (older dispatchers) means the web widget.
    channel: Literal["web", "phone"] = "web"

    @field_validator("context")
    @classmethod
    def _context_is_small(cls, value: dict[str, ContextValue] | None) -> dict[str, ContextValue] | None:
        if value is not None and len(json.dumps(value, separators=(",", ":"))) > MAX_CONTEXT_BYTES:
            raise ValueError(f"context must be at most {MAX_CONTEXT_BYTES} bytes of JSON")
        return value

    def to_json(self) -> str:
        # "web" is left out, so web dispatches stay byte-identical for workers that predate the field.
        data = self.model_dump_json(exclude_none=True, exclude={"channel"} if self.channel == "web" else None)
        if len(data.encode()) > MAX_METADATA_BYTES:
            raise InvalidJobMetadata("too_large", f"metadata is over {MAX_METADATA_BYTES} bytes")
        return data


def parse_job_metadata(raw: str | None) -> JobMetadata:
    """Parse `ctx.job.metadata` (always a string, possibly empty) or raise InvalidJobMetadata."""
    if not raw or not raw.strip():
        raise InvalidJobMetadata("empty", "the job carries no metadata")
    if len(raw.encode("utf-8", errors="replace")) > MAX_METADATA_BYTES:
        raise InvalidJobMetadata("too_large", f"metadata is over {MAX_METADATA_BYTES} bytes")
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidJobMetadata("not_json", str(exc)[:200]) from None
    if not isinstance(data, dict):
        raise InvalidJobMetadata("wrong_shape", f"expected a JSON object, got {type(data).__name__}")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > METADATA_SCHEMA_VERSION:
        raise InvalidJobMetadata(
            "unsupported_version", f"schema version {version} is newer than {METADATA_SCHEMA_VERSION}"
        )
    unknown = frozenset(str(k) for k in data) - frozenset(JobMetadata.model_fields)
    if unknown and unknown not in _unknown_fields_logged:
        _unknown_fields_logged.add(unknown)
        logger.warning(
            "job metadata has fields this worker does not know, ignored: %s", ", ".join(sorted(unknown))[:300]
        )
    try:
        return JobMetadata.model_validate(data)
    except ValidationError as exc:
        raise InvalidJobMetadata(
            "wrong_shape", exc.errors(include_url=False, include_input=False).__repr__()[:300]
        ) from None

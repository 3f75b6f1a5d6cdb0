"""Starting a call from the web (the widget) or a restaurant's server: who may ask, and what they get back."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from calls.admission import (
    NOT_LIVE_DETAIL,
    NotLive,
    NotTakingCalls,
    RateLimit,
    TooManySessions,
    acall_admit,
    call_admit,
    session_slot_release,
)
from calls.contract import AGENT_NAME, JobMetadata
from calls.origins import origin_allowed_for_snapshot, origin_allowed_for_tenant
from calls.refusals import acall_refusal_count, call_refusal_count
from config.logging import log_context_bind
from core import errors
from core.db import db_call
from core.livekit import (
    LiveKitUnavailable,
    aagent_dispatch_create,
    agent_dispatch_create,
    participant_token_create,
)
from tenants.api_keys import api_key_authenticate
from tenants.cache import arestaurant_snapshot_get_cached, restaurant_snapshot_get
from tenants.snapshot import RestaurantSnapshot

logger = logging.getLogger(__name__)


class NotAvailable(errors.NotFound):
    # Unknown id and "not allowed from this website" look the same, so nobody can probe other tenants' ids.
    code = "restaurant_not_found"


class ServiceUnavailable(errors.Unavailable):
    code = "voice_service_unavailable"


def restaurant_contact(snapshot: RestaurantSnapshot) -> dict[str, str]:
    """What a refused diner may be told about the restaurant: its name and, when set, its phone number.

    Only added to refusals that already name the restaurant (not taking calls, not live, busy, voice
    service down), never to the "not available here" answer, which must look like an unknown id.
    """
    contact = {"name": snapshot.name}
    if snapshot.phone:
        contact["phone"] = snapshot.phone
    return contact


def _with_contact(error: errors.ApplicationError, snapshot: RestaurantSnapshot) -> errors.ApplicationError:
    error.extra.update(restaurant_contact(snapshot))
    return error


@dataclass(frozen=True)
class SessionDetails:
    server_url: str
    participant_token: str
    room_name: str
    participant_identity: str
    expires_at: dt.datetime


def session_create(
    *,
    public_id: str,
    origin: str | None,
    api_key: str | None,
    language: str | None = None,
    context: dict[str, Any] | None = None,
    request_id: str = "",
    own_origin: str | None = None,
    client_ident: str | None = None,
) -> SessionDetails:
    """Check the caller, admit the call, dispatch the agent to a new room and mint the diner's token.

    `public_id` is the restaurant's public id (`r_…`, `restaurant_id` on the wire). `own_origin` is the origin the platform itself
    was reached at (its Host is checked by ALLOWED_HOSTS), so a page the platform serves is recognised
    however the operator named the host. `client_ident` (the throttle's) names a browser client, whose
    simultaneous calls are limited; a server with an API key is its tenant, limited by the tenant's lines.
    """
    if api_key is not None:
        key = api_key_authenticate(presented=api_key)
        if key is None:
            raise errors.Forbidden("The API key is not valid or has been revoked.")
        caller_tenant_id: int | None = key.tenant_id
    else:
        if context is not None:
            raise errors.ApplicationError(
                "“context” may only be sent by a server using an API key, not from a browser."
            )
        if not origin:
            raise errors.Forbidden(
                "Send the request from a web page (with an Origin header) or with an API key."
            )
        caller_tenant_id = None

    snapshot = restaurant_snapshot_get(public_id=public_id)
    if snapshot is None:
        raise NotAvailable(f"No restaurant “{public_id}” is available here.")
    if caller_tenant_id is not None and snapshot.tenant_id != caller_tenant_id:
        raise NotAvailable(f"No restaurant “{public_id}” is available here.")
    if caller_tenant_id is None and not origin_allowed_for_tenant(
        origin=origin or "", tenant_id=snapshot.tenant_id, own_origin=own_origin
    ):
        # Counted for the owner ("your website is not allowed"), but answered like an unknown id.
        call_refusal_count(
            public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="origin_not_allowed"
        )
        raise NotAvailable(f"No restaurant “{public_id}” is available here.")
    if not snapshot.can_take_calls:
        call_refusal_count(
            public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="not_taking_calls"
        )
        raise _with_contact(
            NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead."),
            snapshot,
        )
    if not snapshot.live:
        call_refusal_count(public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="not_live")
        raise _with_contact(NotLive(NOT_LIVE_DETAIL), snapshot)

    # Validated (and size-checked) before a line is taken, so a bad request never holds one.
    metadata = _checked_metadata(snapshot, language, context, request_id)

    room = f"hl-{snapshot.public_id}-{uuid.uuid4().hex}"
    log_context_bind(room=room, restaurant_id=snapshot.public_id)
    try:
        call_admit(
            snapshot=snapshot, room_name=room, client_ident=client_ident if caller_tenant_id is None else None
        )
    except errors.Busy as exc:
        call_refusal_count(public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="busy")
        _with_contact(exc, snapshot)
        raise
    try:
        agent_dispatch_create(room=room, agent_name=AGENT_NAME, metadata=metadata)
    except LiveKitUnavailable as exc:
        call_refusal_count(
            public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="voice_service_down"
        )
        session_slot_release(tenant_id=snapshot.tenant_id, room_name=room)
        logger.error(
            "dispatch failed request_id=%s room=%s restaurant=%s: %s", request_id, room, public_id, exc
        )
        raise _with_contact(
            ServiceUnavailable("The voice service is unavailable right now. Please try again shortly."),
            snapshot,
        ) from exc

    return _session_details(room)


def _session_details(room: str) -> SessionDetails:
    """The diner's way into an admitted, dispatched room: a token for that room only."""
    identity = f"diner-{uuid.uuid4().hex[:12]}"
    ttl = settings.PARTICIPANT_TOKEN_TTL
    logger.info("session created")  # the request id, room and restaurant come from the log context
    return SessionDetails(
        server_url=settings.LIVEKIT_PUBLIC_URL or settings.LIVEKIT_URL,
        participant_token=participant_token_create(room=room, identity=identity, ttl=ttl),
        room_name=room,
        participant_identity=identity,
        expires_at=timezone.now() + ttl,
    )


class Refused(Exception):
    """A call start refused before it was admitted: it counted against no restaurant's budget."""

    def __init__(self, error: errors.ApplicationError) -> None:
        super().__init__(error.detail)
        self.error = error


def _checked_metadata(
    snapshot: RestaurantSnapshot, language: str | None, context: dict[str, Any] | None, request_id: str
) -> str:
    try:
        return JobMetadata(
            restaurant_id=snapshot.public_id,
            tenant_id=snapshot.tenant_id,
            language=language,
            context=context,
            request_id=request_id or None,
        ).to_json()
    except ValueError as exc:
        raise errors.ApplicationError(
            f"The session details are not valid: {str(exc).splitlines()[-1][:200]}"
        ) from exc


async def asession_create(
    *,
    public_id: str,
    origin: str | None,
    api_key: str | None,
    language: str | None = None,
    context: dict[str, Any] | None = None,
    request_id: str = "",
    own_origin: str | None = None,
    rate_limits: Callable[[RestaurantSnapshot], Sequence[RateLimit]] = lambda _: (),
    client_ident: str | None = None,
) -> SessionDetails:
    """`session_create` on the serving event loop, with the request's rate limits in the admission.

    Every cheap check comes first (key or origin, the restaurant exists, takes calls, the details are
    valid) and raises `Refused`, so a refused request never spends the restaurant's budget. For a cached
    restaurant and a browser caller it reads no SQL: origins, status and line cap come with the
    snapshot. Then one Redis round trip checks `rate_limits(snapshot)` and takes a line, the agent is
    dispatched on the loop, and the token is minted.
    """
    try:
        caller_tenant_id: int | None = None
        if api_key is not None:
            key = await db_call(api_key_authenticate, presented=api_key)
            if key is None:
                raise errors.Forbidden("The API key is not valid or has been revoked.")
            caller_tenant_id = key.tenant_id
        else:
            if context is not None:
                raise errors.ApplicationError(
                    "“context” may only be sent by a server using an API key, not from a browser."
                )
            if not origin:
                raise errors.Forbidden(
                    "Send the request from a web page (with an Origin header) or with an API key."
                )
        snapshot = await arestaurant_snapshot_get_cached(public_id=public_id)
        if snapshot is None or (caller_tenant_id is not None and snapshot.tenant_id != caller_tenant_id):
            raise NotAvailable(f"No restaurant “{public_id}” is available here.")
        if caller_tenant_id is None and not origin_allowed_for_snapshot(
            origin=origin or "", snapshot=snapshot, own_origin=own_origin
        ):
            # Counted for the owner ("your website is not allowed"), but answered like an unknown id.
            await acall_refusal_count(
                public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="origin_not_allowed"
            )
            raise NotAvailable(f"No restaurant “{public_id}” is available here.")
        if not snapshot.can_take_calls:
            await acall_refusal_count(
                public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="not_taking_calls"
            )
            raise _with_contact(
                NotTakingCalls(
                    "This restaurant is not taking voice calls right now. Please call them instead."
                ),
                snapshot,
            )
        if not snapshot.live:
            await acall_refusal_count(
                public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="not_live"
            )
            raise _with_contact(NotLive(NOT_LIVE_DETAIL), snapshot)
        metadata = _checked_metadata(snapshot, language, context, request_id)
    except errors.ApplicationError as exc:
        raise Refused(exc) from exc

    room = f"hl-{snapshot.public_id}-{uuid.uuid4().hex}"
    log_context_bind(room=room, restaurant_id=snapshot.public_id)
    try:
        # A browser caller (`client_ident`: its address) holds a limited number of calls at once; a server
        # with an API key is its tenant, limited by the tenant's lines.
        await acall_admit(
            snapshot=snapshot,
            room_name=room,
            rate_limits=rate_limits(snapshot),
            client_ident=client_ident if caller_tenant_id is None else None,
        )
    except TooManySessions as exc:
        await acall_refusal_count(public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="busy")
        _with_contact(exc, snapshot)
        raise
    except errors.ApplicationError as exc:  # this caller's or this restaurant's rate: a wait, then retry
        _with_contact(exc, snapshot)
        raise
    try:
        await aagent_dispatch_create(room=room, agent_name=AGENT_NAME, metadata=metadata)
    except LiveKitUnavailable as exc:
        await acall_refusal_count(
            public_id=snapshot.public_id, tenant_id=snapshot.tenant_id, reason="voice_service_down"
        )
        await sync_to_async(session_slot_release, thread_sensitive=False)(
            tenant_id=snapshot.tenant_id, room_name=room
        )
        logger.error(
            "dispatch failed request_id=%s room=%s restaurant=%s: %s", request_id, room, public_id, exc
        )
        raise _with_contact(
            ServiceUnavailable("The voice service is unavailable right now. Please try again shortly."),
            snapshot,
        ) from exc

    return _session_details(room)


def session_availability_check(
    *, public_id: str, origin: str | None, own_origin: str | None = None
) -> RestaurantSnapshot:
    """May a diner on `origin` call this restaurant now? Raises what `session_create` would, takes nothing.

    The widget asks this before the microphone, so a diner is never asked for a microphone by a restaurant
    that is not taking calls. Lines are not checked (busy is a moment, not a state).
    """
    snapshot = restaurant_snapshot_get(public_id=public_id)
    if (
        snapshot is None
        or not origin
        or not origin_allowed_for_snapshot(origin=origin, snapshot=snapshot, own_origin=own_origin)
    ):
        raise NotAvailable(f"No restaurant “{public_id}” is available here.")
    if not snapshot.can_take_calls:
        raise _with_contact(
            NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead."),
            snapshot,
        )
    if not snapshot.live:
        raise _with_contact(NotLive(NOT_LIVE_DETAIL), snapshot)
    return snapshot

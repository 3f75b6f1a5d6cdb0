"""Starting a diner's voice session: who may ask, for which restaurant, and what they get back."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from config.logging import log_context_bind
from tenants.api_keys import api_key_authenticate
from tenants.cache import restaurant_snapshot_get
from tenants.contract import AGENT_NAME, JobMetadata
from tenants.livekit import LiveKitUnavailable, agent_dispatch_create, participant_token_create
from tenants.models import AllowedOrigin, Tenant
from tenants.session_slots import session_slot_acquire, session_slot_release

logger = logging.getLogger(__name__)


class SessionError(Exception):
    status = 400
    code = "invalid_request"
    retry_after: int | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotAvailable(SessionError):
    # Unknown id and "not allowed from this website" look the same, so nobody can probe other tenants' ids.
    status, code = 404, "restaurant_not_found"


class Forbidden(SessionError):
    status, code = 403, "forbidden"


class NotTakingCalls(SessionError):
    status, code = 403, "not_taking_calls"


class TooManySessions(SessionError):
    status, code, retry_after = 429, "too_many_sessions", 30


class ServiceUnavailable(SessionError):
    status, code, retry_after = 503, "voice_service_unavailable", 5


@dataclass(frozen=True)
class SessionDetails:
    server_url: str
    participant_token: str
    room_name: str
    participant_identity: str
    expires_at: dt.datetime


def platform_origins() -> set[str]:
    return {settings.PLATFORM_BASE_URL.rstrip("/")}


def origin_allowed_for_any_tenant(*, origin: str) -> bool:
    """For CORS, before the body says which restaurant: does any tenant allow this origin?

    Suspended tenants' websites are included on purpose: their widget may read the 403 that says the
    restaurant is not taking calls, instead of a network error. No token is ever issued to them.
    """
    return origin in platform_origins() or AllowedOrigin.objects.filter(origin=origin).exists()


def origin_allowed_for_tenant(*, origin: str, tenant_id: int, own_origin: str | None = None) -> bool:
    # The platform's own pages (the demo page, however the host is spelled) may talk to any restaurant.
    return (
        origin in platform_origins()
        or (own_origin is not None and origin == own_origin)
        or AllowedOrigin.objects.filter(origin=origin, tenant_id=tenant_id).exists()
    )


def session_create(
    *,
    restaurant_id: str,
    origin: str | None,
    api_key: str | None,
    language: str | None = None,
    context: dict[str, Any] | None = None,
    request_id: str = "",
    own_origin: str | None = None,
) -> SessionDetails:
    """Check the caller, take a concurrency slot, dispatch the agent to a new room and mint the diner's token.

    `own_origin` is the origin the platform itself was reached at (its Host is checked by ALLOWED_HOSTS),
    so a page the platform serves is recognised however the operator named the host.
    """
    if api_key is not None:
        key = api_key_authenticate(presented=api_key)
        if key is None:
            raise Forbidden("The API key is not valid or has been revoked.")
        caller_tenant_id: int | None = key.tenant_id
    else:
        if context is not None:
            raise SessionError("“context” may only be sent by a server using an API key, not from a browser.")
        if not origin:
            raise Forbidden("Send the request from a web page (with an Origin header) or with an API key.")
        caller_tenant_id = None

    snapshot = restaurant_snapshot_get(public_id=restaurant_id)
    if snapshot is None:
        raise NotAvailable(f"No restaurant “{restaurant_id}” is available here.")
    if caller_tenant_id is not None and snapshot.tenant_id != caller_tenant_id:
        raise NotAvailable(f"No restaurant “{restaurant_id}” is available here.")
    if caller_tenant_id is None and not origin_allowed_for_tenant(
        origin=origin or "", tenant_id=snapshot.tenant_id, own_origin=own_origin
    ):
        raise NotAvailable(f"No restaurant “{restaurant_id}” is available here.")
    if not snapshot.can_take_calls:
        raise NotTakingCalls("This restaurant is not taking voice calls right now. Please call them instead.")

    # Validated (and size-checked) before a slot is taken, so a bad request never holds one.
    try:
        metadata = JobMetadata(
            restaurant_id=snapshot.public_id,
            tenant_id=snapshot.tenant_id,
            language=language,
            context=context,
            request_id=request_id or None,
        ).to_json()
    except ValueError as exc:
        raise SessionError(f"The session details are not valid: {str(exc).splitlines()[-1][:200]}") from exc

    tenant_limit = (
        Tenant.objects.filter(pk=snapshot.tenant_id).values_list("max_concurrent_sessions", flat=True).first()
    )
    room = f"hl-{snapshot.public_id}-{uuid.uuid4().hex}"
    log_context_bind(room=room, restaurant_id=snapshot.public_id)
    if not session_slot_acquire(tenant_id=snapshot.tenant_id, room_name=room, limit=tenant_limit or 0):
        raise TooManySessions("All lines are busy right now. Please try again in a minute.")
    try:
        agent_dispatch_create(room=room, agent_name=AGENT_NAME, metadata=metadata)
    except LiveKitUnavailable as exc:
        session_slot_release(tenant_id=snapshot.tenant_id, room_name=room)
        logger.error(
            "dispatch failed request_id=%s room=%s restaurant=%s: %s", request_id, room, restaurant_id, exc
        )
        raise ServiceUnavailable(
            "The voice service is unavailable right now. Please try again shortly."
        ) from exc

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

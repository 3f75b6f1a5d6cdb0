"""Which web pages may start calls: the platform's own, and the origins each tenant allows."""

from __future__ import annotations

from django.conf import settings

from tenants.cache import aallowed_origin_exists
from tenants.models import AllowedOrigin
from tenants.snapshot import RestaurantSnapshot


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


def origin_allowed_for_snapshot(
    *, origin: str, snapshot: RestaurantSnapshot, own_origin: str | None = None
) -> bool:
    """`origin_allowed_for_tenant` from the tenant's origins cached with the restaurant: no SQL."""
    return (
        origin in platform_origins()
        or (own_origin is not None and origin == own_origin)
        or origin in snapshot.allowed_origins
    )


async def aorigin_allowed_for_any_tenant(*, origin: str) -> bool:
    """`origin_allowed_for_any_tenant` from the cached set of allowed origins: no SQL unless it is missing."""
    return origin in platform_origins() or await aallowed_origin_exists(origin=origin)

"""Which web pages may start calls: the platform's own, and the origins each tenant allows."""

from __future__ import annotations

from django.conf import settings

from tenants.models import AllowedOrigin


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

"""Bringing a new restaurant group onto the platform, and suspending or reactivating it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from audit.services import audit_record
from tenants.api_keys import api_key_create
from tenants.cache import tenant_snapshots_invalidate
from tenants.locales import country_defaults, timezone_resolve
from tenants.models import AllowedOrigin, Membership, Restaurant, Tenant
from tenants.signals import tenant_status_changed


@dataclass(frozen=True)
class OnboardingResult:
    tenant: Tenant
    restaurant: Restaurant
    owner_email: str
    api_key: str  # shown once, never stored in plaintext
    embed_snippet: str


def embed_snippet(restaurant: Restaurant) -> str:
    return f'<script src="{settings.PLATFORM_BASE_URL}/widget.js" data-restaurant="{restaurant.public_id}" async></script>'


def tenant_onboard(
    *,
    tenant_name: str,
    owner_email: str,
    restaurant_name: str,
    restaurant_timezone: str = "",
    allowed_origins: list[str],
    restaurant_country: str = "",
    restaurant_language: str = "",
    restaurant_currency: str = "",
) -> OnboardingResult:
    """Create tenant, owner account, first restaurant, origins and an API key, all or nothing.

    The restaurant's time zone may be a city ("Lisbon"); an empty time zone, language or currency is
    taken from its country (Portugal: Europe/Lisbon, Portuguese, EUR). The owner's set-password email
    goes out only after the commit, so a failed onboarding sends nothing.
    """
    defaults = country_defaults(restaurant_country) if restaurant_country else None
    if restaurant_country and defaults is None:
        raise ValidationError(f"“{restaurant_country}” is not a country code we know, such as PT or JP.")
    if restaurant_timezone:
        timezone_name = timezone_resolve(restaurant_timezone)
    elif defaults is not None:
        timezone_name = defaults.timezone
    else:
        raise ValidationError("Give the restaurant's time zone, or its country to take the time zone from.")
    language = restaurant_language or (defaults.language if defaults else "")
    currency = (restaurant_currency or (defaults.currency if defaults else "")).upper()
    validate_email(owner_email)
    User = get_user_model()
    if User.objects.filter(username__iexact=owner_email).exists():
        raise ValidationError(f"An account for {owner_email} already exists.")
    slug = slugify(tenant_name)[:80]
    if not slug:
        raise ValidationError("The tenant name needs at least one letter or digit.")
    if Tenant.objects.filter(slug=slug).exists():
        raise ValidationError(f"A tenant called “{tenant_name}” already exists.")
    with transaction.atomic():
        tenant = Tenant.objects.create(name=tenant_name, slug=slug)
        owner = User.objects.create_user(username=owner_email, email=owner_email, is_staff=True)
        owner.set_unusable_password()
        owner.save()
        Membership.objects.create(tenant=tenant, user=owner, role=Membership.Role.OWNER)
        restaurant = Restaurant(tenant=tenant, name=restaurant_name, timezone=timezone_name)
        # Empty: the model's own defaults (English, EUR).
        if language:
            restaurant.language = language
        if currency:
            restaurant.currency = currency
        restaurant.full_clean()
        restaurant.save()
        for origin in allowed_origins:
            row = AllowedOrigin(tenant=tenant, origin=origin.rstrip("/"))
            row.full_clean()
            row.save()
        _, key = api_key_create(tenant=tenant, name="onboarding")
        audit_record(
            action="tenant.onboard",
            obj=tenant,
            detail=f"owner {owner_email}, first restaurant {restaurant_name}",
        )
        transaction.on_commit(lambda: _send_set_password_email(owner))
    return OnboardingResult(tenant, restaurant, owner_email, key, embed_snippet(restaurant))


def _send_set_password_email(user: Any) -> None:
    """The welcome email: the username to sign in with, the set-password link and where to sign in."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "username": user.get_username(),
        "set_password_url": f"{settings.PLATFORM_BASE_URL}{reverse('password_reset_confirm', args=[uid, token])}",
        "login_url": f"{settings.PLATFORM_BASE_URL}{reverse('admin:login')}",
        "reset_url": f"{settings.PLATFORM_BASE_URL}{reverse('admin_password_reset')}",
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_mail(
        "Welcome to Hostline: set your password",
        render_to_string("tenants/email/welcome.txt", context),
        None,
        [user.email],
    )


def tenant_suspend(*, tenant: Tenant, reason: str | None = None) -> None:
    """Stop new sessions at once: the status change and the cached snapshots both take effect on commit.

    `reason` is shown to the tenant's owners; None keeps the one already on the tenant (set in the admin).
    """
    fields: dict[str, object] = {"status": Tenant.Status.SUSPENDED}
    if reason is not None:
        fields["suspension_reason"] = reason[:300]
    with transaction.atomic():
        was_active = Tenant.objects.filter(pk=tenant.pk, status=Tenant.Status.ACTIVE).exists()
        Tenant.objects.filter(pk=tenant.pk).update(**fields)
        audit_record(action="tenant.suspend", obj=tenant, changes={"status": [tenant.status, "suspended"]})
        tenant_snapshots_invalidate(tenant_id=tenant.pk)
        tenant.status = Tenant.Status.SUSPENDED
        if reason is not None:
            tenant.suspension_reason = reason[:300]
        if was_active:
            tenant_status_changed.send(sender=Tenant, tenant=tenant)


def tenant_reactivate(*, tenant: Tenant) -> None:
    with transaction.atomic():
        was_suspended = Tenant.objects.filter(pk=tenant.pk).exclude(status=Tenant.Status.ACTIVE).exists()
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE, suspension_reason="")
        audit_record(action="tenant.reactivate", obj=tenant, changes={"status": [tenant.status, "active"]})
        tenant_snapshots_invalidate(tenant_id=tenant.pk)
        tenant.status = Tenant.Status.ACTIVE
        tenant.suspension_reason = ""
        if was_suspended:
            tenant_status_changed.send(sender=Tenant, tenant=tenant)

"""Bringing a new restaurant group onto the platform, and suspending or reactivating it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from audit.services import audit_record
from tenants.api_keys import api_key_create
from tenants.cache import tenant_snapshots_invalidate
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
    restaurant_timezone: str,
    allowed_origins: list[str],
) -> OnboardingResult:
    """Create tenant, owner account, first restaurant, origins and an API key, all or nothing.

    The owner's set-password email goes out only after the commit, so a failed onboarding sends nothing.
    """
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
        restaurant = Restaurant(tenant=tenant, name=restaurant_name, timezone=restaurant_timezone)
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


def _send_set_password_email(user: object) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))  # type: ignore[attr-defined]
    token = default_token_generator.make_token(user)
    link = f"{settings.PLATFORM_BASE_URL}/accounts/reset/{uid}/{token}/"
    send_mail(
        "Your Hostline account",
        f"Welcome to Hostline. Set your password here, then sign in at {settings.PLATFORM_BASE_URL}/admin/ :\n\n{link}\n",
        None,
        [user.email],  # type: ignore[attr-defined]
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

"""Two-factor sign-in (TOTP, with single-use recovery codes) on top of django-otp.

Operators (superusers) must have a confirmed device and use it at every sign-in; owners may enrol, and
once they have, it is asked of them too. Writes here are the services the views and commands call.
"""

from __future__ import annotations

import secrets
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class Need(Enum):
    NOTHING = "nothing"
    VERIFY = "verify"  # has a device, has not used it in this session
    ENROL = "enrol"  # must have a device and has none


def operators_must_enrol() -> bool:
    return bool(getattr(settings, "OPERATOR_TWO_FACTOR_REQUIRED", True))


def two_factor_need(user: Any) -> Need:
    if not getattr(user, "is_authenticated", False):
        return Need.NOTHING
    if user.is_verified():
        return Need.NOTHING
    if user_has_device(user, confirmed=True):
        return Need.VERIFY
    if user.is_superuser and operators_must_enrol():
        return Need.ENROL
    return Need.NOTHING


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The unconfirmed device an enrolment shows as a QR code; the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if ``token`` is a current code from it; returns fresh recovery codes, or None."""
    if not device.verify_token(token):
        return None
    # One authenticator per person: enrolling again replaces the old one.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_create(user=device.user)


@transaction.atomic
def recovery_codes_create(*, user: Any) -> list[str]:
    """Replace the user's recovery codes with new ones. The codes are returned once and stored as tokens."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(action="two_factor.recovery_codes", obj=user, detail=f"{len(codes)} new recovery codes")
    return codes


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_remove(*, user: Any, reason: str) -> int:
    """Remove every device of ``user`` (lost phone, or an owner turning it off). Returns how many."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(action="two_factor.remove", obj=user, detail=reason)
    return removed


def _recovery_code() -> str:
    # 10 characters from a 32-letter alphabet without look-alikes: 50 bits, typed from paper.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"

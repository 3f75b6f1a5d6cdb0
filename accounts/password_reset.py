"""Password reset that cannot be used to flood a mailbox or probe which addresses have accounts.

Every request gets the same "if an account exists, we sent an email" answer. Behind it, an address gets
at most one email per quiet period and a client at most a few requests per hour; past either limit the
request is dropped silently. If the cache cannot count (Redis down), no email is sent: fail closed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest

from accounts.client import client_ip
from core.cache_keys import password_reset_address_key, password_reset_client_key
from core.redis import CACHE_ERRORS

logger = logging.getLogger(__name__)


def _address_hash(email: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()[
        :32
    ]


def password_reset_allowed(*, email: str, request: HttpRequest | None) -> bool:
    """Count this request; True if an email may go out for it."""
    window = settings.PASSWORD_RESET_CLIENT_WINDOW_SECONDS
    try:
        ident = (client_ip(request) if request is not None else None) or "unknown"
        client_key = password_reset_client_key(ident)
        cache.add(client_key, 0, timeout=window)
        if cache.incr(client_key) > settings.PASSWORD_RESET_CLIENT_LIMIT:
            logger.warning("password reset: client over its limit", extra={"client": ident})
            return False
        if not cache.add(
            password_reset_address_key(_address_hash(email)),
            1,
            timeout=settings.PASSWORD_RESET_ADDRESS_INTERVAL_SECONDS,
        ):
            logger.info("password reset: address in its quiet period, no email sent")
            return False
    except (*CACHE_ERRORS, ValueError):
        logger.warning("password reset: cannot count requests (cache unavailable); no email sent")
        return False
    return True


class RateLimitedPasswordResetForm(PasswordResetForm):
    def save(self, *args: Any, **kwargs: Any) -> None:
        if password_reset_allowed(email=self.cleaned_data["email"], request=kwargs.get("request")):
            super().save(*args, **kwargs)

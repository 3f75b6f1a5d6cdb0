from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from accounts.two_factor import Need, two_factor_need

# Reachable before the second factor: the two-factor pages themselves, signing out, and what carries no
# signed-in identity (health, metrics, static files, the diners' call API).
_OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/admin/logout/",
    "/accounts/logout/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/connection-details",
)


class TwoFactorMiddleware:
    """Nothing behind a sign-in is served to a session that still owes its second factor.

    Runs after django-otp's OTPMiddleware. An operator without a device is sent to enrol, anyone with a
    device to enter a code; owners who never enrolled pass. JSON clients get a 403 instead of a redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(_OPEN_PREFIXES) or path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return self.get_response(request)
        need = two_factor_need(getattr(request, "user", None))
        if need is Need.NOTHING:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"error": "two_factor_required", "detail": "Finish two-factor sign-in in the admin first."},
                status=403,
            )
        target = reverse("two_factor_setup" if need is Need.ENROL else "two_factor_verify")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import (
    PasswordResetCompleteView,
    PasswordResetDoneView,
    RateLimitedPasswordResetView,
    SetPasswordView,
)
from config.errors import server_error_or_unavailable
from config.health import healthz, readyz
from config.metrics import metrics_view
from web.admin_links import admin_site_url

admin.site.site_header = "Hostline"
admin.site.site_title = "Hostline admin"
admin.site.index_title = "Restaurants, hours and menus"


def _with_own_site_url(each_context: Any) -> Any:
    # "View site" is per person: an owner's own restaurants, the demo page for operators (web/admin_links.py).
    def wrapped(request: HttpRequest) -> dict[str, Any]:
        return {**each_context(request), "site_url": admin_site_url(request)}

    return wrapped


admin.site.each_context = _with_own_site_url(admin.site.each_context)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    # The reset form is rate-limited (accounts/password_reset.py); naming it admin_password_reset puts a
    # "Forgotten your password?" link on the admin's sign-in page.
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/", admin.site.urls),
    path("accounts/two-factor/", include("accounts.urls")),
    # Set-password links for newly onboarded owners (Django's password-reset confirm views).
    path("accounts/login/", RedirectView.as_view(url="/admin/login/"), name="login"),
    path("accounts/password_reset/", RateLimitedPasswordResetView.as_view(), name="password_reset"),
    # Django's views, titled and branded as Hostline's (accounts/views.py, templates/registration/).
    path("accounts/password_reset/done/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", SetPasswordView.as_view(), name="password_reset_confirm"),
    path("accounts/reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/bookings/", include("bookings.api.urls")),
    path("api/v1/", include("restapi.urls")),
    path("api/", include("calls.api.urls")),
    path("", include("web.urls")),
]

# A database outage answers a plain 503 page (JSON under /api/) with Retry-After, never a 500.
handler500 = server_error_or_unavailable

"""Where the admin's "View site" link goes: an owner's own restaurants, never another tenant's demo group.

Operators (who see every tenant) keep the platform's demo page. config/urls.py hands this to the admin.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from tenants.scoping import is_operator


def admin_site_url(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_operator(request):
        return reverse("home")
    return reverse("your-restaurants")

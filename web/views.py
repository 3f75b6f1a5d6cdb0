from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from tenants.models import Restaurant
from tenants.scoping import member_tenant_ids, scope_to_tenants
from tenants.selectors import demo_restaurant_list
from web.voice import PROVIDER_KEYS, voice_status

WIDGET_FILES = {"widget.js", "widget-call.js"}


def home(request: HttpRequest) -> HttpResponse:
    """The demo page: the demo tenant's restaurants, each with a button to talk to its agent.

    Without a LiveKit server (`make demo` runs the web app alone) the buttons are replaced by a notice
    saying what voice calls need, instead of calls that can only fail.
    """
    restaurants = demo_restaurant_list()
    context = {
        "restaurants": restaurants,
        "voice": voice_status() if restaurants else None,
        "provider_keys": PROVIDER_KEYS,
        "show_details": settings.DEBUG,
    }
    return render(request, "home.html", context)


@staff_member_required
def your_restaurants(request: HttpRequest) -> HttpResponse:
    """The admin's "View site" for owners and staff: their own restaurants, each with its talk button.

    Scoped like the admin (memberships decide, failing closed): someone with no membership sees none.
    """
    restaurants = (
        scope_to_tenants(Restaurant.objects.all(), member_tenant_ids(request))
        .select_related("tenant")
        .order_by("name")
    )
    return render(request, "web/your_restaurants.html", {"restaurants": restaurants})


def _widget_path(name: str) -> Path | None:
    # collectstatic's copy in production, the source tree (static/) in development and tests.
    collected = Path(settings.STATIC_ROOT) / name
    if collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


@require_GET
def widget_asset(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    """/widget.js and /widget-call.js at stable addresses, for the one <script> tag restaurants paste."""
    path = _widget_path(name) if name in WIDGET_FILES else None
    response: HttpResponse | FileResponse
    if path is None:
        # Still JavaScript, so a restaurant's page shows why in its console instead of a parse error.
        response = HttpResponse(
            'console.error("Hostline: the widget is not built on this server (run `make widget`).");',
            status=404,
            content_type="text/javascript; charset=utf-8",
        )
    else:
        response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
        # The loader keeps its address, so caches must notice a new release within minutes; the call
        # bundle is requested by content hash and never changes under one address.
        versioned = name == "widget-call.js" and "v" in request.GET
        response["Cache-Control"] = (
            "public, max-age=31536000, immutable" if versioned else "public, max-age=300"
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Restaurant sites that isolate themselves (COEP) may still load the widget.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# Redoc's sidebar footer ("API docs by Redocly") shows Redocly's logo from their CDN, the one outside
# address the docs page would ask for (the CSP blocks it, and offline it is missing). With an empty src
# the browser asks for nothing and Redoc's own onError handler drops the image; the text link stays.
REDOC_CDN_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@functools.cache
def _redoc_bundle() -> bytes:
    found = finders.find(REDOC_BUNDLE)  # drf-spectacular-sidecar's copy, the same in every environment
    if not isinstance(found, str):
        raise FileNotFoundError(REDOC_BUNDLE)
    return Path(found).read_bytes().replace(REDOC_CDN_LOGO, b'""')


@require_GET
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """Redoc for the API docs page, from drf-spectacular-sidecar, asking no other server for anything."""
    response = HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page that names no icon: Hostline's, instead of a 404 per visit.
    Resolved per request (not when the URLs load), so the static manifest is only needed once serving."""
    return HttpResponsePermanentRedirect(static("hostline/favicon.svg"))

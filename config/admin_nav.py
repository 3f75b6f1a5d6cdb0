"""The admin's sidebar and account menu (django-unfold's UNFOLD settings point here by dotted path).

The sidebar is organised by what an owner does (restaurants, menu, hours, calls, bookings, settings), not by
Django app. Every entry's permission callback asks the entry's own ModelAdmin whether this user may view it,
the same check the page itself makes, so an owner never sees a link to a page they cannot open and the
operators' pages (tenants, users, usage, lockouts) appear for operators only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy

from tenants.scoping import is_operator as _is_operator
from tenants.scoping import member_tenant_ids, scope_to_tenants

Permission = Callable[[HttpRequest], bool]


def is_operator(request: HttpRequest) -> bool:
    return _is_operator(request)


def may_view(model_label: str) -> Permission:
    """A permission callback: may this user open `model_label`'s list (its ModelAdmin decides)?"""

    def check(request: HttpRequest) -> bool:
        model_admin = admin.site._registry.get(apps.get_model(model_label))
        if model_admin is None:
            return False
        return bool(model_admin.has_module_permission(request) and model_admin.has_view_permission(request))

    return check


def _all(*checks: Permission) -> Permission:
    return lambda request: all(check(request) for check in checks)


def _restaurant_page(url_name: str) -> Callable[[HttpRequest], str]:
    """A link to one restaurant's page (its week of hours, its sold-out board): an owner with one restaurant
    goes straight there; with several, to the list of restaurants to pick one."""

    def link(request: HttpRequest) -> str:
        from tenants.models import Restaurant

        if not _is_operator(request):
            ids = list(
                scope_to_tenants(Restaurant.objects.all(), member_tenant_ids(request)).values_list(
                    "pk", flat=True
                )[:2]
            )
            if len(ids) == 1:
                return reverse(url_name, args=[ids[0]])
        return reverse("admin:tenants_restaurant_changelist")

    return link


hours_link = _restaurant_page("admin:tenants_restaurant_hours")
sold_out_link = _restaurant_page("admin:tenants_restaurant_sold_out")


def sidebar_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    def item(title: str, icon: str, link: Any, permission: Permission, **extra: Any) -> dict[str, Any]:
        return {"title": title, "icon": icon, "link": link, "permission": permission, **extra}

    restaurant = may_view("tenants.Restaurant")
    calls = may_view("calls.CallRecord")
    return [
        {
            "title": "Restaurants",
            "items": [
                item("Your restaurants", "storefront", reverse_lazy("admin:index"), restaurant),
                item(
                    "Restaurant details",
                    "edit_note",
                    reverse_lazy("admin:tenants_restaurant_changelist"),
                    restaurant,
                ),
            ],
        },
        {
            "title": "Menu",
            "items": [
                item("Sold out today", "no_meals", sold_out_link, restaurant, active=False),
                item(
                    "Dishes",
                    "restaurant_menu",
                    reverse_lazy("admin:tenants_menuitem_changelist"),
                    may_view("tenants.MenuItem"),
                ),
                item(
                    "Categories",
                    "category",
                    reverse_lazy("admin:tenants_menucategory_changelist"),
                    may_view("tenants.MenuCategory"),
                ),
                item(
                    "Menu imports",
                    "upload_file",
                    reverse_lazy("admin:tenants_menuimport_changelist"),
                    may_view("tenants.MenuImport"),
                ),
            ],
        },
        {
            "title": "Hours",
            "items": [
                # Not "active" on every restaurant page it shares a URL with: Restaurant details is.
                item("Opening hours and holidays", "schedule", hours_link, restaurant, active=False),
            ],
        },
        {
            "title": "Calls",
            "items": [
                item("Call records", "call", reverse_lazy("admin:calls_callrecord_changelist"), calls),
                item(
                    "Messages",
                    "voicemail",
                    reverse_lazy("admin:calls_message_changelist"),
                    may_view("calls.Message"),
                    # unfold renders a non-string badge as it is (a string would be read as a dotted path).
                    **({"badge": unread} if (unread := unread_messages(request)) else {}),
                ),
                item(
                    "Calls dashboard",
                    "monitoring",
                    reverse_lazy("admin:tenants_restaurant_dashboard"),
                    restaurant,
                ),
                item(
                    "Usage per tenant",
                    "data_usage",
                    reverse_lazy("admin:calls_callrecord_usage"),
                    _all(is_operator, calls),
                ),
            ],
        },
        {
            "title": "Bookings",
            "items": [
                item(
                    "Today's book",
                    "event_seat",
                    reverse_lazy("admin:bookings_booking_changelist"),
                    may_view("bookings.Booking"),
                ),
                item(
                    "Booking setup",
                    "table_restaurant",
                    reverse_lazy("admin:bookings_bookablerestaurant_changelist"),
                    may_view("bookings.BookableRestaurant"),
                ),
            ],
        },
        {
            "title": "Settings",
            "items": [
                item(
                    "Allowed websites",
                    "language",
                    reverse_lazy("admin:tenants_allowedorigin_changelist"),
                    may_view("tenants.AllowedOrigin"),
                ),
                item(
                    "Phone numbers",
                    "phone_in_talk",
                    reverse_lazy("admin:telephony_phonenumber_changelist"),
                    may_view("telephony.PhoneNumber"),
                ),
                item(
                    "Webhooks",
                    "webhook",
                    reverse_lazy("admin:webhooks_webhookendpoint_changelist"),
                    may_view("webhooks.WebhookEndpoint"),
                ),
                item(
                    "Webhook deliveries",
                    "outbox",
                    reverse_lazy("admin:webhooks_webhookdelivery_changelist"),
                    may_view("webhooks.WebhookDelivery"),
                ),
                item(
                    "Who changed what",
                    "history",
                    reverse_lazy("admin:audit_auditentry_changelist"),
                    may_view("audit.AuditEntry"),
                ),
                item("Two-factor sign-in", "lock", reverse_lazy("two_factor_manage"), lambda request: True),
            ],
        },
        {
            "title": "Platform (operators)",
            "items": [
                item(
                    "Tenants",
                    "domain",
                    reverse_lazy("admin:tenants_tenant_changelist"),
                    may_view("tenants.Tenant"),
                ),
                item(
                    "Onboard a tenant",
                    "person_add",
                    reverse_lazy("admin:tenants_tenant_onboard"),
                    _all(is_operator, may_view("tenants.Tenant")),
                ),
                item("Users", "person", reverse_lazy("admin:auth_user_changelist"), may_view("auth.User")),
                item("Groups", "group", reverse_lazy("admin:auth_group_changelist"), may_view("auth.Group")),
                item(
                    "Locked-out sign-ins",
                    "lock_person",
                    reverse_lazy("admin:axes_accessattempt_changelist"),
                    may_view("axes.AccessAttempt"),
                ),
            ],
        },
    ]


def unread_messages(request: HttpRequest) -> int:
    """The count beside "Messages" in the sidebar, so an owner sees callers waiting for an answer from any
    page. Operators read no one's messages: no count for them."""
    from calls.selectors import message_unread_count

    if _is_operator(request) or not request.user.is_authenticated:
        return 0
    return message_unread_count(tenant_ids=member_tenant_ids(request))


def account_links(request: HttpRequest) -> list[dict[str, Any]]:
    if not request.user.is_authenticated:
        return []
    links = [{"title": "Two-factor sign-in", "link": reverse_lazy("two_factor_manage")}]
    if request.user.has_usable_password():
        links.append({"title": "Change password", "link": reverse_lazy("admin:password_change")})
    return links


def hostline_admin_css(request: HttpRequest) -> str:
    """Hostline's own layer over unfold: the owner console's cards, tables that never widen a phone."""
    return static("hostline/admin.css")


def hostline_favicon(request: HttpRequest) -> str:
    return static("hostline/favicon.svg")

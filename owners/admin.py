"""The owner's console in the admin: each restaurant's "Your agent right now" page (preview, go-live
checklist, test chat) and the calls dashboard, plus the status badge on the restaurant list.

Registered over tenants' RestaurantAdmin (a subclass, so the catalog admin stays where it is and this app
sits above the agent worker whose tools the preview calls). Every view goes through the tenant-scoped
queryset: another tenant's restaurant is a 404, and nothing is changed for it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from calls.models import CallRecord, Channel
from core.errors import ApplicationError
from owners import chat as test_chat
from owners import dashboard
from owners.checklist import golive_checklist, restaurant_badge
from owners.preview import agent_preview
from owners.services import restaurant_go_live, restaurant_go_offline
from tenants.admin import RestaurantAdmin
from tenants.cache import restaurant_snapshot_get
from tenants.models import AllowedOrigin, Restaurant
from tenants.scoping import is_operator, member_tenant_ids, scope_to_tenants, unscoped


class OwnerRestaurantAdmin(RestaurantAdmin):
    change_list_template = "admin/owners/restaurant_change_list.html"

    def get_list_display(self, request: HttpRequest) -> Any:
        names = list(super().get_list_display(request))
        return [names[0], "agent_status", *names[1:]]

    @admin.display(description="Status")
    def agent_status(self, obj: Restaurant) -> str:
        badge = restaurant_badge(restaurant=obj, snapshot=restaurant_snapshot_get(public_id=obj.public_id))
        return format_html(
            '<a class="hl-badge hl-badge-{}" href="{}">{}</a>',
            badge.kind,
            reverse("admin:tenants_restaurant_agent", args=[obj.pk]),
            badge.text,
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="tenants_restaurant_dashboard"),
            path("<path:object_id>/agent/", wrap(self.agent_view), name="tenants_restaurant_agent"),
            path(
                "<path:object_id>/agent/go-live/",
                wrap(require_POST(self.go_live_view)),
                name="tenants_restaurant_go_live",
            ),
            path(
                "<path:object_id>/agent/test-chat/",
                wrap(require_POST(self.test_chat_view)),
                name="tenants_restaurant_test_chat",
            ),
            *super().get_urls(),
        ]

    # --- "Your agent right now" --------------------------------------------------------------------------

    def agent_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        restaurant = self._restaurant_or_404(request, object_id)
        return self._agent_page(request, restaurant, chat=self._chat(request, restaurant))

    def _chat(self, request: HttpRequest, restaurant: Restaurant) -> CallRecord | None:
        chat_id = request.POST.get("chat") or request.GET.get("chat")
        if not chat_id or not str(chat_id).isdigit():
            return None
        # Scoped twice over: this restaurant (already the user's) and the test channel only.
        return CallRecord.objects.filter(pk=int(chat_id), restaurant=restaurant, channel=Channel.TEST).first()

    def _agent_page(
        self, request: HttpRequest, restaurant: Restaurant, *, chat: CallRecord | None, error: str = ""
    ) -> HttpResponse:
        snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
        if snapshot is None:
            raise Http404("No such restaurant.")
        checklist = golive_checklist(restaurant=restaurant, snapshot=snapshot)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": restaurant,
            "title": f"Your agent right now: {restaurant.name}",
            "restaurant": restaurant,
            "preview": agent_preview(snapshot=snapshot),
            "checklist": checklist,
            "badge": restaurant_badge(restaurant=restaurant, snapshot=snapshot),
            "tenant_suspended": not snapshot.tenant_active,
            "origins": list(
                AllowedOrigin.objects.filter(tenant_id=restaurant.tenant_id).values_list("origin", flat=True)
            ),
            "can_change": self.has_change_permission(request, restaurant),
            "chat": chat,
            "chat_error": error,
            "missing_setting": test_chat.chat_missing_setting(),
            "recent_tests": CallRecord.objects.filter(restaurant=restaurant, channel=Channel.TEST)[:5],
        }
        return TemplateResponse(request, "admin/owners/agent.html", context)

    def go_live_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        restaurant = self._restaurant_or_404(request, object_id)
        if not self.has_change_permission(request, restaurant):
            raise PermissionDenied
        page = reverse("admin:tenants_restaurant_agent", args=[restaurant.pk])
        if request.POST.get("action") == "offline":
            restaurant_go_offline(restaurant=restaurant)
            self.message_user(request, "Calls paused: the widget says “not taking calls yet”.", messages.INFO)
            return HttpResponseRedirect(page)
        try:
            restaurant_go_live(restaurant=restaurant)
        except ApplicationError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
        else:
            self.message_user(request, f"{restaurant.name} is live: diners can call now.", messages.SUCCESS)
        return HttpResponseRedirect(page)

    def test_chat_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        restaurant = self._restaurant_or_404(request, object_id)
        if not self.has_change_permission(request, restaurant):
            raise PermissionDenied
        chat = None if request.POST.get("new") else self._chat(request, restaurant)
        try:
            chat = test_chat.chat_say(
                restaurant=restaurant, text=request.POST.get("message", ""), record=chat
            )
        except ApplicationError as exc:
            return self._agent_page(request, restaurant, chat=chat, error=exc.detail)
        url = reverse("admin:tenants_restaurant_agent", args=[restaurant.pk])
        return HttpResponseRedirect(f"{url}?chat={chat.pk}#test-chat")

    # --- calls dashboard ---------------------------------------------------------------------------------

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        restaurants: QuerySet[Restaurant] = Restaurant.objects.select_related("tenant").order_by("name")
        if is_operator(request):
            restaurants = unscoped(restaurants, reason="operators see every tenant's dashboard")
        else:
            restaurants = scope_to_tenants(restaurants, member_tenant_ids(request))
        chosen = request.GET.get("restaurant", "")
        if chosen:
            restaurants = restaurants.filter(pk=int(chosen)) if chosen.isdigit() else restaurants.none()
            if not restaurants.exists():
                raise Http404("No such restaurant.")
        data = dashboard.calls_dashboard(restaurants=list(restaurants))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Calls dashboard",
            "dashboard": data,
            "chosen": chosen,
            "choices": scope_to_tenants(Restaurant.objects.order_by("name"), member_tenant_ids(request))
            if not is_operator(request)
            else Restaurant.objects.order_by("name"),
        }
        return TemplateResponse(request, "admin/owners/dashboard.html", context)


admin.site.unregister(Restaurant)
admin.site.register(Restaurant, OwnerRestaurantAdmin)

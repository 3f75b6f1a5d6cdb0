"""The admin restaurant owners use, scoped to their own tenant.

Owners and their staff are Django staff users with a Membership, not superusers, and hold no Django model
permissions: what they may see and do is decided here from their memberships, so a user without one sees
nothing (scoping fails closed). Superusers are the platform's operators and see everything.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.timezone import localtime
from unfold.admin import ModelAdmin, TabularInline

from tenants import services
from tenants.api_keys import api_key_create, api_key_revoke
from tenants.forms import OnboardTenantForm, RestaurantForm, SuspendForm
from tenants.locales import all_country_defaults
from tenants.menu_import import menu_import_create
from tenants.menu_io import FORMATS, MAX_FILE_BYTES, menu_format_guess
from tenants.models import (
    MENU_ITEM_CONTENT_FIELDS,
    AllowedOrigin,
    ApiKey,
    ApiScope,
    Membership,
    MenuCategory,
    MenuImport,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
    Weekday,
)
from tenants.onboarding import embed_snippet as onboarding_embed_snippet
from tenants.onboarding import tenant_onboard, tenant_reactivate, tenant_suspend
from tenants.scoping import (
    OperatorOnlyMixin,
    ParentTenantInlineMixin,
    TenantScopedMixin,
    is_operator,
    owner_tenant_ids,
)
from tenants.selectors import menu_export, suspend_impact
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS

# --- forms -------------------------------------------------------------------------------------------------


class MenuItemForm(forms.ModelForm):
    dietary_tags = forms.MultipleChoiceField(
        choices=list(DIETARY_TAGS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    allergens = forms.MultipleChoiceField(
        choices=list(ALLERGENS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Allergens the dish contains. Diners who ask will be told.",
    )

    class Meta:
        model = MenuItem
        fields = ["category", *MENU_ITEM_CONTENT_FIELDS, "position", "external_id"]

    def clean_category(self) -> MenuCategory:
        category: MenuCategory = self.cleaned_data["category"]
        # An item may change category within its restaurant; it never leaves the restaurant (or its tenant).
        if self.instance.pk and category.restaurant_id != self.instance.restaurant_id:
            raise ValidationError("Choose a category of this item’s own restaurant.")
        return category


class IntervalFormSet(BaseInlineFormSet):
    """Rejects overlapping intervals on one day, which would make 'are you open?' ambiguous."""

    day_field = "weekday"

    def clean(self) -> None:
        super().clean()
        by_day: dict[Any, list[tuple[Any, Any, bool]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get(self.day_field) is None:
                continue
            opens, closes = data.get("opens_at"), data.get("closes_at")
            by_day.setdefault(data[self.day_field], []).append((opens, closes, opens is None))
        for day, intervals in by_day.items():
            closures = [i for i in intervals if i[2]]
            if closures and len(intervals) > 1:
                raise forms.ValidationError(
                    f"{self.day_label(day)}: a day that is closed all day cannot also have opening times. Remove one of them."
                )
            spans = sorted(
                (o.hour * 60 + o.minute, (c.hour * 60 + c.minute) if c > o else 24 * 60)
                for o, c, closed in intervals
                if not closed and o is not None and c is not None
            )
            for (_, end), (start, _) in pairwise(spans):
                if start < end:
                    raise forms.ValidationError(
                        f"{self.day_label(day)}: two opening intervals overlap. Merge or fix them."
                    )

    def day_label(self, day: Any) -> str:
        return str(day)


class OpeningHoursFormSet(IntervalFormSet):
    day_field = "weekday"

    def day_label(self, day: Any) -> str:
        return str(Weekday(day).label)


class SpecialDateFormSet(IntervalFormSet):
    day_field = "date"


# --- inlines -----------------------------------------------------------------------------------------------


class OpeningHoursInline(ParentTenantInlineMixin, TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    fields = ["weekday", "opens_at", "closes_at"]
    extra = 0
    verbose_name_plural = (
        "Weekly opening hours (several rows on a day = split shifts; closing before opening = past midnight)"
    )


class SpecialDateInline(ParentTenantInlineMixin, TabularInline):
    model = SpecialDate
    formset = SpecialDateFormSet
    fields = ["date", "opens_at", "closes_at", "note"]
    extra = 0
    verbose_name_plural = "Special dates (holidays and one-off hours; empty times = closed all day)"


class MenuCategoryInline(ParentTenantInlineMixin, TabularInline):
    model = MenuCategory
    fields = ["name", "description", "position"]
    extra = 0
    show_change_link = True


class MenuItemInline(ParentTenantInlineMixin, TabularInline):
    model = MenuItem
    form = MenuItemForm
    fields = ["name", "description", "price", "currency", "is_available", "position"]
    extra = 0
    show_change_link = True


# --- model admins ------------------------------------------------------------------------------------------


@admin.register(Restaurant)
class RestaurantAdmin(TenantScopedMixin, ModelAdmin):
    owner_only_add_delete = True
    form = RestaurantForm
    change_form_template = "admin/tenants/restaurant/change_form.html"
    list_display = ["name", "cuisine", "timezone", "language", "is_active", "public_id"]
    list_filter = ["is_active", "language"]
    search_fields = ["name", "cuisine", "address", "public_id"]
    readonly_fields = ["public_id", "embed_snippet"]
    inlines = [OpeningHoursInline, SpecialDateInline, MenuCategoryInline]
    fieldsets = [
        (None, {"fields": ["tenant", "name", "cuisine", "is_active", "public_id"]}),
        ("Contact", {"fields": ["address", "phone", "website"]}),
        ("Locale", {"fields": ["timezone", "language", "currency"]}),
        ("Agent persona", {"fields": ["greeting", "voice", "extra_instructions"]}),
        ("Website widget", {"fields": ["embed_snippet"]}),
    ]

    class Media:
        js = ["hostline/admin.js"]  # a file: the Content-Security-Policy runs no inline handler

    def get_list_display(self, request: HttpRequest) -> Any:
        return ["name", "tenant", *self.list_display[1:]] if is_operator(request) else self.list_display

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if is_operator(request) or (obj is None and len(owner_tenant_ids(request)) > 1):
            return fieldsets
        # Which tenant a restaurant belongs to is an operator's decision: owners and staff never get a
        # field that moves one. An owner of several tenants picks one only when adding a restaurant; an
        # owner of one never chooses (save_model puts it in their tenant).
        first = (None, {"fields": [f for f in fieldsets[0][1]["fields"] if f != "tenant"]})
        return [first, *fieldsets[1:]]

    def save_model(self, request: HttpRequest, obj: Restaurant, form: Any, change: bool) -> None:
        if not change and not obj.tenant_id and not is_operator(request):
            owned = owner_tenant_ids(request)
            if len(owned) == 1:
                obj.tenant_id = owned[0]
        if change and "tenant" in form.changed_data:
            if not is_operator(request):
                raise PermissionDenied  # not reachable through the form (no field); refused all the same
            # The restaurant and everything of it move together, in this transaction (the database checks).
            new_tenant = obj.tenant
            obj.tenant_id = form.initial["tenant"]
            super().save_model(request, obj, form, change)
            services.restaurant_tenant_change(restaurant=obj, tenant=new_tenant)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description="Embed snippet")
    def embed_snippet(self, obj: Restaurant) -> str:
        if not obj.pk:
            return "Save the restaurant to get its snippet."
        return format_html(
            "<p>Paste this tag into your website’s HTML, before <code>&lt;/body&gt;</code>:</p>"
            '<textarea readonly rows="2" cols="100" data-select-on-click>{}</textarea>'
            '<p class="help">Options: data-position="bottom-left", data-accent="#0f766e", '
            'data-button-text="Call us", data-language="fr". Only the websites listed as your allowed '
            "origins can use it.</p>",
            onboarding_embed_snippet(obj),
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/menu/import/",
                wrap(self.menu_import_view),
                name="tenants_restaurant_menu_import",
            ),
            path(
                "<path:object_id>/menu/export/<str:file_format>/",
                wrap(self.menu_export_view),
                name="tenants_restaurant_menu_export",
            ),
            *super().get_urls(),
        ]

    def _restaurant_or_404(self, request: HttpRequest, object_id: str) -> Restaurant:
        # get_object goes through the tenant-scoped queryset: another tenant's restaurant is simply absent.
        restaurant = self.get_object(request, object_id)
        if restaurant is None or not self.has_view_permission(request, restaurant):
            raise Http404("No such restaurant.")
        return restaurant

    def menu_export_view(self, request: HttpRequest, object_id: str, file_format: str) -> HttpResponse:
        restaurant = self._restaurant_or_404(request, object_id)
        if file_format not in FORMATS:
            raise Http404("Export as csv or json.")
        data = menu_export(restaurant=restaurant, file_format=file_format)  # type: ignore[arg-type]
        content_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/json"
        response = HttpResponse(data, content_type=content_type)
        filename = f"{slugify(restaurant.name) or restaurant.public_id}-menu.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def menu_import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        restaurant = self._restaurant_or_404(request, object_id)
        if not self.has_change_permission(request, restaurant):
            raise PermissionDenied
        form = MenuImportForm(request.POST or None, request.FILES or None)
        record = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = menu_import_create(
                restaurant=restaurant,
                data=upload.read(MAX_FILE_BYTES + 1),
                file_format=form.cleaned_data["file_format"],
                mode=form.cleaned_data["mode"],
                filename=upload.name,
                user=request.user,  # type: ignore[arg-type]
            )
            change_url = reverse("admin:tenants_restaurant_change", args=[restaurant.pk])
            if record.status == MenuImport.Status.SUCCEEDED:
                self.message_user(request, f"Menu imported. {record.summary}", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
            if record.status == MenuImport.Status.PENDING:
                self.message_user(
                    request,
                    f"The file has {record.item_count} items, so it is being imported in the background. "
                    "Its status is under Menu imports; the menu changes all at once when it is done.",
                    messages.INFO,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": restaurant,
            "title": f"Import a menu for {restaurant.name}",
            "form": form,
            "record": record,
        }
        return TemplateResponse(request, "admin/tenants/restaurant/menu_import.html", context)


@admin.register(MenuCategory)
class MenuCategoryAdmin(TenantScopedMixin, ModelAdmin):
    list_display = ["name", "restaurant", "position", "item_count"]
    list_filter = [("restaurant", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "restaurant__name"]
    autocomplete_fields = ["restaurant"]
    inlines = [MenuItemInline]
    ordering = ["restaurant__name", "position", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A category stays with the restaurant it was made for: its items (and their tenant) follow it.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "restaurant"] if obj is not None else readonly

    def get_queryset(self, request: HttpRequest) -> QuerySet[MenuCategory]:
        return super().get_queryset(request).select_related("restaurant").annotate(_items=Count("items"))

    @admin.display(description="Items", ordering="_items")
    def item_count(self, obj: Any) -> int:
        return obj._items


@admin.register(MenuItem)
class MenuItemAdmin(TenantScopedMixin, ModelAdmin):
    form = MenuItemForm
    list_display = ["name", "category", "restaurant", "price", "currency", "is_available", "position"]
    list_editable = ["is_available"]
    list_filter = [
        "is_available",
        "allergens_declared",  # owners find the dishes the agent can't vouch for
        ("restaurant", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "description", "category__name", "restaurant__name"]
    autocomplete_fields = ["category"]
    exclude = ["restaurant"]
    actions = ["mark_sold_out", "mark_available"]
    # The category prints with its restaurant: without category__restaurant a list runs a query per dish.
    list_select_related = ["category__restaurant", "restaurant"]

    @admin.action(description="Mark selected items as sold out")
    def mark_sold_out(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        count = services.menu_items_set_availability(items=queryset, available=False)
        self.message_user(request, f"{count} item(s) marked as sold out.", messages.SUCCESS)

    @admin.action(description="Mark selected items as available")
    def mark_available(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        count = services.menu_items_set_availability(items=queryset, available=True)
        self.message_user(request, f"{count} item(s) marked as available.", messages.SUCCESS)


# --- operators only ----------------------------------------------------------------------------------------


class MembershipInline(OperatorOnlyMixin, TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AllowedOriginInline(OperatorOnlyMixin, TabularInline):
    model = AllowedOrigin
    extra = 0


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes"]


class ApiKeyInline(OperatorOnlyMixin, TabularInline):
    model = ApiKey
    form = ApiKeyForm
    extra = 0
    fields = ["name", "prefix", "scopes", "created_at", "last_used_at", "key_status"]
    verbose_name_plural = "Server API keys (create with the tenant list action; revoke with the button)"
    readonly_fields = ["prefix", "created_at", "last_used_at", "key_status"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Keys are minted by a service that shows the secret once; the admin only lists and revokes.
        return False

    @admin.display(description="Status")
    def key_status(self, obj: ApiKey) -> str:
        if obj.revoked_at is not None:
            return format_html("Revoked {}", date_format(localtime(obj.revoked_at), "DATETIME_FORMAT"))
        if not obj.pk:
            return ""
        # A button to a confirmation page, never a date to type (issue 19).
        url = reverse("admin:tenants_tenant_api_key_revoke", args=[obj.tenant_id, obj.pk])
        return format_html('Active <a class="button hl-revoke" href="{}">Revoke…</a>', url)


class MenuImportForm(forms.Form):
    file = forms.FileField(help_text="A .csv or .json file in the format of docs/menu-import.md, up to 2 MB.")
    file_format = forms.ChoiceField(
        choices=[("", "from the file name"), ("csv", "CSV"), ("json", "JSON")], required=False, label="Format"
    )
    mode = forms.ChoiceField(
        choices=MenuImport.Mode.choices,
        initial=MenuImport.Mode.REPLACE,
        widget=forms.RadioSelect,
        help_text="Replace: the file becomes the whole menu (items not in it are removed). "
        "Update: items in the file are changed or added in existing categories; nothing is removed.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None and not cleaned.get("file_format"):
            guessed = menu_format_guess(upload.name)
            if guessed is None:
                self.add_error("file_format", "The file name does not say CSV or JSON: choose the format.")
            cleaned["file_format"] = guessed
        return cleaned


@admin.register(Tenant)
class TenantAdmin(OperatorOnlyMixin, ModelAdmin):
    change_list_template = "admin/tenants/tenant/change_list.html"
    list_display = ["name", "slug", "status", "max_concurrent_sessions", "restaurant_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, AllowedOriginInline, ApiKeyInline]
    actions = ["create_api_key", "create_rest_api_key", "suspend", "reactivate"]
    change_form_template = "admin/tenants/tenant/change_form.html"
    # Suspending goes through its confirmation page (the action, or "Suspend…" on the tenant's page), so
    # the change form never flips the status without it.
    readonly_fields = ["status"]

    @admin.action(description="Suspend selected tenants… (asks first; stops new calls at once)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> HttpResponse | None:
        return self._suspend_confirm(request, list(queryset))

    def _suspend_confirm(self, request: HttpRequest, tenants: list[Tenant]) -> HttpResponse | None:
        """The confirmation page; only its own POST (confirm=yes) suspends anything."""
        form = SuspendForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"] or None
            for tenant in tenants:
                tenant_suspend(tenant=tenant, reason=reason)
            names = ", ".join(t.name for t in tenants)
            self.message_user(
                request, f"Suspended: {names}. Their calls are refused from now on.", messages.SUCCESS
            )
            return None
        active = [t for t in tenants if t.is_active]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Suspend " + (active[0].name if len(active) == 1 else f"{len(active)} tenants") + "?",
            "tenants": suspend_impact(tenants=active),
            "already": [t for t in tenants if not t.is_active],
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "from_action": "action" in request.POST,
        }
        return TemplateResponse(request, "admin/tenants/tenant/suspend_confirm.html", context)

    def suspend_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        tenant = self.get_object(request, object_id)
        if tenant is None or not is_operator(request):
            raise Http404("No such tenant.")
        response = self._suspend_confirm(request, [tenant])
        if response is None:
            return HttpResponseRedirect(reverse("admin:tenants_tenant_change", args=[tenant.pk]))
        return response

    def api_key_revoke_view(self, request: HttpRequest, object_id: str, key_id: int) -> HttpResponse:
        """Asks, then revokes: the key stops working at the next request (no cache holds keys)."""
        tenant = self.get_object(request, object_id)
        if tenant is None or not is_operator(request):
            raise Http404("No such tenant.")
        key = ApiKey.objects.filter(tenant=tenant, pk=key_id).first()
        if key is None:
            raise Http404("No such API key.")
        change_url = reverse("admin:tenants_tenant_change", args=[tenant.pk])
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            api_key_revoke(api_key=key)
            self.message_user(
                request,
                f"API key “{key}” revoked: requests with it are refused from now on.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": tenant,
            "title": f"Revoke the API key “{key}”?",
            "key": key,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/tenants/tenant/api_key_revoke.html", context)

    @admin.action(description="Reactivate selected tenants")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        for tenant in queryset:
            tenant_reactivate(tenant=tenant)
        self.message_user(request, f"{queryset.count()} tenant(s) reactivated.", messages.SUCCESS)

    @admin.action(description="Create a server API key (shown once)")
    def create_api_key(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> HttpResponse:
        # Rendered on a no-store page, like onboarding: never put in `messages`, whose cookie is signed,
        # not encrypted, so the plaintext key would travel (and linger) in the browser's cookie jar.
        created = [
            (tenant, api_key_create(tenant=tenant, name=f"created by {request.user}")[1])
            for tenant in queryset
        ]
        response = TemplateResponse(
            request,
            "admin/tenants/tenant/api_keys_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Server API keys created",
                "created": created,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Create a REST API key: read, catalog write, calls read (shown once)")
    def create_rest_api_key(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        for tenant in queryset:
            _, plaintext = api_key_create(
                tenant=tenant, name=f"REST API, created by {request.user}", scopes=list(ApiScope.values)
            )
            self.message_user(
                request,
                f"REST API key for {tenant}: {plaintext}  — copy it now; it cannot be shown again. "
                "Untick scopes on the tenant page to narrow it.",
                messages.WARNING,
            )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return super().get_queryset(request).annotate(_restaurants=Count("restaurants"))

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("onboard/", wrap(self.onboard_view), name="tenants_tenant_onboard"),
            path("<path:object_id>/suspend/", wrap(self.suspend_view), name="tenants_tenant_suspend"),
            path(
                "<path:object_id>/api-keys/<int:key_id>/revoke/",
                wrap(self.api_key_revoke_view),
                name="tenants_tenant_api_key_revoke",
            ),
            *super().get_urls(),
        ]

    def onboard_view(self, request: HttpRequest) -> HttpResponse:
        """Operators bring a restaurant group on board; the key and snippet are shown once, on this page."""
        if not is_operator(request):
            raise PermissionDenied
        form = OnboardTenantForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Onboard a tenant",
            # The page's script fills the time zone, language and currency in when a country is picked.
            "country_defaults": all_country_defaults(),
        }
        if request.method == "POST" and form.is_valid():
            try:
                result = tenant_onboard(**form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                # Rendered, not redirected: the plaintext key must never be stored, not even in a session.
                response = TemplateResponse(
                    request,
                    "admin/tenants/tenant/onboard_done.html",
                    {**context, "title": f"“{result.tenant.name}” is on board", "result": result},
                )
                response["Cache-Control"] = "no-store"
                return response
        return TemplateResponse(request, "admin/tenants/tenant/onboard.html", {**context, "form": form})

    @admin.display(description="Restaurants", ordering="_restaurants")
    def restaurant_count(self, obj: Any) -> int:
        return obj._restaurants


@admin.register(MenuImport)
class MenuImportAdmin(TenantScopedMixin, ModelAdmin):
    """What became of each uploaded menu file; read-only, and only the user's own tenants'."""

    list_display = ["restaurant", "filename", "mode", "status", "summary", "created_by", "created_at"]
    list_filter = ["status", ("restaurant", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = [
        "restaurant",
        "filename",
        "file_format",
        "mode",
        "status",
        "summary",
        "problem_list",
        "item_count",
        "created_by",
        "created_at",
        "finished_at",
    ]
    fields = tuple(readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MenuImport]:
        return super().get_queryset(request).select_related("restaurant", "created_by").defer("content")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="Problems")
    def problem_list(self, obj: MenuImport) -> str:
        if not obj.problems:
            return "—"
        return format_html_join(
            "",
            "<li>{}</li>",
            ((f"{p['where']}: {p['message']}" if p["where"] else p["message"],) for p in obj.problems),
        )

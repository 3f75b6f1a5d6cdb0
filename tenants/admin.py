"""The admin restaurant owners use, scoped to their own tenant.

Owners and their staff are Django staff users with a Membership, not superusers, and hold no Django model
permissions: what they may see and do is decided here from their memberships, so a user without one sees
nothing (scoping fails closed). Superusers are the platform's operators and see everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any, ClassVar

from babel.numbers import format_currency
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.timezone import localtime
from unfold.admin import ModelAdmin, TabularInline
from unfold.widgets import UnfoldAdminFileFieldWidget, UnfoldAdminTextInputWidget

from tenants import services
from tenants.admin_hours import ClockTimeField, hours_overview, hours_view
from tenants.api_keys import api_key_create, api_key_revoke
from tenants.forms import OnboardTenantForm, RestaurantForm, SuspendForm
from tenants.locales import all_country_defaults
from tenants.menu_import import (
    PREVIEW_MAX_ROWS,
    STALE_MESSAGE,
    menu_import_confirm,
    menu_import_preview,
    menu_import_repreview,
)
from tenants.menu_io import FORMATS, MAX_FILE_BYTES, MAX_ITEMS, MENU_FILE_COLUMNS, menu_format_guess
from tenants.models import (
    MAX_CLOSURE_DAYS,
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
    origin_normalise,
)
from tenants.onboarding import embed_snippet as onboarding_embed_snippet
from tenants.onboarding import tenant_onboard, tenant_reactivate, tenant_suspend
from tenants.scoping import (
    OperatorOnlyMixin,
    ParentTenantInlineMixin,
    TenantScopedMixin,
    is_operator,
    member_tenant_ids,
    owner_tenant_ids,
    scope_to_tenants,
)
from tenants.selectors import menu_by_category, menu_example, menu_export, suspend_impact
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
            for day in self.days(data):
                by_day.setdefault(day, []).append((opens, closes, opens is None))
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

    def days(self, data: dict[str, Any]) -> list[Any]:
        return [data[self.day_field]]


class OpeningHoursFormSet(IntervalFormSet):
    day_field = "weekday"

    def day_label(self, day: Any) -> str:
        return str(Weekday(day).label)


class SpecialDateFormSet(IntervalFormSet):
    day_field = "date"

    def days(self, data: dict[str, Any]) -> list[Any]:
        # A closure over several dates counts on each of them: two closures sharing a day are refused here
        # in words, before Postgres's exclusion constraint would refuse them.
        first, last = data["date"], data.get("end_date")
        if last is None or last <= first or (last - first).days >= MAX_CLOSURE_DAYS:
            return [first]
        return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


class IntervalForm(forms.ModelForm):
    """Hours typed as "7pm", "19:00" or "24:00", without the date-time widget's "Now | clock" links."""

    opens_at = ClockTimeField(label="Opens at")
    closes_at = ClockTimeField(
        label="Closes at", help_text="Earlier than the opening time means after midnight."
    )


class OpeningHoursForm(IntervalForm):
    opens_at = ClockTimeField(label="Opens at", required=True)
    closes_at = ClockTimeField(
        label="Closes at", required=True, help_text="Earlier than the opening time means after midnight."
    )

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens_at", "closes_at"]


class SpecialDateForm(IntervalForm):
    class Meta:
        model = SpecialDate
        fields = ["date", "end_date", "opens_at", "closes_at", "note"]


@dataclass(frozen=True)
class SoldOutRow:
    """One dish as the sold-out board and the restaurant page show it."""

    ON_SALE: ClassVar[str] = "on_sale"
    SOLD_OUT: ClassVar[str] = "sold_out"
    OFF_MENU: ClassVar[str] = "off_menu"

    item: MenuItem
    state: str
    price: str
    edit_url: str

    @classmethod
    def of(cls, item: MenuItem, *, restaurant: Restaurant, today: dt.date) -> SoldOutRow:
        if not item.is_available:
            state = cls.OFF_MENU
        elif item.is_sold_out_on(today):
            state = cls.SOLD_OUT
        else:
            state = cls.ON_SALE
        return cls(
            item=item,
            state=state,
            price=money(item.price, item.currency, restaurant.language),
            edit_url=_item_change_url(item.pk),
        )


def _item_change_url(pk: int) -> str:
    # One reverse() per process, not one per dish: a 500-dish page otherwise spends a fifth of its time here.
    return _item_change_url_pattern().replace("/0/", f"/{pk}/", 1)


@lru_cache(maxsize=1)
def _item_change_url_pattern() -> str:
    return reverse("admin:tenants_menuitem_change", args=[0])


@lru_cache(maxsize=4096)  # a menu repeats a few prices; Babel's formatting is the costly part of a row
def money(amount: Decimal, currency: str, language: str) -> str:
    """A price as the restaurant's locale writes it (as the agent says it): "€15.50", "15,50 €"."""
    return format_currency(amount, currency, locale=(language or "en").split("-")[0])


# --- inlines -----------------------------------------------------------------------------------------------


class OpeningHoursInline(ParentTenantInlineMixin, TabularInline):
    model = OpeningHours
    form = OpeningHoursForm
    formset = OpeningHoursFormSet
    fields = ["weekday", "opens_at", "closes_at"]
    extra = 0
    verbose_name_plural = (
        "Weekly opening hours (several rows on a day = split shifts; closing before opening = past midnight)"
    )


class SpecialDateInline(ParentTenantInlineMixin, TabularInline):
    model = SpecialDate
    form = SpecialDateForm
    formset = SpecialDateFormSet
    fields = ["date", "end_date", "opens_at", "closes_at", "note"]
    extra = 0
    verbose_name_plural = "Special dates (holidays and one-off hours; empty times = closed all day, a last day = closed until then)"


class MenuCategoryInline(ParentTenantInlineMixin, TabularInline):
    model = MenuCategory
    fields = ["name", "description", "position"]
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
    readonly_fields = ["public_id", "embed_snippet", "opening_hours"]
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

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # A new restaurant gets its hours as it is added; afterwards they are edited in the week editor
        # only (the page shows them read-only): 14 stacked rows made this page 8,000 px tall on a phone.
        return self.inlines if obj is None else [MenuCategoryInline]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [*fieldsets[:3], ("Opening hours", {"fields": ["opening_hours"]}), *fieldsets[3:]]
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

    @admin.display(description="This week")
    def opening_hours(self, obj: Restaurant) -> str:
        return hours_overview(obj) if obj.pk else ""

    @admin.display(description="Embed snippet")
    def embed_snippet(self, obj: Restaurant) -> str:
        if not obj.pk:
            return "Save the restaurant to get its snippet."
        allowed = list(AllowedOrigin.objects.filter(tenant_id=obj.tenant_id).values_list("origin", flat=True))
        return format_html(
            "<p>Paste this tag into your website’s HTML, before <code>&lt;/body&gt;</code>:</p>"
            '<textarea readonly rows="2" cols="100" data-select-on-click>{}</textarea>'
            '<p class="help">Options: data-position="bottom-left", data-accent="#0f766e", '
            'data-button-text="Call us", data-language="fr". Only the websites in '
            '<a href="{}">your allowed websites</a> can use it (owners add and remove them; a change '
            "counts from the next call). Allowed now: {}.</p>",
            onboarding_embed_snippet(obj),
            reverse("admin:tenants_allowedorigin_changelist"),
            ", ".join(allowed) if allowed else "none yet, so the widget works on no website",
        )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Restaurant | None = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk:
            context.update(self._menu_overview(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _menu_overview(self, restaurant: Restaurant) -> dict[str, Any]:
        """The restaurant page's menu, category by category, in two queries whatever its size."""
        today = restaurant.local_today()
        add_url = reverse("admin:tenants_menuitem_add")
        menu = [
            (
                category,
                [SoldOutRow.of(item, restaurant=restaurant, today=today) for item in items],
                f"{add_url}?category={category.pk}",
            )
            for category, items in menu_by_category(restaurant=restaurant)
        ]
        rows = [row for _, category_rows, _ in menu for row in category_rows]
        return {
            "menu_overview": menu,
            "menu_dish_count": len(rows),
            "menu_sold_out_count": sum(row.state == SoldOutRow.SOLD_OUT for row in rows),
            # A long menu starts folded: the page stays short, each category opens with one tap.
            "menu_open": len(rows) <= 40,
            "menu_board_url": reverse("admin:tenants_restaurant_sold_out", args=[restaurant.pk]),
        }

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            # Before the object patterns, which would read "menu-file-format" as an object id.
            path("menu-file-format/", wrap(self.menu_format_view), name="tenants_menu_format"),
            path(
                "menu-file-format/example.<str:file_format>",
                wrap(self.menu_example_view),
                name="tenants_menu_example",
            ),
            path(
                "<path:object_id>/menu/import/<int:import_id>/",
                wrap(self.menu_import_preview_view),
                name="tenants_restaurant_menu_import_preview",
            ),
            path(
                "<path:object_id>/hours/",
                wrap(self.hours_view),
                name="tenants_restaurant_hours",
            ),
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
            path(
                "<path:object_id>/sold-out/",
                wrap(self.sold_out_board_view),
                name="tenants_restaurant_sold_out",
            ),
            *super().get_urls(),
        ]

    def _restaurant_or_404(self, request: HttpRequest, object_id: str) -> Restaurant:
        # get_object goes through the tenant-scoped queryset: another tenant's restaurant is simply absent.
        restaurant = self.get_object(request, object_id)
        if restaurant is None or not self.has_view_permission(request, restaurant):
            raise Http404("No such restaurant.")
        return restaurant

    def hours_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return hours_view(self, request, object_id)

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

    def sold_out_board_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """One tap per dish: sold out today (back tomorrow by itself) or back on sale. POST, then redirect."""
        restaurant = self._restaurant_or_404(request, object_id)
        can_change = self.has_change_permission(request, restaurant)
        board_url = reverse("admin:tenants_restaurant_sold_out", args=[restaurant.pk])
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            item_id, _, action = request.POST.get("toggle", "").partition(":")
            # Only this restaurant's dishes: another restaurant's id is a 404, whoever owns it.
            item = (
                MenuItem.objects.filter(restaurant=restaurant, pk=int(item_id)).first()
                if item_id.isdigit()
                else None
            )
            if item is None:
                raise Http404("No such dish on this restaurant's menu.")
            if action not in ("sold_out", "available"):
                return HttpResponseBadRequest("Say sold_out or available.")
            services.menu_item_sold_out_today_set(item=item, sold_out=action == "sold_out")
            done = (
                f"{item.name}: sold out today, back on sale tomorrow."
                if action == "sold_out"
                else f"{item.name}: on sale."
            )
            self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(f"{board_url}#dish-{item.pk}")
        today = restaurant.local_today()
        menu = [
            (category, [SoldOutRow.of(item, restaurant=restaurant, today=today) for item in items])
            for category, items in menu_by_category(restaurant=restaurant)
        ]
        rows = [row for _, category_rows in menu for row in category_rows]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": restaurant,
            "restaurant": restaurant,
            "title": f"Sold out today: {restaurant.name}",
            "menu": menu,
            "today": today,
            "tomorrow": today + dt.timedelta(days=1),
            "sold_out_count": sum(row.state == SoldOutRow.SOLD_OUT for row in rows),
            "off_menu_count": sum(row.state == SoldOutRow.OFF_MENU for row in rows),
            "can_change": can_change,
            "board_url": board_url,
        }
        return TemplateResponse(request, "admin/tenants/restaurant/sold_out.html", context)

    def menu_import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Step 1: upload a file. A good file becomes a preview (nothing changes yet); a bad one is
        shown again with every problem."""
        restaurant = self._restaurant_or_404(request, object_id)
        if not self.has_change_permission(request, restaurant):
            raise PermissionDenied
        form = MenuImportForm(request.POST or None, request.FILES or None)
        record = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = menu_import_preview(
                restaurant=restaurant,
                data=upload.read(MAX_FILE_BYTES + 1),
                file_format=form.cleaned_data["file_format"],
                mode=form.cleaned_data["mode"],
                filename=upload.name,
                user=request.user,  # type: ignore[arg-type]
            )
            if record.status == MenuImport.Status.PREVIEW:
                return HttpResponseRedirect(
                    reverse("admin:tenants_restaurant_menu_import_preview", args=[restaurant.pk, record.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": restaurant,
            "title": f"Import a menu for {restaurant.name}",
            "form": form,
            "record": record,
        }
        return TemplateResponse(request, "admin/tenants/restaurant/menu_import.html", context)

    def menu_import_preview_view(self, request: HttpRequest, object_id: str, import_id: int) -> HttpResponse:
        """Step 2: what the file would change; POST confirms exactly that."""
        restaurant = self._restaurant_or_404(request, object_id)
        if not self.has_change_permission(request, restaurant):
            raise PermissionDenied
        # Through the restaurant the user may edit: another restaurant's import is simply absent.
        record = MenuImport.objects.filter(pk=import_id, restaurant=restaurant).defer("content").first()
        if record is None:
            raise Http404("No such import.")
        change_url = reverse("admin:tenants_restaurant_change", args=[restaurant.pk])
        if request.method == "POST":
            if record.status != MenuImport.Status.PREVIEW:
                self.message_user(request, "This import was already confirmed.", messages.INFO)
                return HttpResponseRedirect(request.path)
            record = menu_import_confirm(menu_import_id=record.pk)
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
            if record.status == MenuImport.Status.STALE:
                fresh = menu_import_repreview(menu_import_id=record.pk, user=request.user)  # type: ignore[arg-type]
                self.message_user(request, STALE_MESSAGE, messages.WARNING)
                if fresh.status == MenuImport.Status.PREVIEW:
                    return HttpResponseRedirect(
                        reverse(
                            "admin:tenants_restaurant_menu_import_preview", args=[restaurant.pk, fresh.pk]
                        )
                    )
                record = fresh
        preview = record.preview or {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": restaurant,
            "title": f"Check the menu import for {restaurant.name}",
            "record": record,
            "preview": preview,
            "counts": preview.get("counts", {}),
            "has_changes": any(n for key, n in preview.get("counts", {}).items() if key != "cleared"),
            "limit": PREVIEW_MAX_ROWS,
            "format_url": reverse("admin:tenants_menu_format"),
        }
        return TemplateResponse(request, "admin/tenants/restaurant/menu_import_preview.html", context)

    def menu_format_view(self, request: HttpRequest) -> HttpResponse:
        """The menu file format, for owners: columns, examples, the allowed words, example files."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Menu file format",
            "columns": MENU_FILE_COLUMNS,
            "dietary_tags": DIETARY_TAGS,
            "allergens": ALLERGENS,
            "example_csv": menu_example(file_format="csv").decode(),
            "max_items": MAX_ITEMS,
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/tenants/restaurant/menu_format.html", context)

    def menu_example_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if not self.has_module_permission(request):
            raise PermissionDenied
        if file_format not in FORMATS:
            raise Http404("The example is csv or json.")
        content_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/json"
        response = HttpResponse(menu_example(file_format=file_format), content_type=content_type)  # type: ignore[arg-type]
        response["Content-Disposition"] = f'attachment; filename="example-menu.{file_format}"'
        return response


@admin.register(MenuCategory)
class MenuCategoryAdmin(TenantScopedMixin, ModelAdmin):
    list_display = ["name", "restaurant", "position", "item_count"]
    list_filter = [("restaurant", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "restaurant__name"]
    autocomplete_fields = ["restaurant"]
    # Dishes are listed with links, not as inline forms: a 200-dish category was 200 forms (0.67 s, 1,651 px
    # wide). Each dish is edited on its own page; the sold-out board toggles them all.
    readonly_fields = ["dishes"]
    ordering = ["restaurant__name", "position", "name"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["restaurant", "name", "description", "position"]
        return [*fields, "dishes"] if obj is not None else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A category stays with the restaurant it was made for: its items (and their tenant) follow it.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "restaurant"] if obj is not None else [f for f in readonly if f != "dishes"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MenuCategory]:
        return super().get_queryset(request).select_related("restaurant").annotate(_items=Count("items"))

    @admin.display(description="Items", ordering="_items")
    def item_count(self, obj: Any) -> int:
        return obj._items

    @admin.display(description="Dishes")
    def dishes(self, obj: MenuCategory) -> str:
        restaurant = obj.restaurant
        today = restaurant.local_today()
        rows = [
            SoldOutRow.of(item, restaurant=restaurant, today=today)
            for item in MenuItem.objects.filter(category=obj).order_by("position", "name", "pk")
        ]
        add_url = reverse("admin:tenants_menuitem_add") + f"?category={obj.pk}"
        board_url = reverse("admin:tenants_restaurant_sold_out", args=[restaurant.pk])
        return render_to_string(
            "admin/tenants/includes/dish_list_with_style.html",
            {"rows": rows, "add_url": add_url, "board_url": board_url, "tomorrow": today + dt.timedelta(1)},
        )


@admin.register(MenuItem)
class MenuItemAdmin(TenantScopedMixin, ModelAdmin):
    """Dishes, one restaurant at a time: the list never mixes restaurants (the first one is shown until
    another is picked in the filter), grouped by category in the menu's order, 100 to a page."""

    form = MenuItemForm
    list_display = ["name", "category_name", "price_display", "sold_out_today"]
    list_display_links = ["name"]
    # No editable column: 100 checkbox forms cost most of the page's time, and the sold-out board is the
    # one-tap toggle. The actions below are the bulk path.
    list_filter = [
        ("restaurant", admin.RelatedOnlyFieldListFilter),
        "is_available",
        "allergens_declared",  # owners find the dishes the agent can't vouch for
        ("category", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "description", "category__name"]
    autocomplete_fields = ["category"]
    exclude = ["restaurant"]
    readonly_fields = ["sold_out_on"]
    actions = ["mark_sold_out_today", "mark_sold_out", "mark_available"]
    ordering = ["category__position", "category__name", "position", "name"]
    list_per_page = 100
    # One restaurant's zone and currency for every row, and the category's name: no query per dish.
    list_select_related = ["category", "restaurant"]
    RESTAURANT_PARAM = "restaurant__id__exact"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if (
            request.method == "GET"
            and self.RESTAURANT_PARAM not in request.GET
            and not request.GET.get("_popup")
        ):
            first = (super().get_queryset(request).order_by("restaurant__name", "restaurant_id")).values_list(
                "restaurant_id", flat=True
            )[:1]
            if first:
                params = request.GET.copy()
                params[self.RESTAURANT_PARAM] = str(first[0])
                request.GET = params  # type: ignore[assignment]
        chosen = request.GET.get(self.RESTAURANT_PARAM, "")
        restaurant = (
            Restaurant.objects.filter(pk=int(chosen), tenant_id__in=self._tenants(request)).first()
            if chosen.isdigit()
            else None
        )
        extra_context = {**(extra_context or {}), "restaurant": restaurant}
        if restaurant is not None:
            extra_context["title"] = f"Dishes of {restaurant.name}"
        return super().changelist_view(request, extra_context)

    def _tenants(self, request: HttpRequest) -> Any:
        if is_operator(request):
            return Tenant.objects.values("pk")
        return member_tenant_ids(request)

    @admin.display(description="Category", ordering="category__position")
    def category_name(self, obj: MenuItem) -> str:
        return obj.category.name

    @admin.display(description="Price", ordering="price")
    def price_display(self, obj: MenuItem) -> str:
        return money(obj.price, obj.currency, obj.restaurant.language)

    @admin.display(description="Today")
    def sold_out_today(self, obj: MenuItem) -> str:
        # What a caller hears today, in the restaurant's own zone.
        if not obj.is_available:
            return "Off the menu"
        return "Sold out today" if obj.is_sold_out_on(obj.restaurant.local_today()) else "On sale"

    @admin.action(description="Mark selected items sold out today (back on sale tomorrow by itself)")
    def mark_sold_out_today(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        count = services.menu_items_set_availability(items=queryset, available=False, today_only=True)
        self.message_user(request, f"{count} item(s) sold out today.", messages.SUCCESS)

    @admin.action(description="Take selected items off the menu (until put back)")
    def mark_sold_out(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        count = services.menu_items_set_availability(items=queryset, available=False)
        self.message_user(request, f"{count} item(s) taken off the menu.", messages.SUCCESS)

    @admin.action(description="Put selected items back on sale")
    def mark_available(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        count = services.menu_items_set_availability(items=queryset, available=True)
        self.message_user(request, f"{count} item(s) back on sale.", messages.SUCCESS)


# --- operators only ----------------------------------------------------------------------------------------


class MembershipInline(OperatorOnlyMixin, TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AllowedOriginForm(forms.ModelForm):
    origin = forms.CharField(
        max_length=255,
        label="Website",
        widget=UnfoldAdminTextInputWidget,
        help_text="Scheme and host as in the browser's address bar, e.g. https://www.example.com "
        "(a port only if the site uses one; no path). Every page of that website may show the widget.",
    )

    class Meta:
        model = AllowedOrigin
        fields = ["tenant", "origin"]

    def clean_origin(self) -> str:
        return origin_normalise(self.cleaned_data["origin"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tenant = cleaned.get("tenant")
        origin = cleaned.get("origin")
        tenant_id = tenant.pk if tenant is not None else self.instance.tenant_id
        if origin and tenant_id:
            taken = AllowedOrigin.objects.filter(tenant_id=tenant_id, origin=origin).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("origin", f"{origin} is already allowed.")
        return cleaned


class AllowedOriginInline(OperatorOnlyMixin, TabularInline):
    model = AllowedOrigin
    form = AllowedOriginForm
    fields = ["origin"]
    extra = 0


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(TenantScopedMixin, ModelAdmin):
    """Owners list, add and remove the websites that may show their restaurants' widget.

    Owners only: which websites may start calls on the tenant's account is the owner's decision, so
    staff members (and everyone else) see nothing here, as with the audit trail.
    """

    form = AllowedOriginForm
    list_display = ["origin"]  # one short column: it reads on a phone
    search_fields = ["origin"]
    ordering = ["origin"]

    def _allowed_tenants(self, request: HttpRequest, *, for_write: bool = False) -> list[int]:
        return owner_tenant_ids(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AllowedOrigin]:
        qs: QuerySet[AllowedOrigin] = admin.ModelAdmin.get_queryset(self, request).select_related("tenant")
        return qs if is_operator(request) else scope_to_tenants(qs, owner_tenant_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(owner_tenant_ids(request))

    def get_list_display(self, request: HttpRequest) -> Any:
        several = is_operator(request) or len(owner_tenant_ids(request)) > 1
        return ["origin", "tenant"] if several else self.list_display

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An owner of one tenant never picks it: the website is added to their tenant.
        if is_operator(request) or (obj is None and len(owner_tenant_ids(request)) > 1):
            return ["tenant", "origin"]
        return ["origin"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        owned = owner_tenant_ids(request)
        if obj is not None or is_operator(request) or len(owned) != 1:
            return form_class

        class OwnTenantForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                self.instance.tenant_id = owned[0]  # before validation, so duplicates are caught

        return OwnTenantForm

    def save_model(self, request: HttpRequest, obj: AllowedOrigin, form: Any, change: bool) -> None:
        if not is_operator(request) and obj.tenant_id not in owner_tenant_ids(request):
            raise PermissionDenied
        services.allowed_origin_save(allowed_origin=obj)

    def delete_model(self, request: HttpRequest, obj: AllowedOrigin) -> None:
        services.allowed_origin_delete(allowed_origin=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AllowedOrigin]) -> None:
        for obj in queryset:
            services.allowed_origin_delete(allowed_origin=obj)


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
    # unfold's own file widget: it shows the chosen file's name (its script expects this markup, and threw
    # on a plain <input type=file>), and the picker offers only menu files.
    file = forms.FileField(
        widget=UnfoldAdminFileFieldWidget(attrs={"accept": ".csv,.json,text/csv,application/json"})
    )
    file_format = forms.ChoiceField(
        choices=[("", "from the file name"), ("csv", "CSV"), ("json", "JSON")], required=False, label="Format"
    )
    mode = forms.ChoiceField(
        choices=MenuImport.Mode.choices,
        initial=MenuImport.Mode.UPDATE,
        required=False,  # left out: update, which never removes anything
        widget=forms.RadioSelect,
        help_text="Update: dishes in the file are changed or added in existing categories; nothing is removed. "
        "Replace: the file becomes the whole menu, and dishes and categories not in it are removed. "
        "Either way you see what will change before anything does.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            'A .csv or .json file, up to {} MB: see <a href="{}">the menu file format</a> '
            '(columns, allowed diets and allergens, and <a href="{}">an example file</a>).',
            MAX_FILE_BYTES // (1024 * 1024),
            reverse("admin:tenants_menu_format"),
            reverse("admin:tenants_menu_example", args=["csv"]),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["mode"] = cleaned.get("mode") or MenuImport.Mode.UPDATE
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

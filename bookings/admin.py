"""The owners' side of bookings: booking setup per restaurant, and the day's book.

Scoped exactly like the catalog (tenants/scoping.py): every list, form, choice and action is limited to the
user's tenants, another tenant's booking is a 404, and a user without a membership sees nothing. The admin
holds no booking logic: every write goes through bookings.services, so the admin cannot double-book either.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from bookings import services
from bookings.models import BookableRestaurant, Booking, BookingSettings, DurationRule, Table
from bookings.selectors import covers_by_service
from core.errors import ApplicationError
from tenants.models import Restaurant
from tenants.scoping import ParentTenantInlineMixin, TenantScopedMixin, is_operator, member_tenant_ids

STATUS_BUTTONS = {
    Booking.Status.REQUESTED: [Booking.Status.CONFIRMED, Booking.Status.CANCELLED],
    Booking.Status.CONFIRMED: [Booking.Status.SEATED, Booking.Status.NO_SHOW, Booking.Status.CANCELLED],
    Booking.Status.SEATED: [],
    Booking.Status.CANCELLED: [Booking.Status.CONFIRMED],
    Booking.Status.NO_SHOW: [Booking.Status.SEATED],
}


# --- setup: rules, durations and tables, one page per restaurant ---------------------------------------


class BookingSettingsInline(ParentTenantInlineMixin, StackedInline):
    model = BookingSettings
    can_delete = False
    max_num = 1
    min_num = 1
    fields = [
        "enabled",
        ("slot_interval_minutes", "default_duration_minutes"),
        ("agent_min_party", "agent_max_party"),
        ("min_notice_minutes", "max_days_ahead", "last_seating_minutes"),
        "notify_email",
    ]
    verbose_name_plural = "Booking rules"


class DurationRuleInline(ParentTenantInlineMixin, TabularInline):
    model = DurationRule
    fields = ["max_party_size", "minutes"]
    extra = 0
    verbose_name_plural = (
        "How long a party holds its table, by size (parties larger than every rule: the default)"
    )


class TableInline(ParentTenantInlineMixin, TabularInline):
    model = Table
    fields = ["name", "seats", "combinable", "is_active"]
    extra = 0
    verbose_name_plural = "Tables (or give a covers capacity above instead of a table plan)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Table]:
        return super().get_queryset(request).filter(is_virtual=False)


class BookingSetupForm(forms.ModelForm):
    covers_capacity = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=1000,
        help_text="For a restaurant without a table plan: at most this many diners at once. "
        "Leave empty when you list tables below.",
    )

    class Meta:
        model = BookableRestaurant
        fields: list[str] = []


@admin.register(BookableRestaurant)
class BookingSetupAdmin(TenantScopedMixin, ModelAdmin):
    form = BookingSetupForm
    list_display = ["name", "bookings_on", "table_summary", "todays_book"]
    fields = ["name", "timezone", "covers_capacity"]
    readonly_fields = ["name", "timezone"]
    inlines = [BookingSettingsInline, DurationRuleInline, TableInline]
    search_fields = ["name"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # restaurants are created under Restaurants

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            virtual = Table.objects.filter(restaurant=obj, is_virtual=True, is_active=True).count()
            form.base_fields["covers_capacity"].initial = virtual or None
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        covers = form.cleaned_data.get("covers_capacity")
        if covers is not None or "covers_capacity" in form.changed_data:
            services.covers_capacity_set(restaurant=obj, covers=covers or 0)

    @admin.display(description="Bookings", boolean=True)
    def bookings_on(self, obj: Restaurant) -> bool:
        return bool(BookingSettings.objects.filter(restaurant=obj, enabled=True).exists())

    @admin.display(description="Capacity")
    def table_summary(self, obj: Restaurant) -> str:
        tables = Table.objects.filter(restaurant=obj, is_active=True)
        virtual = tables.filter(is_virtual=True).count()
        real = tables.filter(is_virtual=False)
        parts = [f"{real.count()} tables"] if real.exists() else []
        if virtual:
            parts.append(f"{virtual} covers")
        return ", ".join(parts) or "none yet"

    @admin.display(description="Book")
    def todays_book(self, obj: Restaurant) -> str:
        today = timezone.now().astimezone(ZoneInfo(obj.timezone)).date()
        url = reverse("admin:bookings_booking_changelist")
        return format_html(
            '<a href="{}?restaurant__id__exact={}&service_date={}">Today’s book</a>', url, obj.pk, today
        )


# --- the book --------------------------------------------------------------------------------------------


class ManualBookingForm(forms.Form):
    restaurant = forms.ModelChoiceField(queryset=Restaurant.objects.none())
    kind = forms.ChoiceField(
        choices=Booking.Kind.choices,
        initial=Booking.Kind.BOOKING,
        widget=forms.RadioSelect,
        help_text="A walk-in or block holds tables without a diner's booking (no email is sent).",
    )
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), help_text="In the restaurant’s time."
    )
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    party_size = forms.IntegerField(min_value=1, max_value=100)
    name = forms.CharField(max_length=120, initial="", required=False, help_text="Empty for a walk-in.")
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    notes = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tables = forms.ModelMultipleChoiceField(
        queryset=Table.objects.none(),
        required=False,
        help_text="Leave empty to give the best free table(s).",
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.IntegerField(
        min_value=15,
        max_value=720,
        required=False,
        help_text="Empty: the restaurant's rule for the party size.",
    )

    def __init__(self, *args: Any, tenant_ids: list[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restaurants = Restaurant.objects.all()
        tables = Table.objects.filter(is_active=True, is_virtual=False).select_related("restaurant")
        if tenant_ids is not None:
            restaurants = restaurants.filter(tenant_id__in=tenant_ids)
            tables = tables.filter(tenant_id__in=tenant_ids)
        self.fields["restaurant"].queryset = restaurants  # type: ignore[attr-defined]
        self.fields["tables"].queryset = tables  # type: ignore[attr-defined]
        self.fields["tables"].label_from_instance = lambda t: f"{t.restaurant.name}: {t}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        restaurant, tables = data.get("restaurant"), data.get("tables") or []
        if restaurant and any(t.restaurant_id != restaurant.pk for t in tables):
            self.add_error("tables", "Choose tables of the restaurant the booking is for.")
        if data.get("kind") == Booking.Kind.BOOKING and not (data.get("name") or "").strip():
            self.add_error("name", "A booking needs a name.")
        return data


def _local_start(restaurant: Restaurant, day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=ZoneInfo(restaurant.timezone)).astimezone(dt.UTC)


class BookingChangeForm(forms.ModelForm):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), help_text="In the restaurant’s time."
    )
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    party = forms.IntegerField(min_value=1, max_value=100, label="Party size")
    move_to_tables = forms.ModelMultipleChoiceField(
        queryset=Table.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tables",
        help_text="Change to move the booking to other tables.",
    )

    class Meta:
        model = Booking
        fields = ["status", "name", "phone", "email", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        booking = self.instance
        zone = ZoneInfo(booking.restaurant.timezone)
        local = booking.start_at.astimezone(zone)
        self.fields["date"].initial, self.fields["time"].initial = local.date(), local.time()
        self.fields["party"].initial = booking.party_size
        self.fields["move_to_tables"].queryset = Table.objects.filter(  # type: ignore[attr-defined]
            restaurant_id=booking.restaurant_id, is_active=True
        )
        self.fields["move_to_tables"].initial = list(booking.tables.values_list("pk", flat=True))


@admin.register(Booking)
class BookingAdmin(TenantScopedMixin, ModelAdmin):
    change_list_template = "admin/bookings/booking/change_list.html"
    form = BookingChangeForm
    # Few, dense columns: the book has to read on a phone at the door as well as at the desk.
    list_display = ["local_time", "party_size", "table_names", "diner", "status_and_actions", "reference"]
    list_display_links = ["local_time"]
    list_filter = [("restaurant", admin.RelatedOnlyFieldListFilter), "status", "kind", "channel"]
    date_hierarchy = "service_date"
    search_fields = ["reference", "name", "phone", "email"]
    actions = ["mark_confirmed", "mark_seated", "mark_no_show", "mark_cancelled"]
    readonly_fields = ["reference", "restaurant", "kind", "channel", "call_job_id", "created_at"]
    list_per_page = 200

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        return (
            super()
            .get_queryset(request)
            .select_related("restaurant")
            .prefetch_related("tables")
            .order_by("start_at")
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                None,
                {
                    "fields": [
                        "reference",
                        "restaurant",
                        "status",
                        ("date", "time"),
                        "party",
                        "move_to_tables",
                    ]
                },
            ),
            ("Diner", {"fields": ["name", "phone", "email", "notes"]}),
            ("Source", {"fields": ["kind", "channel", "call_job_id", "created_at"]}),
        ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cancel instead: the history of a booking is the restaurant's record

    # -- list columns

    @admin.display(description="Time", ordering="start_at")
    def local_time(self, obj: Booking) -> str:
        local = obj.start_at.astimezone(ZoneInfo(obj.restaurant.timezone))
        end = obj.end_at.astimezone(local.tzinfo)
        return format_html(
            '<strong class="booking-time">{}–{}</strong><br><small>{}</small>',
            f"{local:%H:%M}",
            f"{end:%H:%M}",
            f"{local:%a %d %b}",
        )

    @admin.display(description="Tables")
    def table_names(self, obj: Booking) -> str:
        tables = sorted(obj.tables.all(), key=lambda t: t.name)
        virtual = [t for t in tables if t.is_virtual]
        names = [t.name for t in tables if not t.is_virtual]
        if virtual:
            names.append(f"{len(virtual)} covers")
        return ", ".join(names) or "—"

    @admin.display(description="Diner")
    def diner(self, obj: Booking) -> str:
        notes = format_html('<br><em class="booking-notes">{}</em>', obj.notes) if obj.notes else ""
        return format_html("{}<br><small>{}</small>{}", obj.name, obj.phone or "—", notes)

    @admin.display(description="Status", ordering="status")
    def status_and_actions(self, obj: Booking) -> str:
        # Buttons inside the changelist's own form (which carries the CSRF token); see changelist_view.
        label = obj.get_status_display()
        if obj.kind == Booking.Kind.BLOCK:
            label += " (block)"
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button" name="_status" value="{}:{}">{}</button>',
            (
                (obj.pk, status, Booking.Status(status).label)
                for status in STATUS_BUTTONS[Booking.Status(obj.status)]
            ),
        )
        return format_html(
            '<strong class="booking-status booking-{}">{}</strong><div class="booking-actions">{}</div>',
            obj.status,
            label,
            buttons,
        )

    # -- actions and one-click status

    def _set_status(self, request: HttpRequest, bookings: QuerySet[Booking], status: str) -> None:
        done, refused = 0, []
        for booking in bookings:
            if not self.has_change_permission(request, booking):
                continue
            try:
                services.booking_status_set(booking=booking, status=status)
                done += 1
            except ApplicationError as exc:
                refused.append(f"{booking.reference}: {exc.detail}")
        if done:
            label = Booking.Status(status).label.lower()
            said = "1 booking is" if done == 1 else f"{done} bookings are"
            self.message_user(request, f"{said} now {label}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Confirm selected bookings")
    def mark_confirmed(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._set_status(request, queryset, Booking.Status.CONFIRMED)

    @admin.action(description="Mark selected as seated")
    def mark_seated(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._set_status(request, queryset, Booking.Status.SEATED)

    @admin.action(description="Mark selected as no-show (frees the tables)")
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._set_status(request, queryset, Booking.Status.NO_SHOW)

    @admin.action(description="Cancel selected bookings (frees the tables, tells the diner)")
    def mark_cancelled(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._set_status(request, queryset, Booking.Status.CANCELLED)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and "_status" in request.POST:
            if not self.has_change_permission(request):
                raise PermissionDenied
            pk, _, status = request.POST["_status"].partition(":")
            if status not in Booking.Status.values or not pk.isdigit():
                raise PermissionDenied
            # The scoped queryset: another tenant's booking is simply not there.
            self._set_status(request, self.get_queryset(request).filter(pk=int(pk)), status)
            return HttpResponseRedirect(request.get_full_path())
        extra_context = {**(extra_context or {}), "services": self._services(request)}
        return super().changelist_view(request, extra_context)

    def _services(self, request: HttpRequest) -> dict[str, Any] | None:
        """Covers per service, when the list shows one restaurant on one date."""
        restaurant_id, day = request.GET.get("restaurant__id__exact"), request.GET.get("service_date")
        if not (restaurant_id and restaurant_id.isdigit() and day):
            return None
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            return None
        restaurant = Restaurant.objects.filter(pk=int(restaurant_id))
        if not is_operator(request):
            restaurant = restaurant.filter(tenant_id__in=member_tenant_ids(request))
        found = restaurant.first()
        if found is None:
            return None
        return {
            "restaurant": found,
            "date": date,
            "rows": covers_by_service(restaurant_id=found.pk, day=date),
        }

    # -- manual bookings and walk-in blocks

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        tenant_ids = None if is_operator(request) else member_tenant_ids(request)
        form = ManualBookingForm(request.POST or None, tenant_ids=tenant_ids, initial=request.GET.dict())
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            restaurant: Restaurant = data["restaurant"]
            is_block = data["kind"] == Booking.Kind.BLOCK
            try:
                booking = services.booking_create(
                    restaurant=restaurant,
                    start=_local_start(restaurant, data["date"], data["time"]),
                    party_size=data["party_size"],
                    name=data["name"].strip() or "Walk-in",
                    phone=data["phone"],
                    email=data["email"],
                    notes=data["notes"],
                    kind=data["kind"],
                    channel=Booking.Channel.ADMIN,
                    table_ids=[t.pk for t in data["tables"]] or None,
                    duration=dt.timedelta(minutes=data["duration_minutes"])
                    if data["duration_minutes"]
                    else None,
                    for_agent=False,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.detail)
            else:
                what = "Block" if is_block else "Booking"
                self.message_user(request, f"{what} {booking.reference} saved.", messages.SUCCESS)
                url = reverse("admin:bookings_booking_changelist")
                return HttpResponseRedirect(
                    f"{url}?restaurant__id__exact={restaurant.pk}&service_date={booking.service_date}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "New booking or walk-in",
            "form": form,
        }
        return TemplateResponse(request, "admin/bookings/booking/manual.html", context)

    # -- editing: every change of time, party, tables or status goes through the services

    def save_model(self, request: HttpRequest, obj: Booking, form: Any, change: bool) -> None:
        data = form.cleaned_data
        current = Booking.objects.get(pk=obj.pk)
        start = _local_start(obj.restaurant, data["date"], data["time"])
        tables = sorted(t.pk for t in data["move_to_tables"])
        try:
            with transaction.atomic():  # all of the edit, or none of it
                self._apply(current, data, start, tables)
        except ApplicationError as exc:
            request._booking_error = exc.detail  # type: ignore[attr-defined]
            self.message_user(request, f"Not saved: {exc.detail}", messages.ERROR)

    def _apply(self, current: Booking, data: dict[str, Any], start: dt.datetime, tables: list[int]) -> None:
        moved = (
            start != current.start_at
            or data["party"] != current.party_size
            or tables != sorted(current.tables.values_list("pk", flat=True))
        )
        if moved:
            services.booking_change(
                booking=current,
                start=start,
                party_size=data["party"],
                table_ids=tables or None,
                for_agent=False,
            )
        if data["status"] != current.status:
            services.booking_status_set(booking=current, status=data["status"])
        services.booking_contact_set(
            booking=Booking.objects.get(pk=current.pk),
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            notes=data["notes"],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # tables are held through the services, never through the form

    def response_change(self, request: HttpRequest, obj: Booking) -> HttpResponse:
        if getattr(request, "_booking_error", None):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

"""The owner's week-view hours editor: one row per weekday with its services, a date's own hours, and
closures over a range of dates, on one admin page per restaurant (linked from its change page).

Forms and presentation only: every save goes through tenants/services.py. Times are typed the way people
say them ("7pm", "19:00", "24:00"; tenants/time_input.py) and shown the way the restaurant's language
writes them (Babel), with "(next day)" on a service that closes after midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tenants import services
from tenants.models import OpeningHours, Restaurant, SpecialDate, Weekday
from tenants.time_input import HINT, TimeInputError, format_clock_time, parse_clock_time

NEXT_DAY = "(next day)"
# Blank service slots offered on each weekday beyond its current services (a split shift needs two).
MIN_SLOTS = 2
# Special dates shown on the restaurant page (the hours page lists them all).
OVERVIEW_SPECIALS = 5


def _locale(language: str) -> str:
    return (language or "en").split("-")[0]


def format_service(opens: dt.time, closes: dt.time, language: str) -> str:
    """ "19:00–01:00 (next day)" as the restaurant's language writes a time range."""
    text = format_interval(opens, closes, "Hm", locale=_locale(language))
    return f"{text} {NEXT_DAY}" if closes <= opens else text


def format_services(services_: Iterable[tuple[dt.time, dt.time]], language: str) -> str:
    parts = [format_service(o, c, language) for o, c in sorted(services_)]
    return ", ".join(parts) if parts else "Closed"


def format_day(day: dt.date, language: str, weekday: bool = True) -> str:
    return format_date(day, "EEE d MMM y" if weekday else "d MMM y", locale=_locale(language))


# --- forms -------------------------------------------------------------------------------------------------


class ClockTimeField(forms.CharField):
    """A time typed as "7pm", "19:00", "1900" or "24:00"; the error says what to type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        attrs = {"placeholder": "e.g. 7pm", "autocomplete": "off", "class": "hl-time", "size": "7"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.time | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_clock_time(text)
        except TimeInputError as error:
            raise ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value: Any) -> Any:
        return format_clock_time(value) if isinstance(value, dt.time) else value


def _pair_services(
    form: forms.Form, pairs: list[tuple[str, str]], where: str
) -> list[tuple[dt.time, dt.time]]:
    found = []
    for opens_name, closes_name in pairs:
        opens, closes = form.cleaned_data.get(opens_name), form.cleaned_data.get(closes_name)
        if opens_name in form.errors or closes_name in form.errors:
            continue
        if opens is None and closes is None:
            continue
        if opens is None or closes is None:
            missing = opens_name if opens is None else closes_name
            form.add_error(missing, f"{where}: type both the opening and the closing time. {HINT}")
            continue
        if opens == closes:
            form.add_error(
                closes_name, f"{where}: it opens and closes at {opens:%H:%M}. Type the closing time."
            )
            continue
        found.append((opens, closes))
    return found


class WeekForm(forms.Form):
    """Seven rows, each with its services as (opens, closes) pairs; a row with no times is closed."""

    def __init__(self, *args: Any, slots: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for day in Weekday:
            for slot in range(slots[day.value]):
                for end in ("opens", "closes"):
                    label = f"{day.label}, service {slot + 1}, {end}"
                    field = ClockTimeField(label=label)
                    field.widget.attrs["aria-label"] = label
                    self.fields[self.name(day.value, slot, end)] = field

    @staticmethod
    def name(weekday: int, slot: int, end: str) -> str:
        return f"d{weekday}_s{slot}_{end}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.week: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for day in Weekday:
            pairs = [
                (self.name(day.value, s, "opens"), self.name(day.value, s, "closes"))
                for s in range(self.slots[day.value])
            ]
            self.week[day.value] = _pair_services(self, pairs, str(day.label))
        return cleaned


class SpecialHoursForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    opens = ClockTimeField(label="Opens")
    closes = ClockTimeField(label="Closes", help_text="After midnight is fine: 1am closes the next day.")
    closed = forms.BooleanField(required=False, label="Closed all day")
    note = forms.CharField(required=False, max_length=120, label="Note for diners")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.services_ = _pair_services(self, [("opens", "closes")], "This date")
        if cleaned.get("closed"):
            if self.services_:
                self.add_error("closed", "Either untick “Closed all day” or clear the times.")
        elif not self.services_ and not self.errors:
            self.add_error("opens", f"Type the opening and closing times, or tick “Closed all day”. {HINT}")
        return cleaned


class ClosureForm(forms.Form):
    first_day = forms.DateField(label="Closed from", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        label="to (last day closed)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to close one day.",
    )
    note = forms.CharField(
        required=False, max_length=120, label="Note for diners", help_text="e.g. Christmas holidays"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day comes before the first day. Check the dates.")
        return cleaned


# --- the page ----------------------------------------------------------------------------------------------


@dataclass
class DayRow:
    weekday: int
    label: str
    text: str
    is_today: bool
    fields: list[tuple[forms.BoundField, forms.BoundField]]


@dataclass
class SpecialRow:
    pk: int
    when: str
    text: str
    note: str
    is_range: bool


def _slots(hours: list[OpeningHours]) -> dict[int, int]:
    counts = {d.value: 0 for d in Weekday}
    for h in hours:
        counts[h.weekday] += 1
    return {d: max(MIN_SLOTS, n + 1) for d, n in counts.items()}


def _week_initial(hours: list[OpeningHours]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    seen: dict[int, int] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens_at)):
        slot = seen.get(h.weekday, 0)
        seen[h.weekday] = slot + 1
        initial[WeekForm.name(h.weekday, slot, "opens")] = h.opens_at
        initial[WeekForm.name(h.weekday, slot, "closes")] = h.closes_at
    return initial


def _specials(restaurant: Restaurant, today: dt.date) -> list[SpecialDate]:
    return [
        s
        for s in SpecialDate.objects.filter(restaurant=restaurant).order_by("date", "opens_at")
        if s.last_date >= today
    ]


def _special_rows(specials: list[SpecialDate], language: str) -> list[SpecialRow]:
    rows = []
    by_date: dict[dt.date, list[SpecialDate]] = {}
    for s in specials:
        if s.is_closure and s.end_date and s.end_date > s.date:
            when = f"{format_day(s.date, language)} – {format_day(s.end_date, language)}"
            days = (s.end_date - s.date).days + 1
            rows.append(SpecialRow(s.pk, when, f"Closed ({days} days)", s.note, True))
        else:
            by_date.setdefault(s.date, []).append(s)
    for day, entries in by_date.items():
        for s in entries:
            text = "Closed all day" if s.is_closure else format_service(s.opens_at, s.closes_at, language)  # type: ignore[arg-type]
            rows.append(SpecialRow(s.pk, format_day(day, language), text, s.note, False))
    return sorted(rows, key=lambda r: next(s.date for s in specials if s.pk == r.pk))


def _today_text(hours: list[OpeningHours], specials: list[SpecialDate], today: dt.date, language: str) -> str:
    covering = [s for s in specials if s.date <= today <= s.last_date]
    if covering:
        note = "; ".join(s.note for s in covering if s.note)
        if any(s.is_closure for s in covering):
            text = "Closed"
        else:
            text = format_services([(s.opens_at, s.closes_at) for s in covering], language)  # type: ignore[misc]
        return f"{text} (special{': ' + note if note else ''})"
    return format_services(
        [(h.opens_at, h.closes_at) for h in hours if h.weekday == today.weekday()], language
    )


def hours_view(modeladmin: Any, request: HttpRequest, object_id: str) -> HttpResponse:
    """GET shows the week; POST saves one of the page's forms (`action`) and comes back here."""
    restaurant: Restaurant = modeladmin._restaurant_or_404(request, object_id)
    can_change = modeladmin.has_change_permission(request, restaurant)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    language = restaurant.language
    today = timezone.now().astimezone(ZoneInfo(restaurant.timezone)).date()
    hours = list(OpeningHours.objects.filter(restaurant=restaurant))
    here = reverse("admin:tenants_restaurant_hours", args=[restaurant.pk])
    action = request.POST.get("action") if request.method == "POST" else None

    week_form = WeekForm(
        request.POST if action == "week" else None, slots=_slots(hours), initial=_week_initial(hours)
    )
    special_form = SpecialHoursForm(
        request.POST if action == "special" else None, initial={"date": today}, prefix="special"
    )
    closure_form = ClosureForm(request.POST if action == "closure" else None, prefix="closure")

    if action == "week" and week_form.is_valid():
        if _save(
            request, week_form, services.opening_hours_week_set, restaurant=restaurant, week=week_form.week
        ):
            messages.success(request, "Weekly hours saved. The next call hears them.")
            return HttpResponseRedirect(here)
    elif action == "special" and special_form.is_valid():
        day = special_form.cleaned_data["date"]
        if _save(
            request,
            special_form,
            services.special_hours_set,
            restaurant=restaurant,
            date=day,
            services_=special_form.services_,
            note=special_form.cleaned_data["note"],
        ):
            messages.success(request, f"Hours for {format_day(day, language)} saved.")
            return HttpResponseRedirect(here)
    elif action == "closure" and closure_form.is_valid():
        first = closure_form.cleaned_data["first_day"]
        last = closure_form.cleaned_data["last_day"] or first
        if _save(
            request,
            closure_form,
            services.closure_add,
            restaurant=restaurant,
            first_day=first,
            last_day=last,
            note=closure_form.cleaned_data["note"],
        ):
            messages.success(
                request, f"Closed from {format_day(first, language)} to {format_day(last, language)}."
            )
            return HttpResponseRedirect(here)
    elif action == "delete":
        try:
            pk = int(request.POST.get("special_date", ""))
        except ValueError:
            raise Http404("No such special date.") from None
        # Through the restaurant, which the tenant-scoped admin already found: another's row is simply absent.
        special = SpecialDate.objects.filter(restaurant=restaurant, pk=pk).first()
        if special is None:
            raise Http404("No such special date.")
        services.special_date_delete(special_date=special)
        messages.success(request, f"Deleted: {special}.")
        return HttpResponseRedirect(here)
    elif action not in (None, "week", "special", "closure"):
        messages.error(request, "That form is not on this page. Reload it and try again.")

    specials = _specials(restaurant, today)
    rows = []
    for day in Weekday:
        services_ = [(h.opens_at, h.closes_at) for h in hours if h.weekday == day.value]
        fields = [
            (
                week_form[WeekForm.name(day.value, s, "opens")],
                week_form[WeekForm.name(day.value, s, "closes")],
            )
            for s in range(week_form.slots[day.value])
        ]
        rows.append(
            DayRow(
                day.value,
                str(day.label),
                format_services(services_, language),
                day.value == today.weekday(),
                fields,
            )
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "original": restaurant,
        "title": f"Opening hours — {restaurant.name}",
        "rows": rows,
        "week_form": week_form,
        "special_form": special_form,
        "closure_form": closure_form,
        "special_rows": _special_rows(specials, language),
        "today_label": format_day(today, language),
        "today_text": _today_text(hours, specials, today, language),
        "can_change": can_change,
        "hint": HINT,
    }
    status = 400 if action and request.method == "POST" else 200
    return TemplateResponse(request, "admin/tenants/restaurant/hours.html", context, status=status)


def _save(request: HttpRequest, form: forms.Form, service: Any, **kwargs: Any) -> bool:
    """Run a service; its ValidationError lands on the form in words (bad input never 500s)."""
    try:
        service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    return True


def hours_overview(restaurant: Restaurant) -> str:
    """The restaurant page's read-only week (one line a day, today marked) and its next special dates, with
    the way to the week editor: hours are edited there only, so the restaurant page stays short on a phone
    and there is one place to change them. Two queries."""
    language = restaurant.language
    today = timezone.now().astimezone(ZoneInfo(restaurant.timezone)).date()
    hours = list(OpeningHours.objects.filter(restaurant=restaurant))
    specials = _specials(restaurant, today)
    week = format_html_join(
        "",
        '<li class="hl-week-day{}"><span>{}</span><span>{}</span></li>',
        (
            (
                " hl-is-today" if day.value == today.weekday() else "",
                f"{day.label} (today)" if day.value == today.weekday() else day.label,
                format_services(
                    [(h.opens_at, h.closes_at) for h in hours if h.weekday == day.value], language
                ),
            )
            for day in Weekday
        ),
    )
    upcoming = _special_rows(specials, language)[:OVERVIEW_SPECIALS]
    specials_html = format_html_join(
        "",
        "<li><span>{}</span><span>{}{}</span></li>",
        ((row.when, row.text, f" · {row.note}" if row.note else "") for row in upcoming),
    )
    more = len(specials) - len(upcoming)
    return format_html(
        '<div class="hl-hours-overview" id="hl-hours-overview"><ul class="hl-week">{}</ul>{}'
        '<p><a class="button" href="{}">Edit hours and holidays</a></p></div>',
        week,
        format_html(
            '<p class="hl-week-heading">Coming up</p><ul class="hl-week">{}</ul>{}',
            specials_html,
            format_html("<p>and {} more on the hours page.</p>", more) if more > 0 else "",
        )
        if upcoming
        else mark_safe("<p>No holidays or special hours coming up.</p>"),
        reverse("admin:tenants_restaurant_hours", args=[restaurant.pk]),
    )

"""Form fields for a restaurant's locale, and the operators' onboarding form (tenants/admin.py shows it)."""

from __future__ import annotations

from typing import Any

from babel.core import get_global
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tenants.locales import country_choices, timezone_choices, timezone_resolve
from tenants.models import Restaurant, origin_normalise
from tenants.vocabulary import LANGUAGES

TIMEZONE_LIST_ID = "hl-timezones"
CURRENCY_LIST_ID = "hl-currencies"


class _ListInput(forms.TextInput):
    """A text box with a <datalist>: type to search ("lis" offers Lisbon), or type anything sensible."""

    list_id = ""

    def options(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"list": self.list_id, "autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        )

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}" label="{}"></option>', self.options())
        return format_html('{}<datalist id="{}">{}</datalist>', box, self.list_id, options)


class TimeZoneInput(_ListInput):
    list_id = TIMEZONE_LIST_ID

    def options(self) -> list[tuple[str, str]]:
        return timezone_choices()


class CurrencyInput(_ListInput):
    list_id = CURRENCY_LIST_ID

    def options(self) -> list[tuple[str, str]]:
        from babel.numbers import get_currency_name

        return [(code, get_currency_name(code, locale="en")) for code in _currencies()]


def _currencies() -> list[str]:
    # Currencies some country uses today (tender), not every historical ISO code.
    in_use = {
        entry[0]
        for entries in get_global("territory_currencies").values()
        for entry in entries
        if entry[2] is None and entry[3]
    }
    return sorted(in_use)


class TimeZoneField(forms.CharField):
    """An IANA zone, typed as one or as a city ("Lisbon" → Europe/Lisbon) and searchable in a list."""

    widget = TimeZoneInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "Start typing a city or country, e.g. Lisbon, and pick from the list.")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return timezone_resolve(value) if value else value


class CurrencyField(forms.CharField):
    widget = CurrencyInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", "Three letters, e.g. EUR, GBP, USD, JPY.")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = (super().clean(value) or "").strip().upper()
        if value and value not in _currencies():
            raise ValidationError(
                "“%(value)s” is not a currency in use. Use a three-letter ISO code such as EUR or USD.",
                params={"value": value},
            )
        return value


def greeting_help_text(name: str) -> SafeString:
    """The greeting's help with the restaurant's own default greeting (a neutral one before it has a name)."""
    default = (
        f"Welcome to {name}. How can I help you?"
        if name.strip()
        else "Welcome to Casa Nova. How can I help you?"
    )
    return format_html(
        "What the agent says first. Leave empty for {}“{}”.",
        "" if name.strip() else "the restaurant's name in, e.g. ",
        default,
    )


class RestaurantForm(forms.ModelForm):
    """The admin's restaurant form: a searchable time zone, a checked currency, a greeting help that
    quotes this restaurant's own default greeting."""

    class Meta:
        model = Restaurant
        # The admin's fieldsets pick the fields it shows; this list is the fallback.
        fields = [
            "tenant", "name", "cuisine", "is_active", "address", "phone", "website",
            "timezone", "language", "currency", "greeting", "voice", "extra_instructions",
        ]  # fmt: skip
        field_classes = {"timezone": TimeZoneField, "currency": CurrencyField}
        # Named here too: the admin otherwise gives every CharField its own plain text box.
        widgets = {"timezone": TimeZoneInput, "currency": CurrencyInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "greeting" in self.fields:
            self.fields["greeting"].help_text = greeting_help_text(self.instance.name or "")
        if "timezone" in self.fields:
            self.fields["timezone"].help_text = "Start typing a city, e.g. Lisbon, and pick from the list."


class OnboardTenantForm(forms.Form):
    tenant_name = forms.CharField(max_length=120, label="Restaurant group (tenant) name")
    owner_email = forms.EmailField(
        help_text="It is also the owner's username. They get an email with a link to set their password."
    )
    restaurant_name = forms.CharField(max_length=120, label="First restaurant")
    restaurant_country = forms.ChoiceField(
        label="Country",
        required=False,
        choices=[("", "—"), *country_choices()],
        help_text="Fills in the time zone, language and currency below; change any of them.",
    )
    restaurant_timezone = TimeZoneField(label="Time zone", required=False)
    restaurant_language = forms.ChoiceField(
        label="Language the agent speaks",
        required=False,
        choices=[("", "from the country"), *LANGUAGES.items()],
    )
    restaurant_currency = CurrencyField(label="Currency", required=False)
    allowed_origins = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Websites that may show the widget, one per line, e.g. https://www.casanova.example",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("restaurant_timezone")
            and not cleaned.get("restaurant_country")
            and "restaurant_timezone" not in self.errors
        ):
            self.add_error("restaurant_timezone", "Choose the country or type the time zone, e.g. Lisbon.")
        return cleaned

    def clean_allowed_origins(self) -> list[str]:
        # The same cleaning as the owner's "allowed websites" page: stored the way browsers send it.
        origins, errors = [], []
        for line in self.cleaned_data["allowed_origins"].splitlines():
            if not line.strip():
                continue
            try:
                origins.append(origin_normalise(line))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(origins))


class SuspendForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the tenant's owners in their admin and in the email they get. Optional.",
    )

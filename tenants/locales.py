"""Countries, time zones, languages and currencies for onboarding, from Babel's copy of CLDR.

An operator picks the restaurant's country and gets its language, currency and time zone as defaults
(Portugal: Portuguese, EUR, Europe/Lisbon). A time zone may be typed the way people say it ("Lisbon",
"new york"): it becomes the IANA name when exactly one zone matches, and an error naming the candidates
otherwise. Nothing here is stored: the restaurant keeps the IANA name, the language code and the currency.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies
from django.core.exceptions import ValidationError

from tenants.vocabulary import LANGUAGES

DEFAULT_LANGUAGE = "en"

# The main zone of every country CLDR gives several (where most people, and most restaurants, are).
# A test checks that each is one of that country's zones and that no such country is missing.
MAIN_ZONES: dict[str, str] = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UM": "Pacific/Wake",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}
# Regions CLDR lists zones for that are not countries a restaurant is in.
_NOT_COUNTRIES = {"001", "AQ", "ZZ"}


@dataclass(frozen=True)
class CountryDefaults:
    country: str  # ISO 3166 alpha-2
    name: str
    language: str  # one of LANGUAGES
    currency: str  # ISO 4217
    timezone: str  # IANA


def _fold(text: str) -> str:
    """Lower case, no accents, spaces and underscores alike: "São Paulo" and "sao_paulo" match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").split())


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, tuple[str, ...]]:
    available = zoneinfo.available_timezones()
    zones: dict[str, tuple[str, ...]] = {}
    for country, names in get_global("territory_zones").items():
        if country in _NOT_COUNTRIES or not (len(country) == 2 and country.isalpha()):
            continue
        known = tuple(z for z in names if z in available)
        if known:
            main = MAIN_ZONES.get(country)
            # The main zone first: it is the default and the first the picker offers for the country.
            zones[country] = tuple(sorted(known, key=lambda z: (z != main, z)))
    return zones


@lru_cache(maxsize=1)
def timezone_choices() -> list[tuple[str, str]]:
    """Every country's zones as (IANA name, "City — Country"), sorted by zone, plus UTC."""
    names = Locale("en").territories
    labelled: dict[str, str] = {"UTC": "UTC — Coordinated Universal Time"}
    for country, zones in _country_zones().items():
        for zone in zones:
            city = zone.rsplit("/", 1)[-1].replace("_", " ")
            labelled.setdefault(zone, f"{city} — {names.get(country, country)}")
    return sorted(labelled.items())


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    """(ISO code, English name) of every country with a time zone, by name."""
    names = Locale("en").territories
    return sorted(((code, names.get(code, code)) for code in _country_zones()), key=lambda c: c[1])


def _language_for(country: str) -> str:
    # The country's official languages first (Belgium: Dutch, not the English many also speak), then the
    # most widely spoken, keeping the first the agent speaks; English otherwise.
    spoken = get_global("territory_languages").get(country, {})
    ranked = sorted(
        spoken.items(),
        key=lambda item: (
            not str(item[1].get("official_status") or "").startswith(("official", "de_facto")),
            -(item[1].get("population_percent") or 0),
        ),
    )
    for code, _ in ranked:
        base = code.split("_")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=512)
def country_defaults(country: str) -> CountryDefaults | None:
    """The language, currency and time zone a restaurant in `country` most likely uses; None if unknown."""
    country = country.upper()
    zones = _country_zones().get(country)
    if not zones:
        return None
    currencies = get_territory_currencies(country, tender=True)
    return CountryDefaults(
        country=country,
        name=Locale("en").territories.get(country, country),
        language=_language_for(country),
        currency=currencies[0] if currencies else "EUR",
        timezone=zones[0],
    )


def all_country_defaults() -> dict[str, dict[str, str]]:
    """For the onboarding page's script: country code -> {language, currency, timezone}."""
    result = {}
    for code, _ in country_choices():
        defaults = country_defaults(code)
        if defaults is not None:
            result[code] = {
                "language": defaults.language,
                "currency": defaults.currency,
                "timezone": defaults.timezone,
            }
    return result


@lru_cache(maxsize=1)
def _zone_index() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """(folded IANA name -> name, folded city -> zones, folded country name -> country code)."""
    canonical = {zone for zone, _ in timezone_choices()}
    # Old names ("Asia/Calcutta", "Japan", "US/Eastern") still work, and become today's canonical zone.
    aliases = {old: new for old, new in get_global("zone_aliases").items() if new in canonical}
    by_name = {_fold(z): z if z in canonical else aliases.get(z, z) for z in zoneinfo.available_timezones()}
    by_city: dict[str, list[str]] = {}
    for zone in sorted(canonical):
        by_city.setdefault(_fold(zone.rsplit("/", 1)[-1]), []).append(zone)
    for old, new in sorted(aliases.items()):
        found = by_city.setdefault(_fold(old.rsplit("/", 1)[-1]), [])
        if new not in found:
            found.append(new)
    by_country = {_fold(name): code for code, name in country_choices()}
    return by_name, by_city, by_country


def timezone_resolve(text: str) -> str:
    """The IANA zone `text` names: an IANA name in any case, a city ("Lisbon") or a one-zone country.

    Raises ValidationError saying what to type when nothing matches or several zones do.
    """
    folded = _fold(text)
    if not folded:
        raise ValidationError("Enter a time zone, such as Europe/Lisbon, or a city, such as Lisbon.")
    by_name, by_city, by_country = _zone_index()
    if folded in by_name:
        return by_name[folded]
    cities = by_city.get(folded, [])
    if len(cities) == 1:
        return cities[0]
    country = by_country.get(folded)
    if country is not None:
        zones = _country_zones()[country]
        if len(zones) == 1:
            return zones[0]
        cities = list(zones)
    if len(cities) > 1:
        raise ValidationError(
            "“%(text)s” has several time zones: %(zones)s. Choose one.",
            params={"text": text.strip(), "zones": ", ".join(cities[:8])},
        )
    raise ValidationError(
        "“%(text)s” is not a time zone or city we know. Type a city such as Lisbon, or an IANA name "
        "such as Europe/Lisbon, and pick from the list.",
        params={"text": text.strip()},
    )

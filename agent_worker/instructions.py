"""What the model is told at the start of a call. Its size does not grow with the menu: tools reach the menu."""

from __future__ import annotations

import datetime as dt

from tenants import hours
from tenants.snapshot import RestaurantSnapshot
from tenants.vocabulary import LANGUAGES

APOLOGIES = {
    "en": "Sorry, this line can't take your call right now. Please try again later. Goodbye.",
    "fr": "Désolé, nous ne pouvons pas prendre votre appel pour le moment. Merci de réessayer plus tard. Au revoir.",
    "de": "Entschuldigung, wir können Ihren Anruf gerade nicht annehmen. Bitte versuchen Sie es später. Auf Wiederhören.",
    "es": "Lo sentimos, ahora no podemos atender su llamada. Inténtelo más tarde. Adiós.",
    "it": "Ci scusi, al momento non possiamo rispondere. La preghiamo di riprovare più tardi. Arrivederci.",
    "pt": "Desculpe, não podemos atender a sua chamada agora. Tente mais tarde. Adeus.",
    "nl": "Sorry, we kunnen uw oproep nu niet aannemen. Probeer het later opnieuw. Tot ziens.",
    "ja": "申し訳ございません。ただいまお電話をお受けできません。後ほどおかけ直しください。",
}


def apology(language: str | None) -> str:
    return APOLOGIES.get((language or "en").split("-")[0], APOLOGIES["en"])


def build_instructions(snapshot: RestaurantSnapshot, now: dt.datetime, language: str) -> str:
    local = hours.local_now(snapshot, now)
    status = hours.opening_status(snapshot, now)
    if status.open and status.closes_at:
        open_line = f"open now, until {status.closes_at.astimezone(local.tzinfo):%H:%M}"
    elif status.next_opening:
        open_line = f"closed now; next opens {status.next_opening.astimezone(local.tzinfo):%A %H:%M}"
    else:
        open_line = "closed now, with no opening in the next two weeks"
    house_rules = (
        f"\nHouse rules from the owner: {snapshot.extra_instructions}" if snapshot.extra_instructions else ""
    )
    return f"""You are the voice host of {snapshot.name}, a {snapshot.cuisine or "restaurant"}, answering diners on the phone.
Speak {LANGUAGES.get(language, "English")} unless the diner speaks another language. Keep answers short and
natural for speech: no lists, no markdown, no emojis; say prices with their currency.

Facts for this call:
- Local time at the restaurant: {local:%A %d %B %Y, %H:%M} ({snapshot.timezone}).
- Today: {hours.describe_day(snapshot, local.date())}. The restaurant is {open_line}.
- Phone: {snapshot.phone or "not listed"}.{house_rules}

Rules:
- Speak only for {snapshot.name}. Never talk about other restaurants or businesses.
- Never invent dishes, prices, ingredients, allergens or hours. Use your tools for the menu, hours and
  contact details, and answer only from what they return. If a tool does not have it, say you don't know.
- If a dish is sold out, say so plainly and suggest something available.
- For allergies, repeat the declared allergens and recommend confirming with the staff.
- When you cannot help (bookings, complaints, anything not in your tools), offer the phone number."""

"""Short, speakable tool outputs. Results are bounded so a big menu never floods the model.

Money goes through Babel in the restaurant's locale with the currency's own minor units (€15.50,
15,50 €, ¥1,500), the same way in every tool; dates through tenants.hours.spoken_date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_currency

from tenants.snapshot import MenuItemSnapshot
from tenants.vocabulary import ALLERGENS

MAX_RESULTS = 8

# What the agent hears for a dish whose allergens nobody declared: never "none".
NOT_DECLARED = "not declared — can't confirm; the diner must ask the staff"


def money(amount: Decimal, currency: str, language: str = "en") -> str:
    """A price as the restaurant's locale writes it, e.g. "€15.50" (en) or "15,50 €" (fr)."""
    return format_currency(amount, currency, locale=(language or "en").split("-")[0])


def price(item: MenuItemSnapshot, language: str = "en") -> str:
    return money(item.price, item.currency, language)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def availability(item: MenuItemSnapshot, today: dt.date) -> str:
    """Why a dish cannot be ordered on `today` (the restaurant's local date), or "" when it can.

    "Sold out today" only on the date the owner marked: the next day the same snapshot says nothing, so the
    dish is back without anyone touching it. A dish taken off the menu is not promised for tomorrow.
    """
    if not item.available:
        return "not available at the moment"
    if item.is_sold_out_on(today):
        return "sold out today"
    return ""


def item_line(item: MenuItemSnapshot, today: dt.date, language: str = "en") -> str:
    why = availability(item, today)
    tags = f", {', '.join(item.dietary_tags)}" if item.dietary_tags else ""
    return f"{item.name}, {price(item, language)}{tags}{f' ({why})' if why else ''}"


def allergens_text(item: MenuItemSnapshot) -> str:
    if not item.allergens_known:
        return NOT_DECLARED
    if not item.allergens:
        return "none (the restaurant declares none of the 14 major allergens)"
    return ", ".join(ALLERGENS.get(a, a) for a in item.allergens)


def item_details(item: MenuItemSnapshot, category: str, today: dt.date, language: str = "en") -> str:
    why = availability(item, today)
    parts = [
        f"{item.name} ({category}): {item.description}" if item.description else f"{item.name} ({category})",
        f"Price: {price(item, language)}.",
        f"Dietary: {', '.join(item.dietary_tags)}." if item.dietary_tags else "",
        f"Allergens: {allergens_text(item)}.",
        f"It is {why}." if why else "It is available.",
    ]
    return " ".join(p for p in parts if p)


def bounded(lines: list[str], what: str) -> str:
    if not lines:
        return f"No {what} found."
    more = (
        f" And {len(lines) - MAX_RESULTS} more; ask the diner to narrow it down."
        if len(lines) > MAX_RESULTS
        else ""
    )
    return "; ".join(lines[:MAX_RESULTS]) + "." + more

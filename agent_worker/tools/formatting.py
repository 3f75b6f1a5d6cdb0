"""Short, speakable tool outputs. Results are bounded so a big menu never floods the model."""

from __future__ import annotations

from tenants.snapshot import MenuItemSnapshot
from tenants.vocabulary import ALLERGENS

MAX_RESULTS = 8


def price(item: MenuItemSnapshot) -> str:
    return f"{item.price.normalize():f} {item.currency}"


def item_line(item: MenuItemSnapshot) -> str:
    sold_out = " (sold out today)" if not item.available else ""
    tags = f", {', '.join(item.dietary_tags)}" if item.dietary_tags else ""
    return f"{item.name}, {price(item)}{tags}{sold_out}"


def item_details(item: MenuItemSnapshot, category: str) -> str:
    allergens = ", ".join(ALLERGENS.get(a, a) for a in item.allergens) or "none declared"
    parts = [
        f"{item.name} ({category}): {item.description}" if item.description else f"{item.name} ({category})",
        f"Price: {price(item)}.",
        f"Dietary: {', '.join(item.dietary_tags)}." if item.dietary_tags else "",
        f"Allergens: {allergens}.",
        "It is sold out today." if not item.available else "It is available.",
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

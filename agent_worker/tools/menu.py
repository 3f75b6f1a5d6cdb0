"""The menu: sections, dishes, diets and allergens, sold-out dishes. Answers are bounded for speech."""

from __future__ import annotations

import unicodedata

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from agent_worker.tools import formatting as fmt
from tenants.snapshot import MenuItemSnapshot, RestaurantSnapshot
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _vocabulary_key(value: str, vocabulary: dict[str, str]) -> str | None:
    wanted = _fold(value).replace(" ", "-").rstrip("s")
    for key, spoken in vocabulary.items():
        if wanted in {_fold(key).rstrip("s"), _fold(spoken).replace(" ", "-").rstrip("s")}:
            return key
    return None


def _items(snapshot: RestaurantSnapshot) -> list[tuple[str, MenuItemSnapshot]]:
    return [(c.name, item) for c in snapshot.categories for item in c.items]


@function_tool
async def list_menu_categories(context: RunContext[CallState]) -> str:
    """List the sections of the menu (for example starters, mains, desserts) with how many dishes each has."""
    categories = context.userdata.snapshot.categories
    return fmt.bounded([f"{c.name} ({len(c.items)} dishes)" for c in categories], "menu sections")


@function_tool
async def list_items_in_category(context: RunContext[CallState], category: str) -> str:
    """List the dishes in one section of the menu, with prices, dietary tags and whether they are sold out.

    Args:
        category: The name of the menu section, as returned by list_menu_categories.
    """
    snapshot = context.userdata.snapshot
    wanted = _fold(category)
    for c in snapshot.categories:
        if _fold(c.name) == wanted or wanted in _fold(c.name):
            return fmt.bounded([fmt.item_line(i) for i in c.items], f"dishes in {c.name}")
    return f"There is no menu section called {category}. Sections: " + ", ".join(
        c.name for c in snapshot.categories
    )


@function_tool
async def search_menu(
    context: RunContext[CallState], text: str = "", dietary_need: str = "", avoid_allergen: str = ""
) -> str:
    """Search the menu by dish name or ingredient, by dietary need, and/or excluding an allergen.

    Args:
        text: Words from a dish name or description, e.g. "tuna" or "mushroom". Optional.
        dietary_need: One of vegetarian, vegan, gluten-free, dairy-free, nut-free, halal, kosher, spicy. Optional.
        avoid_allergen: An allergen the diner must avoid, e.g. peanuts, milk, gluten, fish. Optional.
    """
    results = []
    tag = _vocabulary_key(dietary_need, DIETARY_TAGS) if dietary_need.strip() else None
    if dietary_need.strip() and tag is None:
        return f"I don't know the dietary need {dietary_need}. Known: {', '.join(DIETARY_TAGS)}."
    allergen = _vocabulary_key(avoid_allergen, ALLERGENS) if avoid_allergen.strip() else None
    if avoid_allergen.strip() and allergen is None:
        return f"I don't know the allergen {avoid_allergen}. Known: {', '.join(ALLERGENS.values())}."
    words = _fold(text).split()
    for _, item in _items(context.userdata.snapshot):
        haystack = _fold(f"{item.name} {item.description}")
        if words and not all(w in haystack for w in words):
            continue
        if tag and tag not in item.dietary_tags:
            continue
        if allergen and allergen in item.allergens:
            continue
        results.append(fmt.item_line(item))
    return fmt.bounded(results, "matching dishes")


@function_tool
async def get_item_details(context: RunContext[CallState], dish: str) -> str:
    """Get everything about one dish: description, price, dietary tags, allergens and whether it is sold out.

    Args:
        dish: The dish name, as the diner said it or as a menu tool returned it.
    """
    items = _items(context.userdata.snapshot)
    wanted = _fold(dish)
    matches = [(c, i) for c, i in items if _fold(i.name) == wanted] or [
        (c, i) for c, i in items if wanted in _fold(i.name)
    ]
    if not matches:
        return f"There is no dish called {dish} on the menu."
    if len(matches) > 1:
        return "Several dishes match: " + fmt.bounded([i.name for _, i in matches], "dishes")
    category, item = matches[0]
    return fmt.item_details(item, category)


TOOLS: list[Tool] = [list_menu_categories, list_items_in_category, search_menu, get_item_details]

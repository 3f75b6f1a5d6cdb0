"""The menu: sections, dishes, diets and allergens, sold-out dishes. Answers are bounded for speech.

Allergen answers are safety answers: a dish is only offered as free of an allergen when its allergens are
declared and do not include it (or any allergen the diner's word covers: "nuts" is tree nuts and
peanuts); a dish whose allergens nobody declared is named separately as one the agent can't confirm; a
word that maps to no allergen gets "I can't confirm that", never a guess.
"""

from __future__ import annotations

import logging

from livekit.agents import RunContext, function_tool
from livekit.agents.llm import Tool

from agent_worker.state import CallState
from agent_worker.tools import formatting as fmt
from tenants.hours import local_now
from tenants.snapshot import MenuCategorySnapshot, MenuItemSnapshot, RestaurantSnapshot
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS, allergens_for_word, fold

logger = logging.getLogger(__name__)

# A diet that another one implies: every vegan dish is also vegetarian.
IMPLIED_BY = {"vegetarian": {"vegan"}}

CANT_CONFIRM = "I can't confirm that — please ask the staff."


def _vocabulary_key(value: str, vocabulary: dict[str, str]) -> str | None:
    wanted = fold(value).replace(" ", "-").removesuffix("s")
    for key, spoken in vocabulary.items():
        if wanted in {
            fold(key).replace(" ", "-").removesuffix("s"),
            fold(spoken).replace(" ", "-").removesuffix("s"),
        }:
            return key
    return None


def _items(snapshot: RestaurantSnapshot) -> list[tuple[str, MenuItemSnapshot]]:
    return [(c.name, item) for c in snapshot.categories for item in c.items]


def matching_categories(snapshot: RestaurantSnapshot, wanted: str) -> list[MenuCategorySnapshot]:
    """The section a diner named: an exact (case- and accent-insensitive) match wins; otherwise the
    sections whose names hold all the words said (or whose words were all said), fewest extra words
    first, then plain substrings. Equally good ones are all returned, so the agent can say which exist."""
    target = fold(wanted)
    exact = [c for c in snapshot.categories if fold(c.name) == target]
    if exact or not target:
        return exact

    def words(text: str) -> set[str]:
        return {w.removesuffix("s") for w in fold(text).split()}

    wanted_words = words(target)

    def score(c: MenuCategorySnapshot) -> tuple[int, int] | None:
        name = fold(c.name)
        if wanted_words <= words(name) or (words(name) and words(name) <= wanted_words):
            return (0, len(words(name) ^ wanted_words))  # whole words: fewer extra words is closer
        if target.removesuffix("s") in name:
            return (1, len(name) - len(target))
        return None

    scored = [(s, c) for c in snapshot.categories if (s := score(c)) is not None]
    if not scored:
        return []
    best = min(s for s, _ in scored)
    return [c for s, c in scored if s == best]


def allergen_free(
    items: list[MenuItemSnapshot], avoided: tuple[str, ...]
) -> tuple[list[MenuItemSnapshot], list[MenuItemSnapshot]]:
    """(dishes declared free of every avoided allergen, dishes whose allergens nobody declared)."""
    safe = [i for i in items if i.allergens_known and not set(avoided) & set(i.allergens)]
    unknown = [i for i in items if not i.allergens_known]
    return safe, unknown


@function_tool
async def list_menu_categories(context: RunContext[CallState]) -> str:
    """List the sections of the menu (for example starters, mains, desserts) with how many dishes each has."""
    categories = context.userdata.snapshot.categories
    return fmt.bounded(
        [f"{c.name} ({fmt.plural(len(c.items), 'dish', 'dishes')})" for c in categories], "menu sections"
    )


@function_tool
async def list_items_in_category(context: RunContext[CallState], category: str) -> str:
    """List the dishes in one section of the menu, with prices, dietary tags and whether they are sold out.

    Args:
        category: The name of the menu section, as returned by list_menu_categories.
    """
    snapshot = context.userdata.snapshot
    today = local_now(snapshot).date()  # "sold out today" is judged now, in the restaurant's zone
    found = matching_categories(snapshot, category)
    if len(found) == 1:
        [c] = found
        return fmt.bounded(
            [fmt.item_line(i, today, snapshot.language) for i in c.items], f"dishes in {c.name}"
        )
    if found:
        return f"Several menu sections match {category}: {', '.join(c.name for c in found)}. Ask which one."
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
        avoid_allergen: What the diner must avoid, in their words, e.g. nuts, dairy, shellfish, gluten, egg.
            Optional.
    """
    snapshot = context.userdata.snapshot
    today = local_now(snapshot).date()  # "sold out today" is judged now, in the restaurant's zone
    tag = _vocabulary_key(dietary_need, DIETARY_TAGS) if dietary_need.strip() else None
    if dietary_need.strip() and tag is None:
        return f"I don't know the dietary need {dietary_need}. Known: {', '.join(DIETARY_TAGS)}."
    avoided: tuple[str, ...] = ()
    if avoid_allergen.strip():
        avoided = allergens_for_word(avoid_allergen)
        if not avoided:
            # Recorded with the call (the tool call and this answer are in the call record).
            logger.warning("allergen word not understood: %r", avoid_allergen[:80])
            return f"{CANT_CONFIRM} (“{avoid_allergen}” is not an allergen I can check the menu for.)"
    tags = {tag} | IMPLIED_BY.get(tag, set()) if tag else set()
    words = fold(text).split()
    candidates = [
        item
        for _, item in _items(snapshot)
        if (not words or all(w in fold(f"{item.name} {item.description}") for w in words))
        and (not tags or tags & set(item.dietary_tags))
    ]
    if not avoided:
        return fmt.bounded(
            [fmt.item_line(i, today, snapshot.language) for i in candidates], "matching dishes"
        )
    safe, unknown = allergen_free(candidates, avoided)
    names = " or ".join(ALLERGENS[a] for a in avoided)
    answer = (
        f"Declared free of {names}: "
        + fmt.bounded([fmt.item_line(i, today, snapshot.language) for i in safe], "dishes")
        if safe
        else f"No dish on the menu is declared free of {names}."
    )
    if unknown:
        answer += (
            f" Allergens not declared — can't confirm, never call these safe: "
            f"{fmt.bounded([i.name for i in unknown], 'dishes')}"
        )
    return answer + " Recommend the diner confirms with the staff."


@function_tool
async def get_item_details(context: RunContext[CallState], dish: str) -> str:
    """Get everything about one dish: description, price, dietary tags, allergens and whether it is sold out.

    Args:
        dish: The dish name, as the diner said it or as a menu tool returned it.
    """
    snapshot = context.userdata.snapshot
    today = local_now(snapshot).date()  # "sold out today" is judged now, in the restaurant's zone
    items = _items(snapshot)
    wanted = fold(dish)
    matches = [(c, i) for c, i in items if fold(i.name) == wanted] or [
        (c, i) for c, i in items if wanted in fold(i.name)
    ]
    if not matches:
        return f"There is no dish called {dish} on the menu."
    if len(matches) > 1:
        return "Several dishes match: " + fmt.bounded([i.name for _, i in matches], "dishes")
    category, item = matches[0]
    return fmt.item_details(item, category, today, snapshot.language)


TOOLS: list[Tool] = [list_menu_categories, list_items_in_category, search_menu, get_item_details]

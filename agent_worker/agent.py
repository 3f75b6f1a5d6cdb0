"""The one generic restaurant agent. It becomes a given restaurant from that restaurant's snapshot."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from livekit.agents import Agent, RunContext, function_tool

from agent_worker import tools_format as fmt
from agent_worker.instructions import build_instructions
from calls.contract import JobMetadata
from tenants import hours
from tenants.snapshot import MenuItemSnapshot, RestaurantSnapshot
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS


@dataclass
class CallState:
    """Per-session userdata: what this call is about, and when it started."""

    snapshot: RestaurantSnapshot
    metadata: JobMetadata | None
    language: str
    job_id: str
    room_name: str
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _vocabulary_key(value: str, vocabulary: dict[str, str]) -> str | None:
    wanted = _fold(value).replace(" ", "-").rstrip("s")
    for key, spoken in vocabulary.items():
        if wanted in {_fold(key).rstrip("s"), _fold(spoken).replace(" ", "-").rstrip("s")}:
            return key
    return None


class RestaurantAgent(Agent):
    def __init__(self, snapshot: RestaurantSnapshot, language: str, now: dt.datetime | None = None) -> None:
        self.snapshot = snapshot
        super().__init__(instructions=build_instructions(snapshot, now or dt.datetime.now(dt.UTC), language))

    def _items(self) -> list[tuple[str, MenuItemSnapshot]]:
        return [(c.name, item) for c in self.snapshot.categories for item in c.items]

    @function_tool
    async def get_opening_hours(self, context: RunContext[CallState]) -> str:
        """Get the restaurant's regular opening hours for every day of the week, and upcoming holidays or
        special dates when the hours differ. Times are the restaurant's local time."""
        week = "; ".join(hours.describe_week(self.snapshot))
        today = hours.local_now(self.snapshot).date()
        special = hours.describe_special_dates(self.snapshot, today, days=60)
        return week + (
            ". Special dates: " + "; ".join(special) if special else ". No special dates coming up."
        )

    @function_tool
    async def check_if_open(self, context: RunContext[CallState], when: str = "") -> str:
        """Check whether the restaurant is open now, or at a given local date and time, and when it next opens.

        Args:
            when: Local date and time to check, as "YYYY-MM-DD HH:MM" (the restaurant's time zone).
                Leave empty for right now.
        """
        zone = hours.local_now(self.snapshot).tzinfo
        if when.strip():
            try:
                moment = dt.datetime.fromisoformat(when.strip()).replace(tzinfo=zone)
            except ValueError:
                return 'I could not read that time. Use "YYYY-MM-DD HH:MM".'
        else:
            moment = dt.datetime.now(dt.UTC)
        status = hours.opening_status(self.snapshot, moment)
        label = "now" if not when.strip() else f"at {moment:%A %d %B %H:%M}"
        note = f" ({status.note})" if status.note else ""
        if status.open and status.closes_at:
            return f"Open {label}, until {status.closes_at.astimezone(zone):%H:%M}{note}."
        if status.next_opening:
            return f"Closed {label}{note}. Next opening: {status.next_opening.astimezone(zone):%A %d %B at %H:%M}."
        return f"Closed {label}{note}, and not open in the next two weeks."

    @function_tool
    async def get_contact_details(self, context: RunContext[CallState]) -> str:
        """Get the restaurant's address, phone number and website."""
        s = self.snapshot
        return f"Address: {s.address or 'not listed'}. Phone: {s.phone or 'not listed'}. Website: {s.website or 'none'}."

    @function_tool
    async def list_menu_categories(self, context: RunContext[CallState]) -> str:
        """List the sections of the menu (for example starters, mains, desserts) with how many dishes each has."""
        return fmt.bounded(
            [f"{c.name} ({len(c.items)} dishes)" for c in self.snapshot.categories], "menu sections"
        )

    @function_tool
    async def list_items_in_category(self, context: RunContext[CallState], category: str) -> str:
        """List the dishes in one section of the menu, with prices, dietary tags and whether they are sold out.

        Args:
            category: The name of the menu section, as returned by list_menu_categories.
        """
        wanted = _fold(category)
        for c in self.snapshot.categories:
            if _fold(c.name) == wanted or wanted in _fold(c.name):
                return fmt.bounded([fmt.item_line(i) for i in c.items], f"dishes in {c.name}")
        return f"There is no menu section called {category}. Sections: " + ", ".join(
            c.name for c in self.snapshot.categories
        )

    @function_tool
    async def search_menu(
        self, context: RunContext[CallState], text: str = "", dietary_need: str = "", avoid_allergen: str = ""
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
        for _, item in self._items():
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
    async def get_item_details(self, context: RunContext[CallState], dish: str) -> str:
        """Get everything about one dish: description, price, dietary tags, allergens and whether it is sold out.

        Args:
            dish: The dish name, as the diner said it or as a menu tool returned it.
        """
        wanted = _fold(dish)
        matches = [(c, i) for c, i in self._items() if _fold(i.name) == wanted] or [
            (c, i) for c, i in self._items() if wanted in _fold(i.name)
        ]
        if not matches:
            return f"There is no dish called {dish} on the menu."
        if len(matches) > 1:
            return "Several dishes match: " + fmt.bounded([i.name for _, i in matches], "dishes")
        category, item = matches[0]
        return fmt.item_details(item, category)

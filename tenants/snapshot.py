"""The restaurant snapshot: the one read model of a restaurant that the agent and the API use.

A snapshot is everything a call needs about one restaurant, built from Postgres with a fixed number of
queries, serialisable to JSON for the Redis cache, and versioned twice over: `schema_version` changes when
this shape changes (and is part of the cache key), `version` is a hash of the content, recorded with each
call so an owner can tell which edit a diner heard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class WeeklyInterval(_Frozen):
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: dt.time
    closes: dt.time  # earlier than `opens`: runs past midnight into the next day


class SpecialDateEntry(_Frozen):
    date: dt.date
    # The last day of a closure over several dates, inclusive. Absent (None) in snapshots of schema v3 and
    # for a single date: the entry covers `date` only.
    end_date: dt.date | None = None
    opens: dt.time | None = None  # both None: closed all day
    closes: dt.time | None = None
    note: str = ""

    @property
    def is_closure(self) -> bool:
        return self.opens is None

    @property
    def last_date(self) -> dt.date:
        return self.end_date if self.end_date and self.end_date > self.date else self.date

    def covers(self, day: dt.date) -> bool:
        return self.date <= day <= self.last_date


class MenuItemSnapshot(_Frozen):
    id: int
    name: str
    description: str = ""
    price: Decimal
    currency: str
    dietary_tags: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    # False: nobody declared this dish's allergens, and an empty list means "unknown", never "none".
    allergens_declared: bool = False
    # False: off the menu until the owner puts it back.
    available: bool = True
    # Sold out for this restaurant-local date only. The snapshot carries the date, not a verdict: tools
    # judge it against the call's local date, so the dish is back the next day with no cache flush.
    sold_out_on: dt.date | None = None

    def is_sold_out_on(self, day: dt.date) -> bool:
        return self.sold_out_on == day

    def available_on(self, day: dt.date) -> bool:
        """On sale on `day` (the restaurant's local date): on the menu and not sold out that day."""
        return self.available and not self.is_sold_out_on(day)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MenuItemSnapshot:
        """From a `MenuItem` values() row of its pk, MENU_ITEM_CONTENT_FIELDS and sold_out_on."""
        return cls(
            id=row["pk"],
            name=row["name"],
            description=row["description"],
            price=row["price"],
            currency=row["currency"],
            dietary_tags=tuple(row["dietary_tags"]),
            allergens=tuple(row["allergens"]),
            allergens_declared=row["allergens_declared"],
            available=row["is_available"],
            sold_out_on=row.get("sold_out_on"),
        )

    @property
    def allergens_known(self) -> bool:
        return self.allergens_declared or bool(self.allergens)


class MenuCategorySnapshot(_Frozen):
    id: int
    name: str
    description: str = ""
    items: tuple[MenuItemSnapshot, ...] = ()


# Restaurant fields the snapshot copies as they are, under the same name (the selector reads exactly these).
RESTAURANT_FIELDS = (
    "public_id",
    "tenant_id",
    "name",
    "cuisine",
    "address",
    "phone",
    "website",
    "timezone",
    "language",
    "currency",
    "greeting",
    "voice",
    "extra_instructions",
)


class RestaurantSnapshot(_Frozen):
    schema_version: Literal[5] = 5  # == core.cache_keys.SNAPSHOT_SCHEMA_VERSION (a test holds them together)
    version: str = ""
    public_id: str
    tenant_id: int
    tenant_active: bool
    active: bool
    # False until the owner goes live (tenants.Restaurant.went_live_at). Absent from snapshots cached by an
    # older release, which only knew live restaurants: read as live.
    live: bool = True
    name: str
    cuisine: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""
    timezone: str
    language: str
    currency: str
    greeting: str = ""
    voice: str = ""
    extra_instructions: str = ""
    # Only whether the agent may offer bookings: availability is always read live (bookings/selectors.py).
    bookings_enabled: bool = False
    weekly_hours: tuple[WeeklyInterval, ...] = ()
    special_dates: tuple[SpecialDateEntry, ...] = ()
    categories: tuple[MenuCategorySnapshot, ...] = ()
    # What the call start needs about the tenant, so it reads no SQL: its line cap and the websites
    # whose pages may start calls. Not part of `version`, which is about what a diner hears.
    max_concurrent_sessions: int = 0
    allowed_origins: tuple[str, ...] = ()
    built_at: dt.datetime | None = None
    # Set only on a copy served from the cache while the database could not be reached.
    stale: bool = False

    @property
    def can_take_calls(self) -> bool:
        """Not suspended and not switched off. A restaurant not yet live is refused separately (`live`)."""
        return self.tenant_active and self.active

    @property
    def greeting_text(self) -> str:
        return self.greeting or f"Welcome to {self.name}. How can I help you?"

    def items(self) -> list[MenuItemSnapshot]:
        return [item for category in self.categories for item in category.items]

    def with_content_version(self) -> RestaurantSnapshot:
        content = self.model_dump_json(
            exclude={"version", "built_at", "stale", "max_concurrent_sessions", "allowed_origins"}
        )
        return self.model_copy(update={"version": hashlib.sha256(content.encode()).hexdigest()[:16]})

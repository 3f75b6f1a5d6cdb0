"""The go-live checklist and the status badge an owner sees for each restaurant.

Read from the same snapshot the agent loads (so "menu has dishes" means dishes the agent can talk about),
plus the tenant's allowed websites and the restaurant's last test chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from calls.models import CallRecord, Channel
from tenants.models import AllowedOrigin, Restaurant, Tenant
from tenants.snapshot import MenuItemSnapshot, RestaurantSnapshot


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    required: bool
    # What to do about it, in words; empty when done.
    fix: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]

    @property
    def required_left(self) -> int:
        return sum(1 for item in self.items if item.required and not item.done)

    @property
    def ready(self) -> bool:
        return self.required_left == 0


def dishes_without_allergen_information(snapshot: RestaurantSnapshot) -> list[MenuItemSnapshot]:
    """Dishes whose allergens nobody declared: the agent tells diners it cannot confirm them."""
    return [item for item in snapshot.items() if not item.allergens_known]


def golive_checklist(*, restaurant: Restaurant, snapshot: RestaurantSnapshot) -> Checklist:
    has_hours = bool(snapshot.weekly_hours) or any(not s.is_closure for s in snapshot.special_dates)
    dishes = snapshot.items()
    unknown_allergens = dishes_without_allergen_information(snapshot)
    origins = AllowedOrigin.objects.filter(tenant_id=restaurant.tenant_id).exists()
    last_test = (
        CallRecord.objects.filter(restaurant=restaurant, channel=Channel.TEST)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    tested = last_test is not None and last_test >= restaurant.updated_at
    items = (
        ChecklistItem(
            "hours",
            "Opening hours are set",
            has_hours,
            True,
            "" if has_hours else "Add the weekly opening hours on the restaurant page.",
        ),
        ChecklistItem(
            "menu",
            "The menu has dishes",
            bool(dishes),
            True,
            "" if dishes else "Add menu sections and dishes, or import a menu file.",
        ),
        ChecklistItem(
            "allergens",
            "Every dish says its allergens",
            bool(dishes) and not unknown_allergens,
            False,
            ""
            if dishes and not unknown_allergens
            else "Add dishes first."
            if not dishes
            else f"{len(unknown_allergens)} dish(es) have no allergen information: the agent will say it "
            "cannot confirm their allergens.",
        ),
        ChecklistItem(
            "greeting",
            "A greeting is set",
            bool(snapshot.greeting.strip()),
            True,
            "" if snapshot.greeting.strip() else "Write what the agent says first (Agent persona).",
        ),
        ChecklistItem(
            "locale",
            "Time zone and language are set",
            bool(snapshot.timezone and snapshot.language),
            True,
            "" if snapshot.timezone and snapshot.language else "Choose the time zone and language (Locale).",
        ),
        ChecklistItem(
            "website",
            "At least one website may show the widget",
            origins,
            True,
            ""
            if origins
            else "Add your restaurant's website under Allowed websites (an owner can; the snippet's help links there).",
        ),
        ChecklistItem(
            "test_chat",
            "A test chat since the restaurant was last saved",
            tested,
            False,
            "" if tested else "Try the agent in the test chat below.",
        ),
    )
    return Checklist(items=items)


@dataclass(frozen=True)
class Badge:
    kind: str  # "live", "not-live", "suspended", "off"
    text: str


def restaurant_badge(
    *, restaurant: Restaurant, snapshot: RestaurantSnapshot | None, tenant: Tenant | None = None
) -> Badge:
    tenant = tenant or restaurant.tenant
    if tenant.status == Tenant.Status.SUSPENDED:
        reason = f" ({tenant.suspension_reason})" if tenant.suspension_reason else ""
        return Badge("suspended", f"Suspended{reason}")
    if not restaurant.is_active:
        return Badge("off", "Switched off")
    if restaurant.is_live:
        return Badge("live", "Live")
    if snapshot is None:
        return Badge("not-live", "Not live")
    left = golive_checklist(restaurant=restaurant, snapshot=snapshot).required_left
    if left == 0:
        return Badge("not-live", "Not live (ready to go live)")
    return Badge("not-live", f"Not live ({left} item{'s' if left != 1 else ''} left)")

"""Demo data: one tenant with six restaurants that exercise every feature of the catalog.

They differ in cuisine, time zone, language, split shifts, past-midnight hours, holiday closures, dietary
tags and sold-out items, so a new user can try the admin and the agent against realistic data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tenants.models import (
    AllowedOrigin,
    Membership,
    MenuCategory,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
    Tenant,
)
from tenants.selectors import DEMO_TENANT_SLUG

ALL_WEEK = range(7)
TUE_SUN = range(1, 7)


def _hours(days: range | list[int], *intervals: tuple[str, str]) -> list[tuple[int, str, str]]:
    return [(day, opens, closes) for day in days for opens, closes in intervals]


def restaurants(today: dt.date) -> list[dict[str, Any]]:
    year = today.year if (today.month, today.day) <= (12, 25) else today.year + 1
    return [
        {
            "name": "Trattoria Bella",
            "cuisine": "Italian",
            "timezone": "Europe/Rome",
            "language": "it",
            "currency": "EUR",
            "address": "Via dei Coronari 12, 00186 Roma, Italy",
            "phone": "+39 06 1234 5678",
            "website": "https://trattoria-bella.example",
            "greeting": "Benvenuti alla Trattoria Bella! Come posso aiutarvi?",
            "extra_instructions": "We take reservations for groups of six or more only, by phone.",
            # Split shifts, closed on Mondays.
            "hours": _hours(TUE_SUN, ("12:00", "14:30"), ("19:00", "23:00")),
            "special": [(dt.date(year, 12, 25), None, None, "Natale — closed")],
            "menu": [
                (
                    "Antipasti",
                    [
                        (
                            "Bruschetta al pomodoro",
                            "Grilled bread, tomatoes, basil, garlic",
                            "7.50",
                            ["vegetarian", "vegan"],
                            ["gluten"],
                            True,
                        ),
                        (
                            "Burrata",
                            "Apulian burrata with cherry tomatoes",
                            "12.00",
                            ["vegetarian", "gluten-free"],
                            ["milk"],
                            True,
                        ),
                    ],
                ),
                (
                    "Pizze",
                    [
                        (
                            "Margherita",
                            "Tomato, fior di latte, basil",
                            "9.00",
                            ["vegetarian"],
                            ["gluten", "milk"],
                            True,
                        ),
                        (
                            "Diavola",
                            "Tomato, mozzarella, spicy salami",
                            "11.50",
                            ["spicy"],
                            ["gluten", "milk"],
                            True,
                        ),
                        (
                            "Tartufo",
                            "White truffle cream, mushrooms, mozzarella",
                            "16.00",
                            ["vegetarian"],
                            ["gluten", "milk"],
                            False,
                        ),
                    ],
                ),
                (
                    "Dolci",
                    [
                        (
                            "Tiramisù",
                            "Mascarpone, coffee, savoiardi",
                            "6.50",
                            ["vegetarian"],
                            ["eggs", "milk", "gluten"],
                            True,
                        ),
                    ],
                ),
            ],
        },
        {
            "name": "Le Petit Bistro",
            "cuisine": "French",
            "timezone": "Europe/Paris",
            "language": "fr",
            "currency": "EUR",
            "address": "14 rue Cler, 75007 Paris, France",
            "phone": "+33 1 45 55 12 34",
            "website": "https://petit-bistro.example",
            "greeting": "Bienvenue au Petit Bistro. Comment puis-je vous aider ?",
            "hours": _hours(range(0, 6), ("12:00", "14:00"), ("19:00", "22:30")),
            # New Year's Eve: one long evening that runs past midnight instead of the usual shifts.
            "special": [(dt.date(year, 12, 31), "19:00", "02:00", "Réveillon de la Saint-Sylvestre")],
            "menu": [
                (
                    "Entrées",
                    [
                        (
                            "Soupe à l'oignon",
                            "Onion soup with gratinéed comté",
                            "9.00",
                            ["vegetarian"],
                            ["gluten", "milk"],
                            True,
                        ),
                        (
                            "Escargots de Bourgogne",
                            "Six snails, garlic and parsley butter",
                            "13.00",
                            ["gluten-free"],
                            ["molluscs", "milk"],
                            True,
                        ),
                    ],
                ),
                (
                    "Plats",
                    [
                        (
                            "Bœuf bourguignon",
                            "Beef braised in red wine, mashed potatoes",
                            "24.00",
                            ["gluten-free"],
                            ["milk", "sulphites"],
                            True,
                        ),
                        (
                            "Confit de canard",
                            "Duck leg confit, sarladaise potatoes",
                            "22.00",
                            ["gluten-free", "dairy-free"],
                            [],
                            False,
                        ),
                    ],
                ),
                (
                    "Desserts",
                    [
                        (
                            "Crème brûlée",
                            "Vanilla custard, caramelised sugar",
                            "8.00",
                            ["vegetarian", "gluten-free"],
                            ["eggs", "milk"],
                            True,
                        ),
                    ],
                ),
            ],
        },
        {
            "name": "Sakura Sushi",
            "cuisine": "Japanese",
            "timezone": "Asia/Tokyo",
            "language": "ja",
            "currency": "JPY",
            "address": "2-1-1 Ginza, Chuo City, Tokyo 104-0061, Japan",
            "phone": "+81 3 1234 5678",
            "website": "https://sakura-sushi.example",
            "greeting": "さくら寿司へようこそ。ご用件をお伺いします。",
            "hours": _hours([0, 1, 2, 4, 5, 6], ("11:30", "14:00"), ("17:00", "22:00")),
            "special": [(dt.date(year + 1, 1, 1), None, None, "元日 — New Year's Day")],
            "menu": [
                (
                    "Nigiri",
                    [
                        (
                            "Maguro",
                            "Lean bluefin tuna, two pieces",
                            "600",
                            ["gluten-free", "dairy-free"],
                            ["fish"],
                            True,
                        ),
                        (
                            "Ōtoro",
                            "Fatty tuna belly, two pieces",
                            "1800",
                            ["gluten-free", "dairy-free"],
                            ["fish"],
                            False,
                        ),
                        ("Ebi", "Cooked prawn, two pieces", "500", ["dairy-free"], ["crustaceans"], True),
                    ],
                ),
                (
                    "Maki",
                    [
                        (
                            "Kappa maki",
                            "Cucumber roll",
                            "400",
                            ["vegan", "vegetarian", "dairy-free"],
                            ["sesame"],
                            True,
                        ),
                        (
                            "Spicy tuna roll",
                            "Tuna, chilli mayonnaise",
                            "900",
                            ["spicy"],
                            ["fish", "eggs", "soy"],
                            True,
                        ),
                    ],
                ),
                (
                    "Soups",
                    [
                        (
                            "Miso soup",
                            "Tofu, wakame, spring onion",
                            "300",
                            ["vegetarian", "vegan"],
                            ["soy", "fish"],
                            True,
                        ),
                    ],
                ),
            ],
        },
        {
            "name": "Midnight Diner",
            "cuisine": "American diner",
            "timezone": "America/New_York",
            "language": "en",
            "currency": "USD",
            "address": "212 Bowery, New York, NY 10012, USA",
            "phone": "+1 212 555 0142",
            "website": "https://midnight-diner.example",
            "greeting": "",
            "extra_instructions": "We do not take reservations; walk-ins only.",
            # Evenings that run past midnight; longer on Friday and Saturday nights.
            "hours": _hours(range(0, 4), ("18:00", "02:00")) + _hours([4, 5], ("18:00", "04:00")),
            "special": [(dt.date(year, 12, 24), None, None, "Christmas Eve — closed")],
            "menu": [
                (
                    "Burgers",
                    [
                        (
                            "Classic cheeseburger",
                            "Beef patty, cheddar, pickles, fries",
                            "15.00",
                            [],
                            ["gluten", "milk", "mustard", "sesame"],
                            True,
                        ),
                        (
                            "Beyond burger",
                            "Plant-based patty, vegan cheese",
                            "16.00",
                            ["vegan", "vegetarian"],
                            ["gluten", "soy"],
                            True,
                        ),
                    ],
                ),
                (
                    "Breakfast all night",
                    [
                        (
                            "Pancake stack",
                            "Three buttermilk pancakes, maple syrup",
                            "11.00",
                            ["vegetarian"],
                            ["gluten", "eggs", "milk"],
                            True,
                        ),
                        (
                            "Chicken and waffles",
                            "Fried chicken, Belgian waffle, hot honey",
                            "18.00",
                            ["spicy"],
                            ["gluten", "eggs", "milk"],
                            False,
                        ),
                    ],
                ),
                (
                    "Shakes",
                    [
                        (
                            "Peanut butter shake",
                            "Peanut butter, vanilla ice cream",
                            "8.00",
                            ["vegetarian", "gluten-free"],
                            ["peanuts", "milk"],
                            True,
                        ),
                    ],
                ),
            ],
        },
        {
            "name": "Grüner Garten",
            "cuisine": "Vegan",
            "timezone": "Europe/Berlin",
            "language": "de",
            "currency": "EUR",
            "address": "Oranienstraße 25, 10999 Berlin, Germany",
            "phone": "+49 30 1234567",
            "website": "https://gruener-garten.example",
            "greeting": "Willkommen im Grünen Garten. Wie kann ich helfen?",
            "hours": _hours(ALL_WEEK, ("08:00", "16:00")),
            "special": [
                (dt.date(year, 12, 24), "08:00", "12:00", "Heiligabend — short day"),
                (dt.date(year, 12, 25), None, None, "Weihnachten"),
            ],
            "menu": [
                (
                    "Frühstück",
                    [
                        (
                            "Açaí-Bowl",
                            "Açaí, banana, granola, berries",
                            "9.50",
                            ["vegan", "vegetarian"],
                            ["gluten", "tree-nuts"],
                            True,
                        ),
                        (
                            "Tofu-Rührei",
                            "Scrambled tofu, sourdough toast",
                            "10.00",
                            ["vegan", "vegetarian"],
                            ["soy", "gluten"],
                            True,
                        ),
                    ],
                ),
                (
                    "Bowls",
                    [
                        (
                            "Buddha-Bowl",
                            "Quinoa, roasted vegetables, tahini",
                            "13.50",
                            ["vegan", "vegetarian", "gluten-free"],
                            ["sesame"],
                            True,
                        ),
                        (
                            "Linsen-Curry",
                            "Red lentil curry, basmati rice",
                            "12.00",
                            ["vegan", "vegetarian", "gluten-free", "spicy"],
                            ["celery"],
                            False,
                        ),
                    ],
                ),
            ],
        },
        {
            "name": "Taquería Sol",
            "cuisine": "Mexican",
            "timezone": "America/Mexico_City",
            "language": "es",
            "currency": "MXN",
            "address": "Calle de Madero 30, Centro, 06000 Ciudad de México, Mexico",
            "phone": "+52 55 1234 5678",
            "website": "https://taqueria-sol.example",
            "greeting": "¡Bienvenido a Taquería Sol! ¿En qué le puedo ayudar?",
            "hours": _hours(range(0, 5), ("13:00", "23:00")) + _hours([5, 6], ("13:00", "01:00")),
            "special": [(dt.date(year + 1, 1, 1), None, None, "Año Nuevo")],
            "menu": [
                (
                    "Tacos",
                    [
                        (
                            "Tacos al pastor",
                            "Marinated pork, pineapple, onion, cilantro",
                            "95.00",
                            ["gluten-free", "spicy"],
                            [],
                            True,
                        ),
                        (
                            "Tacos de pollo halal",
                            "Halal chicken, salsa verde",
                            "90.00",
                            ["halal", "gluten-free"],
                            [],
                            True,
                        ),
                        (
                            "Tacos de hongos",
                            "Mushrooms, epazote, corn tortilla",
                            "85.00",
                            ["vegan", "vegetarian", "gluten-free"],
                            [],
                            True,
                        ),
                    ],
                ),
                (
                    "Antojitos",
                    [
                        (
                            "Guacamole",
                            "Avocado, lime, chilli, totopos",
                            "110.00",
                            ["vegan", "vegetarian", "gluten-free"],
                            [],
                            True,
                        ),
                        (
                            "Elote",
                            "Grilled corn, mayonnaise, cotija, chilli",
                            "60.00",
                            ["vegetarian", "gluten-free", "spicy"],
                            ["eggs", "milk"],
                            False,
                        ),
                    ],
                ),
            ],
        },
    ]


@dataclass(frozen=True)
class DemoSeedResult:
    tenant: Tenant
    owner_username: str
    created_restaurants: int


DEMO_OWNER_USERNAME = "demo-owner"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def demo_origins() -> list[str]:
    """The websites the demo tenant allows: the platform's own address (PLATFORM_BASE_URL, which `make demo`
    sets from HOST and PORT), and on this machine both spellings of it, so a demo on port 8001 allows 8001."""
    parts = urlsplit(settings.PLATFORM_BASE_URL)
    origins = [f"{parts.scheme}://{parts.netloc}"]
    if parts.hostname in LOOPBACK_NAMES:
        port = f":{parts.port}" if parts.port else ""
        origins = [f"{parts.scheme}://{name}{port}" for name in LOOPBACK_NAMES]
    return origins


@transaction.atomic
def demo_tenant_seed(*, owner_password: str | None, today: dt.date | None = None) -> DemoSeedResult:
    """Create the demo tenant, its owner and six restaurants. Running it again changes nothing.

    `owner_password` is set only when the owner account is created, or when given explicitly again.
    """
    today = today or timezone.localdate()
    tenant, _ = Tenant.objects.get_or_create(slug=DEMO_TENANT_SLUG, defaults={"name": "Hostline Demo Group"})
    User = get_user_model()
    owner, created_owner = User.objects.get_or_create(
        username=DEMO_OWNER_USERNAME, defaults={"email": "owner@demo.hostline.local", "is_staff": True}
    )
    if created_owner or owner_password:
        owner.set_password(owner_password or secrets.token_urlsafe(12))
        owner.save()
    Membership.objects.get_or_create(tenant=tenant, user=owner, defaults={"role": Membership.Role.OWNER})
    for origin in demo_origins():
        AllowedOrigin.objects.get_or_create(tenant=tenant, origin=origin)

    created_restaurants = 0
    for spec in restaurants(today):
        fields = {k: v for k, v in spec.items() if k not in {"name", "hours", "special", "menu"}}
        # The demo restaurants are complete, so they are live from the start.
        fields.setdefault("went_live_at", timezone.now())
        restaurant, created = Restaurant.objects.get_or_create(
            tenant=tenant, name=spec["name"], defaults=fields
        )
        if not created:
            continue
        created_restaurants += 1
        OpeningHours.objects.bulk_create(
            OpeningHours(tenant=tenant, restaurant=restaurant, weekday=day, opens_at=opens, closes_at=closes)
            for day, opens, closes in spec["hours"]
        )
        SpecialDate.objects.bulk_create(
            SpecialDate(
                tenant=tenant, restaurant=restaurant, date=date, opens_at=opens, closes_at=closes, note=note
            )
            for date, opens, closes, note in spec["special"]
        )
        for position, (category_name, items) in enumerate(spec["menu"]):
            category = MenuCategory.objects.create(
                restaurant=restaurant, name=category_name, position=position
            )
            MenuItem.objects.bulk_create(
                MenuItem(
                    tenant=tenant,
                    restaurant=restaurant,
                    category=category,
                    name=name,
                    description=description,
                    price=Decimal(price),
                    currency=restaurant.currency,
                    dietary_tags=tags,
                    allergens=allergens,
                    allergens_declared=True,  # the demo's lists are complete: an empty one means none
                    is_available=available,
                    position=item_position,
                )
                for item_position, (name, description, price, tags, allergens, available) in enumerate(items)
            )
    return DemoSeedResult(
        tenant=tenant, owner_username=owner.get_username(), created_restaurants=created_restaurants
    )

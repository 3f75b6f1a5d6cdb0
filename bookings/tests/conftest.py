"""A bookable restaurant: Alpha Bistro (Europe/London) opens every day for lunch and for dinner past midnight."""

from __future__ import annotations

import datetime as dt

import pytest

from bookings.tests.factories import BookingSettingsFactory, TableFactory
from tenants.models import OpeningHours

# A Saturday well in the future, in winter (GMT), at noon UTC: "now" for most tests.
NOW = dt.datetime(2030, 1, 5, 12, 0, tzinfo=dt.UTC)
SATURDAY = dt.date(2030, 1, 12)


@pytest.fixture
def bookable(world_a):
    restaurant = world_a.restaurant
    restaurant.phone = "+44 20 7946 0000"
    restaurant.save()
    OpeningHours.objects.filter(restaurant=restaurant).delete()
    for day in range(7):
        OpeningHours.objects.create(
            restaurant=restaurant, weekday=day, opens_at=dt.time(12, 0), closes_at=dt.time(14, 30)
        )
        OpeningHours.objects.create(
            restaurant=restaurant, weekday=day, opens_at=dt.time(18, 0), closes_at=dt.time(1, 0)
        )
    BookingSettingsFactory(restaurant=restaurant, notify_email="bookings@alpha.example")
    tables = [
        TableFactory(restaurant=restaurant, name="T1", seats=2),
        TableFactory(restaurant=restaurant, name="T2", seats=4),
        TableFactory(restaurant=restaurant, name="T3", seats=4, combinable=True),
        TableFactory(restaurant=restaurant, name="T4", seats=4, combinable=True),
    ]
    world_a.tables = tables
    return world_a

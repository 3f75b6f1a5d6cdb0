from __future__ import annotations

import factory

from bookings.models import BookingSettings, Table


class BookingSettingsFactory(factory.django.DjangoModelFactory[BookingSettings]):
    class Meta:
        model = BookingSettings

    enabled = True
    slot_interval_minutes = 15
    default_duration_minutes = 90
    min_notice_minutes = 60
    last_seating_minutes = 60
    max_days_ahead = 60
    agent_max_party = 8


class TableFactory(factory.django.DjangoModelFactory[Table]):
    class Meta:
        model = Table

    name = factory.Sequence(lambda n: f"T{n}")
    seats = 4

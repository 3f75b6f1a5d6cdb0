"""Table bookings: a restaurant's tables and booking rules, and the bookings that hold its tables.

One capacity model: tables. A restaurant without a table plan gives a covers capacity instead, which is
stored as that many one-seat, combinable *virtual* tables: a party of four holds four of them, so "at most
N diners at once" is the same arithmetic and the same database guarantee as a real table plan.

No double booking, guaranteed by Postgres: each table a booking holds is a `BookingTable` row carrying the
booking's time span and whether it holds the table; an exclusion constraint (btree_gist) forbids two
holding rows of one table whose spans overlap, whatever races between calls, the API and the admin. The
constraint is created by the migration on Postgres only; the zero-configuration SQLite run relies on
SQLite's single writer instead (docs/bookings.md).

Every row carries its tenant, copied from the restaurant in `save()`, never taken from input.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tenants.models import Restaurant, Tenant, TenantOwnedQuerySet, TimeStampedModel

# The name of the exclusion constraint (bookings/migrations/0002); services recognise its violation by it.
NO_OVERLAP_CONSTRAINT = "booking_table_no_overlap"


class RestaurantOwned(TimeStampedModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.tenant_id = self.restaurant.tenant_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class BookingSettings(RestaurantOwned):
    """A restaurant's booking rules. No row, or `enabled` off: the agent takes no bookings."""

    restaurant = models.OneToOneField(Restaurant, on_delete=models.CASCADE, related_name="booking_settings")
    enabled = models.BooleanField(
        default=False, help_text="The agent offers to book tables (the restaurant needs tables or covers)."
    )
    slot_interval_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="Bookable start times are this many minutes apart, counted from each opening time.",
    )
    default_duration_minutes = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
        help_text="How long a party holds its table, unless a rule below says otherwise for its size.",
    )
    agent_min_party = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    agent_max_party = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1)],
        help_text="Larger parties become a request for the restaurant to confirm.",
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(0), MaxValueValidator(730)]
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=60, help_text="The earliest booking the agent takes, in minutes from now."
    )
    last_seating_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MaxValueValidator(600)],
        help_text="The last booking starts this many minutes before each closing time.",
    )
    notify_email = models.EmailField(
        blank=True, help_text="Where the restaurant is told of each new or cancelled booking."
    )

    class Meta:
        verbose_name = "booking rules"
        verbose_name_plural = "booking rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(agent_min_party__lte=models.F("agent_max_party")),
                name="booking_settings_party_range",
            ),
            models.CheckConstraint(condition=Q(slot_interval_minutes__gte=5), name="booking_settings_slot"),
        ]

    def __str__(self) -> str:
        return f"Booking rules of {self.restaurant}"

    def clean(self) -> None:
        if self.agent_min_party and self.agent_max_party and self.agent_min_party > self.agent_max_party:
            raise ValidationError("The smallest party the agent books cannot be larger than the largest.")


class DurationRule(RestaurantOwned):
    """Parties of up to `max_party_size` hold their table this long (the smallest matching rule wins)."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="booking_durations")
    max_party_size = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(15), MaxValueValidator(480)])

    class Meta:
        ordering = ["max_party_size"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "max_party_size"], name="duration_rule_unique"),
            models.CheckConstraint(condition=Q(minutes__gte=15), name="duration_rule_minutes"),
        ]

    def __str__(self) -> str:
        return f"up to {self.max_party_size}: {self.minutes} min"


class Table(RestaurantOwned):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=40)
    seats = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    combinable = models.BooleanField(
        default=False, help_text="May be pushed together with other combinable tables for a larger party."
    )
    is_active = models.BooleanField(default=True, help_text="Untick to stop booking this table.")
    # One of the one-seat tables a covers capacity is made of (services.covers_capacity_set).
    is_virtual = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["restaurant", "name"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "name"], name="table_name_unique"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="table_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.seats})"


class Booking(RestaurantOwned):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        SEATED = "seated", "Seated"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Channel(models.TextChoices):
        WEB = "web", "Web call"
        PHONE = "phone", "Phone call"
        ADMIN = "admin", "Admin"
        API = "api", "API"

    class Kind(models.TextChoices):
        BOOKING = "booking", "Booking"
        BLOCK = "block", "Walk-in / block"

    # Statuses in which a booking holds its tables.
    HOLDING: ClassVar[frozenset[str]] = frozenset({"requested", "confirmed", "seated"})

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="bookings")
    reference = models.CharField(max_length=12, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.BOOKING)
    party_size = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    # The restaurant-local date of the service the booking belongs to (start_at in the restaurant's zone).
    service_date = models.DateField(editable=False)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +442079460000.")
    email = models.EmailField(blank=True)
    notes = models.CharField(
        max_length=500, blank=True, help_text="Allergies, high chair, occasion… as the diner said them."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ADMIN)
    call_job_id = models.CharField(max_length=100, blank=True, help_text="The call the booking came from.")
    tables: models.ManyToManyField[Table, BookingTable] = models.ManyToManyField(
        Table, through="BookingTable", related_name="bookings"
    )

    class Meta:
        ordering = ["start_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="booking_end_after_start"
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="booking_party_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "confirmed", "seated", "cancelled", "no_show"]),
                name="booking_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["restaurant", "service_date"]),
            models.Index(fields=["restaurant", "phone"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.name} · {self.party_size}"

    @property
    def holds_tables(self) -> bool:
        return self.status in self.HOLDING


class BookingTable(RestaurantOwned):
    """One table held by one booking, over the booking's span. The exclusion constraint lives on these rows."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="holds")
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="holds")
    # Copies of the booking's span and status, kept in step by bookings.services (never edited alone).
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    holds = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "table"], name="booking_table_unique"),
            models.CheckConstraint(condition=Q(end_at__gt=models.F("start_at")), name="booking_table_span"),
        ]
        indexes = [models.Index(fields=["restaurant", "start_at"])]

    def __str__(self) -> str:
        return f"{self.table_id} {self.start_at:%Y-%m-%d %H:%M}"


class BookingEmail(TimeStampedModel):
    """One email sent about one booking: the row is claimed before sending, so a retried task sends once."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails")
    event = models.CharField(max_length=40)  # confirmed, requested, cancelled, changed@<start>
    recipient = models.CharField(max_length=10)  # diner, restaurant
    sent_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "event", "recipient"], name="booking_email_once"),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.tenant_id = self.booking.tenant_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class BookableRestaurant(Restaurant):
    """The restaurant seen from bookings: one admin page for its rules, durations and tables."""

    class Meta:
        proxy = True
        verbose_name = "booking setup"
        verbose_name_plural = "booking setup"

"""The catalog: tenants, their people, restaurants, opening hours and menus.

Every tenant-owned row carries a `tenant` foreign key, even where it could be reached through its
restaurant, so that scoping is one indexed filter everywhere and a missing filter fails closed in review.
Child rows copy their tenant from their parent in `save()`; it is never taken from user input.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import zoneinfo
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from tenants.vocabulary import ALLERGENS, DIETARY_TAGS, LANGUAGES


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Use an IANA name such as Europe/Paris or America/New_York.",
            params={"value": value},
        )


def validate_dietary_tags(value: object) -> None:
    _validate_vocabulary(value, DIETARY_TAGS, "dietary tag")


def validate_allergens(value: object) -> None:
    _validate_vocabulary(value, ALLERGENS, "allergen")


def _validate_vocabulary(value: object, vocabulary: dict[str, str], what: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"Expected a list of {what}s.")
    unknown = sorted(set(value) - set(vocabulary))
    if unknown:
        raise ValidationError(
            f"Unknown {what}: %(unknown)s. Choose from: %(known)s.",
            params={"unknown": ", ".join(unknown), "known": ", ".join(vocabulary)},
        )


def new_public_id() -> str:
    # Opaque and unguessable: the widget, the API and job metadata use it, never the database pk.
    return "r_" + secrets.token_hex(8)


currency_validator = RegexValidator(
    r"^[A-Z]{3}$", "Use a three-letter ISO 4217 currency code, such as EUR or USD."
)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tenant(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    max_concurrent_sessions = models.PositiveIntegerField(
        default=10, help_text="How many voice sessions may run at once across this tenant's restaurants."
    )
    suspension_reason = models.CharField(
        max_length=300, blank=True, help_text="Shown to the tenant's owners while it is suspended."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended"]), name="tenant_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OWNER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user_per_tenant"),
            models.CheckConstraint(condition=Q(role__in=["owner", "staff"]), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.tenant} ({self.get_role_display()})"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_normalise(value: str) -> str:
    """A website as a browser names it in the Origin header: scheme://host[:port], lowercase, with no
    path, and no port when it is the scheme's default. Raises ValidationError saying what to type."""
    raw = (value or "").strip()
    example = "Type it like https://www.example.com (scheme and host, optional port, nothing after)."
    if not raw:
        raise ValidationError("Enter a website, e.g. https://www.example.com")
    if "://" not in raw:
        raise ValidationError(f"“{raw}” has no https:// (or http://) in front. {example}")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ValidationError(f"“{raw}” has a port that is not a number from 1 to 65535. {example}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValidationError(f"“{raw}” starts with {scheme}://; a website starts with https:// or http://.")
    if parts.username or parts.password:
        raise ValidationError(f"“{raw}” contains a user name or password; give only the website. {example}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValidationError(
            f"“{raw}” has a path or query after the host; the widget is allowed for a whole website. {example}"
        )
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")  # browsers send international names in this form
    except UnicodeError:
        host = ""
    if not host or not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", host):
        raise ValidationError(f"“{raw}” has no valid host name. {example}")
    if port == 0:
        raise ValidationError(f"“{raw}” has a port that is not a number from 1 to 65535. {example}")
    suffix = f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{host}{suffix}"


class AllowedOrigin(TimeStampedModel):
    """A web origin (scheme://host[:port]) whose pages may embed this tenant's widget. Owners manage
    their tenant's list in the admin ("Allowed websites"); `origin_normalise` is the one spelling."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="allowed_origins")
    origin = models.CharField(
        max_length=255,
        validators=[
            RegexValidator(
                r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$",
                "Enter an origin such as https://www.example.com (scheme and host, optional port, no path).",
            )
        ],
    )

    class Meta:
        ordering = ["origin"]
        verbose_name = "allowed website"
        constraints = [models.UniqueConstraint(fields=["tenant", "origin"], name="allowed_origin_unique")]

    def __str__(self) -> str:
        return self.origin


class ApiScope(models.TextChoices):
    # Every key may start voice sessions (connection-details); the tenant REST API needs one of these.
    READ = "read", "Read restaurants, hours and menus"
    CATALOG_WRITE = "catalog:write", "Change restaurants, hours and menus"
    CALLS_READ = "calls:read", "Read calls and transcripts"


class ApiKey(TimeStampedModel):
    """A server-to-server key (connection-details and the tenant REST API). Only a hash is stored; the key
    is shown once. `scopes` (ApiScope values) grant the REST API; an empty list grants connection-details only,
    which is what every key created before scopes existed keeps."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, default="default")
    prefix = models.CharField(
        max_length=16, unique=True, help_text="Public part of the key, to recognise it."
    )
    hashed_key = models.CharField(max_length=128)
    scopes = models.JSONField(default=list, blank=True, help_text="What the key may do in the REST API.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TenantOwnedQuerySet(models.QuerySet):
    def for_tenants(self, tenant_ids: list[int] | models.QuerySet) -> TenantOwnedQuerySet:
        return self.filter(tenant_id__in=tenant_ids)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        # bulk_create skips save(): copy each row's tenant from its parent here too, never from the caller.
        objs = list(objs)
        for obj in objs:
            inherit = getattr(obj, "tenant_inherit", None)
            if inherit is not None:
                inherit()
        return super().bulk_create(objs, *args, **kwargs)


class Restaurant(TimeStampedModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="restaurants")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=200)
    cuisine = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[0-9 ()./-]{5,40}$", "Enter a phone number, such as +33 1 42 00 00 00.")
        ],
    )
    website = models.URLField(blank=True)
    timezone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_timezone],
        help_text="IANA time zone name.",
    )
    language = models.CharField(max_length=16, choices=list(LANGUAGES.items()), default="en")
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_validator])
    greeting = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the agent says first. Leave empty for “Welcome to (the restaurant’s name). How can I help you?”.",
    )
    voice = models.CharField(
        max_length=100, blank=True, help_text="Text-to-speech voice id; empty for the default."
    )
    extra_instructions = models.TextField(
        blank=True,
        max_length=2000,
        help_text="House rules for the agent, e.g. “We do not take reservations.”",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive restaurants take no calls.")
    # Null until the owner presses "Go live" on the go-live checklist: a new restaurant with no hours and
    # no menu must not answer diners. Set only by the go-live service, never in a form.
    went_live_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="restaurant_name_unique_per_tenant"),
            # The target of the children's composite foreign keys (restaurant_id, tenant_id): the database
            # itself keeps every child's tenant equal to its restaurant's (migration 0005).
            models.UniqueConstraint(fields=["id", "tenant"], name="restaurant_id_tenant_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="restaurant_name_not_empty"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="restaurant_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.went_live_at is not None

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        """Today's date where the restaurant is: the day "sold out today" means."""
        return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(self.timezone)).date()


class RestaurantChild(TimeStampedModel):
    """A row that belongs to one restaurant; its tenant always follows the restaurant's."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.tenant_inherit()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def tenant_inherit(self) -> None:
        """Take the tenant from the restaurant (used by save() and bulk_create)."""
        self.tenant_id = self.restaurant.tenant_id


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(RestaurantChild):
    """One opening interval on a weekday, in the restaurant's local time.

    Several rows on one weekday make split shifts (lunch and dinner). `closes_at` earlier than `opens_at`
    means the interval runs past midnight into the next day (18:00–02:00). A weekday with no rows is closed.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField(help_text="Earlier than the opening time means after midnight.")

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_valid"
            ),
            models.CheckConstraint(
                condition=~Q(opens_at=models.F("closes_at")), name="opening_hours_not_empty_interval"
            ),
            models.UniqueConstraint(
                fields=["restaurant", "weekday", "opens_at"], name="opening_hours_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["restaurant", "weekday"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.opens_at is not None and self.opens_at == self.closes_at:
            raise ValidationError("Opening and closing time are the same. For a closed day, add no hours.")


# The longest closure one entry may hold: a year is a seasonal closure, longer is a typo in the year.
MAX_CLOSURE_DAYS = 366


class SpecialDate(RestaurantChild):
    """An exception to the weekly hours: closed (one date or a range of dates), or open only at the given
    times on one date.

    Rows without times close the restaurant from `date` to `end_date` inclusive (a holiday; no `end_date`:
    that date only). Rows with times replace that date's weekly hours; several rows on one date make a
    split shift. Two closures of one restaurant never overlap: Postgres enforces it with an exclusion
    constraint (migration 0007), `clean()` says so in words first.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="special_dates")
    date = models.DateField(help_text="The date, or the first day of a closure.")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="Last day of a closure over several days (inclusive). Empty: that date only.",
    )
    opens_at = models.TimeField(null=True, blank=True, help_text="Leave both times empty to close all day.")
    closes_at = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=120, blank=True, help_text="Shown to diners, e.g. “Christmas Day”.")

    class Meta:
        ordering = ["date", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(opens_at__isnull=True, closes_at__isnull=True))
                | (Q(opens_at__isnull=False, closes_at__isnull=False) & ~Q(opens_at=models.F("closes_at"))),
                name="special_date_closed_or_valid_interval",
            ),
            models.UniqueConstraint(
                fields=["restaurant", "date"],
                condition=Q(opens_at__isnull=True),
                name="special_date_one_closure_per_date",
            ),
            models.UniqueConstraint(
                fields=["restaurant", "date", "opens_at"],
                condition=Q(opens_at__isnull=False),
                name="special_date_unique_start",
            ),
            # A range is a closure only, and runs forwards. Special opening times are one date each.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date"), opens_at__isnull=True),
                name="special_date_range_is_closure",
            ),
        ]

    def __str__(self) -> str:
        if self.is_closure:
            if self.end_date and self.end_date != self.date:
                return f"{self.date:%Y-%m-%d} to {self.end_date:%Y-%m-%d} closed"
            return f"{self.date:%Y-%m-%d} closed"
        return f"{self.date:%Y-%m-%d} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def is_closure(self) -> bool:
        return self.opens_at is None

    @property
    def last_date(self) -> Any:
        return self.end_date or self.date

    def clean(self) -> None:
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValidationError(
                "Give both an opening and a closing time, or leave both empty to close all day."
            )
        if self.opens_at is not None and self.opens_at == self.closes_at:
            raise ValidationError("Opening and closing time are the same. Leave both empty to close all day.")
        if self.end_date is not None and self.date is not None:
            if self.opens_at is not None and self.end_date != self.date:
                raise ValidationError(
                    {"end_date": "Special opening times are for one date. Leave the last day empty."}
                )
            if self.end_date < self.date:
                raise ValidationError({"end_date": "The last day comes before the first day."})
            if (self.end_date - self.date).days >= MAX_CLOSURE_DAYS:
                raise ValidationError({"end_date": "A closure lasts at most a year. Check the years."})
        if self.is_closure and self.date is not None and self.restaurant_id is not None:
            clash = self.overlapping_closures().first()
            if clash is not None:
                raise ValidationError(
                    f"This closure overlaps another one ({clash}). Change its dates or delete the other one."
                )

    def overlapping_closures(self) -> QuerySet[SpecialDate]:
        """Other closures of this restaurant that share a day with this one."""
        last = self.end_date or self.date
        return (
            SpecialDate.objects.filter(
                restaurant_id=self.restaurant_id, opens_at__isnull=True, date__lte=last
            )
            .filter(Q(end_date__gte=self.date) | Q(end_date__isnull=True, date__gte=self.date))
            .exclude(pk=self.pk)
        )


class MenuCategory(RestaurantChild):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_categories")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["restaurant", "position", "name"]
        verbose_name_plural = "menu categories"
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "name"], name="menu_category_unique_name"),
            # Targets of the items' composite foreign keys: an item's restaurant and tenant are its category's.
            models.UniqueConstraint(
                fields=["id", "restaurant", "tenant"], name="menu_category_id_parent_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="menu_category_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.restaurant})" if self.restaurant_id else self.name


# What a menu file carries for each item (tenants/menu_io.py), besides its category and position.
MENU_ITEM_CONTENT_FIELDS = (
    "name",
    "description",
    "price",
    "currency",
    "dietary_tags",
    "allergens",
    "allergens_declared",
    "is_available",
)


class MenuItem(RestaurantChild):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_items")
    category = models.ForeignKey(MenuCategory, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=160)
    description = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, validators=[currency_validator], blank=True)
    dietary_tags = models.JSONField(default=list, blank=True, validators=[validate_dietary_tags])
    allergens = models.JSONField(default=list, blank=True, validators=[validate_allergens])
    # "Declared none" and "not declared" are different answers to a diner with an allergy: only a
    # declared list (even an empty one) lets the agent say which allergens a dish has. A listed allergen
    # is a declaration, so a non-empty list is always declared (a constraint holds it).
    allergens_declared = models.BooleanField(
        default=False,
        verbose_name="allergens declared",
        help_text="Tick when the allergens above are the dish's complete list (none ticked: it has none of "
        "the 14). Unticked, the agent tells diners it can't confirm the allergens.",
    )
    is_available = models.BooleanField(
        default=True,
        verbose_name="available",
        help_text="Untick to take the dish off the menu until you tick it again. For “sold out today”, "
        "use the restaurant's sold-out board: the dish comes back by itself tomorrow.",
    )
    # "Sold out today": the restaurant-local date on which the dish is sold out. The agent compares it with
    # the call's local date, so the dish is back the next day without a write, a task or a cache flush.
    # A past date means nothing; it is cleared by the next toggle.
    sold_out_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="sold out on",
        help_text="Sold out for this day only (the restaurant's local date); back on sale the day after.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")
    external_id = models.CharField(
        max_length=100,
        blank=True,
        verbose_name="POS id",
        help_text="The item's id in your point-of-sale, so the till can mark it sold out through the API.",
    )

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="menu_item_price_not_negative"),
            models.CheckConstraint(condition=~Q(name=""), name="menu_item_name_not_empty"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="menu_item_currency_iso"),
            models.UniqueConstraint(fields=["category", "name"], name="menu_item_unique_name_in_category"),
            models.CheckConstraint(
                condition=Q(allergens=[]) | Q(allergens_declared=True),
                name="menu_item_listed_allergens_are_declared",
            ),
            models.UniqueConstraint(
                fields=["restaurant", "external_id"],
                condition=~Q(external_id=""),
                name="menu_item_unique_external_id",
            ),
        ]
        indexes = [models.Index(fields=["restaurant", "category", "position"])]

    def __str__(self) -> str:
        return self.name

    def is_sold_out_on(self, day: dt.date) -> bool:
        """Sold out for `day` (a restaurant-local date): only on the very date it was marked."""
        return self.sold_out_on == day

    def tenant_inherit(self) -> None:
        # The category decides the restaurant (and so the tenant); neither is ever taken from input.
        if self.restaurant_id != self.category.restaurant_id:
            self.restaurant_id = self.category.restaurant_id
        super().tenant_inherit()
        if not self.currency:
            self.currency = self.restaurant.currency
        if self.allergens:
            self.allergens_declared = True


class MenuImport(TimeStampedModel):
    """One uploaded menu file and what became of it. Large files are applied by a Celery task."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "waiting for confirmation"
        PENDING = "pending", "waiting to run"
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "imported"
        FAILED = "failed", "failed (nothing changed)"
        STALE = "stale", "not applied: the menu changed after the preview"

    class Mode(models.TextChoices):
        UPDATE = "update", "update and add items in existing categories"
        REPLACE = "replace", "replace the whole menu"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("json", "JSON")])
    # "update" by default: replacing the whole menu (and removing what the file leaves out) is a choice.
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.UPDATE)
    # The validated file, kept so a background import reads exactly what was checked.
    content = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    problems = models.JSONField(default=list, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=300, blank=True)
    # What the file would change (tenants/menu_import.py `menu_plan`), shown before the owner confirms,
    # and a hash of the menu it was computed against: a confirm applies only to that same menu.
    preview = models.JSONField(default=dict, blank=True)
    menu_fingerprint = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenantOwnedQuerySet] = TenantOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["restaurant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename or self.file_format} → {self.restaurant} ({self.get_status_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.tenant_inherit()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def tenant_inherit(self) -> None:
        self.tenant_id = self.restaurant.tenant_id

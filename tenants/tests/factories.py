from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import User

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


class TenantFactory(factory.django.DjangoModelFactory[Tenant]):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class AllowedOriginFactory(factory.django.DjangoModelFactory[AllowedOrigin]):
    class Meta:
        model = AllowedOrigin

    tenant = factory.SubFactory(TenantFactory)
    origin = factory.Sequence(lambda n: f"https://site{n}.example")


class RestaurantFactory(factory.django.DjangoModelFactory[Restaurant]):
    class Meta:
        model = Restaurant

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Restaurant {n}")
    cuisine = "Italian"
    address = "1 Main Street"
    phone = "+44 20 7946 0000"
    timezone = "Europe/London"
    language = "en"
    currency = "EUR"
    # Most tests are about a restaurant that takes calls; the go-live tests build one that does not.
    went_live_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


class OpeningHoursFactory(factory.django.DjangoModelFactory[OpeningHours]):
    class Meta:
        model = OpeningHours

    restaurant = factory.SubFactory(RestaurantFactory)
    weekday = 0
    opens_at = dt.time(12, 0)
    closes_at = dt.time(22, 0)


class SpecialDateFactory(factory.django.DjangoModelFactory[SpecialDate]):
    class Meta:
        model = SpecialDate

    restaurant = factory.SubFactory(RestaurantFactory)
    date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=7))
    note = "Holiday"


class MenuCategoryFactory(factory.django.DjangoModelFactory[MenuCategory]):
    class Meta:
        model = MenuCategory

    restaurant = factory.SubFactory(RestaurantFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class MenuItemFactory(factory.django.DjangoModelFactory[MenuItem]):
    class Meta:
        model = MenuItem

    category = factory.SubFactory(MenuCategoryFactory)
    restaurant = factory.SelfAttribute("category.restaurant")
    name = factory.Sequence(lambda n: f"Dish {n}")
    description = "Tasty"
    price = Decimal("9.50")

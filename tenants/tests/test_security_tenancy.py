"""Issue 17.4: a restaurant's tenant is an operator's decision, and the database keeps every child with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, BookingSettings, BookingTable, DurationRule, Table
from calls.models import CallRecord, CallRefusalCount, Message
from owners.models import OwnerAlert
from telephony.models import PhoneNumber
from tenants.models import (
    Membership,
    MenuCategory,
    MenuImport,
    MenuItem,
    OpeningHours,
    Restaurant,
    SpecialDate,
)
from tenants.services import restaurant_child_models, restaurant_tenant_change
from tenants.tests.factories import MembershipFactory, MenuCategoryFactory, RestaurantFactory, TenantFactory
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def CallRecordFactory(*, tenant, restaurant) -> CallRecord:
    import datetime as dt
    import uuid

    from django.utils import timezone

    now = timezone.now()
    return CallRecord.objects.create(
        tenant=tenant,
        restaurant=restaurant,
        restaurant_name=restaurant.name,
        job_id=f"AJ_{uuid.uuid4().hex[:12]}",
        room_name="hl-room",
        started_at=now - dt.timedelta(minutes=2),
        ended_at=now,
        duration_seconds=120,
        end_reason="participant_disconnected",
    )


# Every tenant-owned model with a parent, and the parent columns its tenant must follow.
EXPECTED_PARENTS = {
    OpeningHours: ["restaurant_id"],
    SpecialDate: ["restaurant_id"],
    MenuCategory: ["restaurant_id"],
    MenuItem: ["restaurant_id", "category_id"],
    MenuImport: ["restaurant_id"],
    CallRecord: ["restaurant_id"],
    CallRefusalCount: ["restaurant_id"],
    OwnerAlert: ["restaurant_id"],
    WebhookEvent: ["restaurant_id"],
    Message: ["restaurant_id"],
    PhoneNumber: ["restaurant_id"],
    BookingSettings: ["restaurant_id"],
    DurationRule: ["restaurant_id"],
    Table: ["restaurant_id"],
    Booking: ["restaurant_id"],
    BookingTable: ["restaurant_id"],
}


def _composite_keys(table: str) -> list[set[str]]:
    """The column sets of the multi-column foreign keys on `table` (from Postgres' catalog)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT array_agg(a.attname::text)
            FROM pg_constraint c
            JOIN LATERAL unnest(c.conkey) AS k(attnum) ON true
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.contype = 'f' AND c.conrelid = %s::regclass
            GROUP BY c.oid HAVING count(*) > 1
            """,
            [table],
        )
        return [set(row[0]) for row in cursor.fetchall()]


def test_every_model_with_a_tenant_and_a_restaurant_is_covered():
    # A new app's model (bookings, phone numbers...) with a tenant and a restaurant joins this list, and
    # the test below then demands its database constraint.
    assert set(restaurant_child_models()) == set(EXPECTED_PARENTS)


@pytest.mark.parametrize("model", list(EXPECTED_PARENTS), ids=lambda m: m.__name__)
def test_the_database_holds_each_childs_tenant_to_its_parents(model):
    keys = _composite_keys(model._meta.db_table)
    for parent_column in EXPECTED_PARENTS[model]:
        assert any({parent_column, "tenant_id"} <= key for key in keys), (model, keys)


def _rows(world) -> dict[type, object]:
    restaurant = world.restaurant
    category = MenuCategory.objects.filter(restaurant=restaurant).first()
    return {
        OpeningHours: OpeningHours.objects.filter(restaurant=restaurant).first(),
        SpecialDate: SpecialDate.objects.filter(restaurant=restaurant).first(),
        MenuCategory: category,
        MenuItem: MenuItem.objects.filter(category=category).first(),
        MenuImport: MenuImport.objects.create(restaurant=restaurant, file_format="csv"),
        CallRecord: CallRecordFactory(tenant=world.tenant, restaurant=restaurant),
        CallRefusalCount: CallRefusalCount.objects.create(
            tenant=world.tenant, restaurant=restaurant, reason="busy", period_start=timezone.now()
        ),
        OwnerAlert: OwnerAlert.objects.create(
            tenant=world.tenant, restaurant=restaurant, kind="agent_error", day=timezone.now().date()
        ),
        WebhookEvent: WebhookEvent.objects.create(
            tenant=world.tenant, restaurant=restaurant, type="menu.changed", body={}
        ),
        Message: Message.objects.create(
            tenant=world.tenant,
            restaurant=restaurant,
            call_record=CallRecordFactory(tenant=world.tenant, restaurant=restaurant),
            caller_name="Sam",
            about="A table",
            received_at=timezone.now(),
        ),
        PhoneNumber: PhoneNumber.objects.create(
            number=f"+4420794601{restaurant.pk % 100:02d}", restaurant=restaurant
        ),
        **_booking_rows(restaurant),
    }


def _booking_rows(restaurant) -> dict[type, object]:
    start = timezone.now() + dt.timedelta(days=3)
    table = Table.objects.create(restaurant=restaurant, name="T1", seats=2)
    booking = Booking.objects.create(
        restaurant=restaurant,
        reference=f"R{restaurant.pk:05d}",
        party_size=2,
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        service_date=start.date(),
        name="Ada",
    )
    return {
        BookingSettings: BookingSettings.objects.create(restaurant=restaurant),
        DurationRule: DurationRule.objects.create(restaurant=restaurant, max_party_size=2, minutes=60),
        Table: table,
        Booking: booking,
        BookingTable: BookingTable.objects.create(
            restaurant=restaurant,
            booking=booking,
            table=table,
            start_at=booking.start_at,
            end_at=booking.end_at,
        ),
    }


def _refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked now, not at a commit tests never reach
            cursor.execute(sql, params)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("model", list(EXPECTED_PARENTS), ids=lambda m: m.__name__)
def test_a_childs_tenant_cannot_be_moved_away_from_its_parents_even_in_raw_sql(world_a, world_b, model):
    row = _rows(world_a)[model]
    table = model._meta.db_table

    assert _refused(f"UPDATE {table} SET tenant_id = %s WHERE id = %s", [world_b.tenant.pk, row.pk])  # noqa: S608

    row.refresh_from_db()
    assert row.tenant_id == world_a.tenant.pk


def test_a_restaurant_cannot_move_without_its_children_even_in_raw_sql(world_a, world_b):
    assert _refused(
        "UPDATE tenants_restaurant SET tenant_id = %s WHERE id = %s",
        [world_b.tenant.pk, world_a.restaurant.pk],
    )


def test_an_item_cannot_sit_under_another_restaurants_category(world_a):
    other = RestaurantFactory(tenant=world_a.tenant)
    foreign_category = MenuCategoryFactory(restaurant=other)
    item = MenuItem.objects.filter(restaurant=world_a.restaurant).first()

    assert _refused(
        "UPDATE tenants_menuitem SET category_id = %s WHERE id = %s", [foreign_category.pk, item.pk]
    )


@pytest.fixture
def staff_of_b_owning_others(world_a, world_b):
    """The attacker of the finding: staff at Bravo, owner of Alpha and of a third tenant."""
    user = world_b.member
    MembershipFactory(tenant=world_a.tenant, user=user, role=Membership.Role.OWNER)
    MembershipFactory(
        tenant=TenantFactory(name="Charlie", slug="charlie"), user=user, role=Membership.Role.OWNER
    )
    return user


def _restaurant_post(restaurant: Restaurant, **changes: object) -> dict:
    data = {
        "name": restaurant.name,
        "timezone": restaurant.timezone,
        "language": restaurant.language,
        "currency": restaurant.currency,
        "is_active": "on",
        **{
            f"{p}-{k}": "0"
            for p in ["opening_hours", "special_dates", "menu_categories"]
            for k in ["TOTAL_FORMS", "INITIAL_FORMS"]
        },
    }
    data.update(changes)
    return data


def test_owners_and_staff_get_no_field_that_moves_a_restaurant(world_a, world_b, staff_of_b_owning_others):
    client = world_b.client_for(staff_of_b_owning_others)
    url = reverse("admin:tenants_restaurant_change", args=[world_b.restaurant.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _restaurant_post(world_b.restaurant, tenant=str(world_a.tenant.pk)))

    assert 'name="tenant"' not in page
    assert response.status_code == 302  # the other fields saved; the tenant was not among them
    world_b.restaurant.refresh_from_db()
    assert world_b.restaurant.tenant == world_b.tenant
    assert MenuCategory.objects.filter(restaurant=world_b.restaurant, tenant=world_b.tenant).count() == 1


def test_an_owner_of_several_tenants_picks_one_only_when_adding(world_a, world_b, staff_of_b_owning_others):
    client = world_b.client_for(staff_of_b_owning_others)
    page = client.get(reverse("admin:tenants_restaurant_add")).content.decode()
    assert 'name="tenant"' in page


def test_a_category_stays_with_its_restaurant(world_a, world_b, staff_of_b_owning_others):
    client = world_b.client_for(staff_of_b_owning_others)
    category = MenuCategory.objects.get(restaurant=world_b.restaurant)
    url = reverse("admin:tenants_menucategory_change", args=[category.pk])

    client.post(
        url,
        {
            "restaurant": str(world_a.restaurant.pk),
            "name": category.name,
            "position": "0",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )

    category.refresh_from_db()
    assert category.restaurant == world_b.restaurant and category.tenant == world_b.tenant


def test_an_item_may_not_be_moved_to_another_restaurants_category(world_a, world_b, staff_of_b_owning_others):
    client = world_b.client_for(staff_of_b_owning_others)
    item = MenuItem.objects.get(restaurant=world_b.restaurant)
    foreign = MenuCategory.objects.get(restaurant=world_a.restaurant)

    response = client.post(
        reverse("admin:tenants_menuitem_change", args=[item.pk]),
        {"category": str(foreign.pk), "name": item.name, "price": "5.00", "currency": "EUR", "position": "0"},
    )

    assert "Choose a category of this item’s own restaurant." in response.content.decode()
    item.refresh_from_db()
    assert item.category.restaurant == world_b.restaurant and item.tenant == world_b.tenant


def test_an_operator_moves_a_restaurant_and_its_catalog_follows(world_a, world_b, operator):
    record = CallRecordFactory(tenant=world_a.tenant, restaurant=world_a.restaurant)
    client = world_a.client_for(operator)

    response = client.post(
        reverse("admin:tenants_restaurant_change", args=[world_a.restaurant.pk]),
        _restaurant_post(world_a.restaurant, tenant=str(world_b.tenant.pk)),
    )

    assert response.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what commit would check: all consistent
    restaurant = Restaurant.objects.get(pk=world_a.restaurant.pk)
    assert restaurant.tenant == world_b.tenant
    for model in (OpeningHours, SpecialDate, MenuCategory, MenuItem):
        assert set(model.objects.filter(restaurant=restaurant).values_list("tenant_id", flat=True)) == {
            world_b.tenant.pk
        }
    # The calls it had stay with the tenant they happened under, detached, name kept.
    record.refresh_from_db()
    assert record.tenant == world_a.tenant and record.restaurant is None
    assert record.restaurant_name


def test_moving_to_the_same_tenant_changes_nothing(world_a):
    before = list(MenuItem.objects.values_list("pk", "tenant_id", "updated_at"))
    restaurant_tenant_change(restaurant=world_a.restaurant, tenant=world_a.tenant)
    assert list(MenuItem.objects.values_list("pk", "tenant_id", "updated_at")) == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_rows_that_already_point_across_tenants():
    """Deployments hit by the finding have children in another tenant than their parent: the parent wins."""
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("tenants", "0004_go_live_and_suspension_reason"),
        ("calls", "0002_owner_channel_outcome_refusals"),
        ("owners", "0001_owner_alerts"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Tenant = old.get_model("tenants", "Tenant")
    mine, theirs = Tenant.objects.create(name="A", slug="a"), Tenant.objects.create(name="B", slug="b")
    restaurant = old.get_model("tenants", "Restaurant").objects.create(
        tenant=mine, public_id="r_moved", name="Moved"
    )
    # The state the finding left behind: the restaurant moved to B, its children still say A.
    category = old.get_model("tenants", "MenuCategory").objects.create(
        tenant=mine, restaurant=restaurant, name="Mains"
    )
    item = old.get_model("tenants", "MenuItem").objects.create(
        tenant=mine, restaurant=restaurant, category=category, name="Soup", price="5.00", currency="EUR"
    )
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    record = old.get_model("calls", "CallRecord").objects.create(
        tenant=mine,
        restaurant=restaurant,
        restaurant_name="Moved",
        job_id="AJ_moved",
        room_name="r",
        started_at=now,
        ended_at=now,
        duration_seconds=0,
        end_reason="ended",
    )
    old.get_model("tenants", "Restaurant").objects.filter(pk=restaurant.pk).update(tenant=theirs)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert MenuCategory.objects.get(pk=category.pk).tenant_id == theirs.pk
    assert MenuItem.objects.get(pk=item.pk).tenant_id == theirs.pk
    kept = CallRecord.objects.get(pk=record.pk)
    assert kept.tenant_id == mine.pk and kept.restaurant_id is None and kept.restaurant_name == "Moved"

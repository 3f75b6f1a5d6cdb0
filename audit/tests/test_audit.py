"""The audit trail: who changed what, through every door, and only the right people can read it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from audit.context import audit_context
from audit.models import AuditEntry
from audit.registry import audited_models
from audit.services import audit_record
from tenants.api_keys import api_key_create
from tenants.models import MenuItem, Tenant

pytestmark = pytest.mark.django_db


def _item(world) -> MenuItem:
    return MenuItem.objects.get(restaurant=world.restaurant)


def _item_form(item: MenuItem, **changes) -> dict:
    data = {
        "category": item.category_id,
        "name": item.name,
        "description": item.description,
        "price": str(item.price),
        "currency": item.currency,
        "is_available": "on" if item.is_available else "",
        "position": item.position,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_owners_admin_edit_records_who_when_and_which_fields(world_a):
    item = _item(world_a)
    old_price = item.price
    client = world_a.client_for(world_a.owner)
    AuditEntry.objects.all().delete()
    response = client.post(
        reverse("admin:tenants_menuitem_change", args=[item.pk]), _item_form(item, price="23.50")
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.actor == world_a.owner and entry.actor_label == world_a.owner.username
    assert entry.source == "admin" and entry.action == "update"
    assert entry.tenant_id == world_a.tenant.pk
    assert entry.object_type == "tenants.menuitem" and entry.object_id == str(item.pk)
    assert entry.changes == {"price": [str(old_price), "23.50"]}
    assert entry.request_id  # ties the entry to the request's log lines
    assert not entry.actor_is_operator


def test_the_owner_reads_the_change_in_the_admin(world_a):
    item = _item(world_a)
    client = world_a.client_for(world_a.owner)
    client.post(reverse("admin:tenants_menuitem_change", args=[item.pk]), _item_form(item, price="23.50"))
    entry = AuditEntry.objects.filter(object_type="tenants.menuitem", action="update").get()
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).content.decode()
    assert "23.50" in page and world_a.owner.username in page
    listing = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert "price:" in listing


def test_creates_and_deletes_are_recorded_with_their_values(world_a):
    client = world_a.client_for(world_a.owner)
    item = _item(world_a)
    AuditEntry.objects.all().delete()
    client.post(reverse("admin:tenants_menuitem_delete", args=[item.pk]), {"post": "yes"})
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["name"] == [item.name, None]
    assert entry.object_repr and entry.tenant_id == world_a.tenant.pk


def test_the_sold_out_action_is_recorded_per_item(world_a):
    client = world_a.client_for(world_a.member)
    item = _item(world_a)
    client.post(
        reverse("admin:tenants_menuitem_changelist"),
        {"action": "mark_sold_out", "_selected_action": [item.pk]},
    )
    entry = AuditEntry.objects.get(object_type="tenants.menuitem", action="update")
    assert entry.changes == {"is_available": [True, False]} and entry.actor == world_a.member


def test_a_menu_import_is_one_entry_by_the_uploader(world_a):
    client = world_a.client_for(world_a.owner)
    AuditEntry.objects.all().delete()
    csv = b"category,name,price\nMains,Soup,7.50\nMains,Stew,12\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("admin:tenants_restaurant_menu_import", args=[world_a.restaurant.pk]),
        {"file": SimpleUploadedFile("menu.csv", csv), "mode": "replace"},
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.exists(), "a preview changes nothing"
    response = client.post(response["Location"])  # confirm the preview
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "menu.import" and entry.source == "import"
    assert entry.actor == world_a.owner and entry.tenant_id == world_a.tenant.pk
    assert "2 added" in entry.detail and entry.changes["file"] == "menu.csv"


def test_commands_record_the_host_user_and_the_command(world_a):
    call_command("tenant_status", world_a.tenant.slug, "suspend")
    entry = AuditEntry.objects.get(action="tenant.suspend")
    assert entry.source == "command" and "manage.py tenant_status" in entry.actor_label
    assert entry.changes == {"status": ["active", "suspended"]} and entry.tenant_id == world_a.tenant.pk


def test_onboarding_by_command_records_every_row_it_made(db):
    call_command(
        "onboard_tenant",
        "--name", "Casa Nova",
        "--owner-email", "owner@casanova.example",
        "--restaurant", "Casa Nova Centro",
        "--timezone", "Europe/Lisbon",
    )  # fmt: skip
    tenant = Tenant.objects.get(slug="casa-nova")
    entries = AuditEntry.objects.filter(source="command")
    kinds = {(e.action, e.object_type) for e in entries}
    assert ("tenant.onboard", "tenants.tenant") in kinds
    assert {
        ("create", "tenants.tenant"),
        ("create", "tenants.restaurant"),
        ("create", "tenants.apikey"),
    } <= kinds
    assert all(e.tenant_id == tenant.pk for e in entries if e.object_type.startswith("tenants."))


def test_operator_actions_are_marked_and_visible_only_to_operators(world_a, operator):
    client = Client()
    client.force_login(operator)
    client.post(
        reverse("admin:tenants_tenant_changelist"),
        {"action": "suspend", "_selected_action": [world_a.tenant.pk], "confirm": "yes"},
    )
    entry = AuditEntry.objects.get(action="tenant.suspend")
    assert entry.actor == operator and entry.actor_is_operator and entry.source == "admin"


def test_services_called_from_an_api_bind_their_actor(world_a):
    item = _item(world_a)
    with audit_context(source="api", user=world_a.owner):
        item.name = "Renamed by API"
        item.save()
    entry = AuditEntry.objects.get(action="update", object_type="tenants.menuitem")
    assert entry.source == "api" and entry.actor == world_a.owner
    assert entry.changes["name"][1] == "Renamed by API"


def test_no_secret_is_ever_stored(world_a, operator):
    api_key_create(tenant=world_a.tenant, name="server")
    key_entry = AuditEntry.objects.get(object_type="tenants.apikey")
    assert key_entry.changes["hashed_key"] == ["", "(set)"]
    operator.set_password("a-new-Long-password-1")
    operator.save()
    pw_entry = AuditEntry.objects.filter(object_type="auth.user", action="update").latest("id")
    assert pw_entry.changes == {"password": ["", "(changed)"]}
    assert pw_entry.tenant_id is None  # user accounts are for operators' eyes only


def test_a_rolled_back_change_leaves_no_entry(world_a):
    item = _item(world_a)
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        item.price = Decimal("99.00")
        item.save()
        raise RuntimeError
    assert AuditEntry.objects.count() == before


def test_every_tenant_owned_model_is_audited():
    from django.apps import apps

    tenant_owned = {
        m
        for m in apps.get_models()
        if any(f.name == "tenant" for f in m._meta.get_fields()) and m._meta.app_label == "tenants"
    }
    # Menu imports are recorded as one "menu.import" entry each instead of row by row.
    from tenants.models import MenuImport

    assert tenant_owned - {MenuImport} <= set(audited_models())


# --- isolation: owner / member / outsider ------------------------------------------------------------------


@pytest.fixture
def b_entry(world_b):
    return audit_record(
        action="update", obj=world_b.restaurant, changes={"name": ["x", "Bravo Secret Rename"]}
    )


@pytest.mark.parametrize("role", ["owner", "member", "outsider"])
def test_nobody_reads_another_tenants_entries(world_a, world_b, outsider, b_entry, role):
    user = outsider if role == "outsider" else getattr(world_a, role)
    client = world_a.client_for(user)
    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    assert "Bravo Secret Rename" not in listing.content.decode()
    assert "Bravo Bistro" not in listing.content.decode()
    detail = client.get(reverse("admin:audit_auditentry_change", args=[b_entry.pk]))
    assert detail.status_code in {302, 403, 404}
    assert "Bravo Secret Rename" not in detail.content.decode()


@pytest.mark.parametrize("role", ["owner", "member", "outsider"])
def test_nobody_changes_or_deletes_an_entry(world_a, world_b, outsider, b_entry, role, operator):
    own = audit_record(action="update", obj=world_a.restaurant, changes={"name": ["a", "b"]})
    for user in (outsider if role == "outsider" else getattr(world_a, role), operator):
        client = world_a.client_for(user)
        for entry in (own, b_entry):
            client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"detail": "forged"})
            client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
            client.post(
                reverse("admin:audit_auditentry_changelist"),
                {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
            )
    for entry in (own, b_entry):
        fresh = AuditEntry.objects.get(pk=entry.pk)
        assert fresh.detail == "" and fresh.changes == entry.changes


def test_owners_read_their_own_members_do_not_operators_read_all(world_a, world_b, operator, b_entry):
    own = audit_record(
        action="update", obj=world_a.restaurant, changes={"name": ["a", "Alpha Visible Rename"]}
    )
    owner_page = (
        world_a.client_for(world_a.owner).get(reverse("admin:audit_auditentry_changelist")).content.decode()
    )
    assert "Alpha Bistro" in owner_page
    member = world_a.client_for(world_a.member).get(reverse("admin:audit_auditentry_changelist"))
    assert member.status_code == 403
    op = world_a.client_for(operator).get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert "Alpha Bistro" in op and "Bravo Bistro" in op
    assert own.pk and b_entry.pk


def test_an_api_request_authenticated_by_drf_is_recorded_as_its_user(world_a, settings):
    # DRF authenticates inside the view, after the middleware bound the request: the actor is read then.
    settings.ROOT_URLCONF = "audit.tests.api_urls"
    item = _item(world_a)
    response = Client().post(
        f"/api/v1/items/{item.pk}/rename",
        {"name": "Renamed over the API"},
        content_type="application/json",
        headers={"X-Test-User": world_a.owner.username},
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="update", object_type="tenants.menuitem")
    assert entry.source == "api" and entry.actor == world_a.owner
    assert entry.changes["name"] == [f"{world_a.tenant.name} Secret Dish", "Renamed over the API"]

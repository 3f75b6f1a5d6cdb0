"""Menu import, issue 19: preview first (added, changed, removed, cleared), confirm applies exactly that,
a preview of a menu that changed since is refused, and the import is in the restaurant's history."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tenants import tasks
from tenants.menu_import import (
    STALE_MESSAGE,
    menu_import_apply,
    menu_import_confirm,
    menu_import_preview,
)
from tenants.models import MenuCategory, MenuImport, MenuItem
from tenants.selectors import MENU_EXAMPLES_DIR
from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory

pytestmark = pytest.mark.django_db

HEADER = "category,name,description,price,dietary_tags,allergens,available\n"


def menu_state(restaurant) -> list[tuple]:
    return list(
        MenuItem.objects.filter(restaurant=restaurant)
        .order_by("pk")
        .values_list("pk", "category__name", "name", "description", "price", "allergens", "is_available")
    ) + list(MenuCategory.objects.filter(restaurant=restaurant).order_by("pk").values_list("pk", "name"))


@pytest.fixture
def menu(world_a):
    """Alpha Bistro: "Alpha Mains" (from the shared world) plus a Mains category with two dishes."""
    mains = MenuCategoryFactory(restaurant=world_a.restaurant, name="Mains", description="From the grill")
    MenuItemFactory(
        category=mains,
        name="Sea Bass",
        description="Line-caught",
        price=Decimal("24.00"),
        dietary_tags=["gluten-free"],
        allergens=["fish", "milk"],
    )
    MenuItemFactory(category=mains, name="Steak", description="", price=Decimal("30.00"), allergens=[])
    return world_a.restaurant


def preview(restaurant, text: str, mode: str = "update") -> MenuImport:
    return menu_import_preview(
        restaurant=restaurant, data=text.encode(), file_format="csv", mode=mode, filename="menu.csv"
    )


def test_an_update_preview_lists_added_changed_and_cleared_and_changes_nothing(menu):
    before = menu_state(menu)

    record = preview(
        menu,
        HEADER
        + "Mains,Sea Bass,,26.00,gluten-free,fish,yes\n"  # price up, description and milk cleared
        + "Mains,Risotto,Creamy,18.00,vegetarian,milk,yes\n",  # new
    )

    assert record.status == MenuImport.Status.PREVIEW
    assert menu_state(menu) == before, "a preview writes nothing"
    p = record.preview
    assert p["counts"] == {
        "categories_added": 0,
        "categories_changed": 0,
        "categories_removed": 0,
        "items_added": 1,
        "items_changed": 1,
        "items_removed": 0,
        "cleared": 2,
        "moved": 0,
    }
    assert p["items_added"] == [{"category": "Mains", "name": "Risotto", "price": "18.00"}]
    [changed] = p["items_changed"]
    assert changed["name"] == "Sea Bass"
    assert {"field": "price", "old": "24.00", "new": "26.00"} in changed["fields"]
    assert {"field": "description", "old": "Line-caught", "new": ""} in changed["fields"]
    assert {"field": "allergens", "old": "fish, milk", "new": "fish"} in changed["fields"]
    cleared = {(c["name"], c["field"], c["values"]) for c in p["cleared"]}
    assert cleared == {("Sea Bass", "allergens", "milk"), ("Sea Bass", "description", "Line-caught")}
    assert p["items_removed"] == [] and p["categories_removed"] == [], "update never removes"
    assert "1 added, 1 changed, 0 removed" in record.summary


def test_a_replace_preview_lists_what_the_file_leaves_out_as_removed(menu):
    record = preview(
        menu, HEADER + "Mains,Steak,,30.00,,,yes\nDesserts,Tiramisù,,7.00,,eggs|milk,yes\n", "replace"
    )

    p = record.preview
    assert [c["name"] for c in p["categories_added"]] == ["Desserts"]
    assert [c["name"] for c in p["categories_removed"]] == ["Alpha Mains"]
    assert {(i["category"], i["name"]) for i in p["items_removed"]} == {
        ("Mains", "Sea Bass"),
        ("Alpha Mains", "Alpha Secret Dish"),
    }
    assert [i["name"] for i in p["items_added"]] == ["Tiramisù"]
    assert p["items_changed"] == [], "Steak is as stored"
    # The category's description column is absent: left alone, not cleared.
    assert not [c for c in p["cleared"] if c["field"] == "description"]


def test_confirm_applies_exactly_the_preview_once_and_records_it_in_the_history(menu, world_a):
    record = preview(menu, HEADER + "Mains,Sea Bass,Line-caught,26.00,gluten-free,fish|milk,no\n")

    done = menu_import_confirm(menu_import_id=record.pk)
    again = menu_import_confirm(menu_import_id=record.pk)  # a double click

    assert done.status == MenuImport.Status.SUCCEEDED, done.problems
    assert again.status == MenuImport.Status.SUCCEEDED and again.finished_at == done.finished_at
    bass = MenuItem.objects.get(restaurant=menu, name="Sea Bass")
    assert (bass.price, bass.is_available, bass.description) == (Decimal("26.00"), False, "Line-caught")
    assert MenuItem.objects.filter(restaurant=menu).count() == 3


def test_a_stale_preview_is_refused_and_nothing_changes(menu):
    record = preview(menu, HEADER + "Mains,Sea Bass,,26.00,,,yes\n")
    MenuItem.objects.filter(name="Steak").update(price=Decimal("31.00"))  # someone edits meanwhile
    before = menu_state(menu)

    done = menu_import_confirm(menu_import_id=record.pk)

    assert done.status == MenuImport.Status.STALE
    assert done.problems == [{"where": "", "message": STALE_MESSAGE}]
    assert menu_state(menu) == before


def test_an_owner_uploads_sees_the_preview_confirms_and_finds_it_in_the_history(menu, world_a):
    client = world_a.client_for(world_a.owner)
    upload_url = reverse("admin:tenants_restaurant_menu_import", args=[menu.pk])
    form = client.get(upload_url).content.decode()
    assert re.search(r'<input[^>]*value="update"[^>]*checked', form), "update is the default mode"
    assert reverse("admin:tenants_menu_format") in form, "the help links to the app's format page"
    assert "docs/menu-import.md" not in form
    before = menu_state(menu)

    response = client.post(
        upload_url,
        {"file": SimpleUploadedFile("menu.csv", (HEADER + "Mains,Sea Bass,,26.00,,fish,yes\n").encode())},
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert menu_state(menu) == before
    assert "Nothing has changed yet" in page and "Apply these changes" in page
    assert "24.00" in page and "26.00" in page and "Line-caught" in page  # old → new, and what is cleared
    assert "Values that will be cleared" in page

    response = client.post(response["Location"])

    assert response.status_code == 302 and response["Location"].endswith(f"/{menu.pk}/change/")
    assert MenuItem.objects.get(restaurant=menu, name="Sea Bass").price == Decimal("26.00")
    entry = LogEntry.objects.get(object_id=str(menu.pk), content_type__model="restaurant")
    assert entry.user == world_a.owner and "Imported the menu from menu.csv" in entry.change_message
    history = client.get(reverse("admin:tenants_restaurant_history", args=[menu.pk])).content.decode()
    assert "Imported the menu from menu.csv" in history and "1 changed" in history


def test_confirming_a_stale_preview_in_the_admin_shows_a_fresh_one(menu, world_a):
    client = world_a.client_for(world_a.owner)
    record = preview(menu, HEADER + "Mains,Sea Bass,,26.00,,fish,yes\n")
    MenuItem.objects.filter(name="Sea Bass").update(price=Decimal("25.00"))
    url = reverse("admin:tenants_restaurant_menu_import_preview", args=[menu.pk, record.pk])

    response = client.post(url, follow=True)

    page = response.content.decode()
    assert "was changed after this preview" in page
    fresh = MenuImport.objects.filter(status=MenuImport.Status.PREVIEW).get()
    assert fresh.pk != record.pk and response.redirect_chain[-1][0].endswith(f"/import/{fresh.pk}/")
    assert "25.00" in page, "the new preview compares with the menu as it is now"
    assert MenuItem.objects.get(name="Sea Bass").price == Decimal("25.00")


def test_another_tenant_can_neither_see_nor_confirm_a_preview(menu, world_a, world_b, outsider):
    record = preview(menu, HEADER + "Mains,Sea Bass,,1.00,,,yes\n")
    url = reverse("admin:tenants_restaurant_menu_import_preview", args=[menu.pk, record.pk])
    before = menu_state(menu)
    for user in (world_b.owner, world_b.member):
        client = world_b.client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        # Their own restaurant's URL with this import's id: not theirs either.
        own = reverse("admin:tenants_restaurant_menu_import_preview", args=[world_b.restaurant.pk, record.pk])
        assert client.post(own).status_code == 404
    assert world_b.client_for(outsider).post(url).status_code in (302, 403, 404)
    assert menu_state(menu) == before
    assert MenuImport.objects.get(pk=record.pk).status == MenuImport.Status.PREVIEW


def test_the_format_page_and_its_example_are_served_and_the_example_previews_cleanly(world_a):
    client = world_a.client_for(world_a.member)
    page = client.get(reverse("admin:tenants_menu_format")).content.decode()
    for word in (
        "allergens_declared",
        "gluten-free",
        "molluscs",
        "category_description",
        "Tagliatelle al ragù",
    ):
        assert word in page
    example = client.get(reverse("admin:tenants_menu_example", args=["csv"]))
    assert example.status_code == 200 and "attachment" in example["Content-Disposition"]
    assert example.content == (MENU_EXAMPLES_DIR / "menu.csv").read_bytes()
    assert client.get(reverse("admin:tenants_menu_example", args=["xml"])).status_code == 404

    record = menu_import_preview(
        restaurant=world_a.restaurant, data=example.content, file_format="csv", mode="replace"
    )
    assert record.status == MenuImport.Status.PREVIEW, record.problems
    assert [c["name"] for c in record.preview["categories_removed"]] == ["Alpha Mains"]


def test_the_format_page_is_for_signed_in_staff_only(client, outsider):
    assert client.get(reverse("admin:tenants_menu_format")).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(reverse("admin:tenants_menu_format")).status_code == 403


def test_the_task_reads_its_argument_tolerantly(menu):
    record = preview(menu, HEADER + "Mains,Sea Bass,,26.00,,fish,yes\n")
    MenuImport.objects.filter(pk=record.pk).update(status=MenuImport.Status.PENDING)

    assert tasks.menu_import_apply(str(record.pk), "extra") == MenuImport.Status.SUCCEEDED
    assert tasks.menu_import_apply(10**9) == "missing"
    assert tasks.menu_import_apply("not-an-id") == "missing"


def test_an_import_queued_before_previews_existed_still_applies(menu):
    """A PENDING row with no fingerprint (queued by the previous release) applies as it always did."""
    record = MenuImport.objects.create(
        restaurant=menu, file_format="csv", mode="update", content=HEADER + "Mains,Steak,,33.00,,,yes\n"
    )
    assert menu_import_apply(menu_import_id=record.pk).status == MenuImport.Status.SUCCEEDED
    assert MenuItem.objects.get(name="Steak").price == Decimal("33.00")


def test_the_command_previews_without_changing_anything(menu, tmp_path):
    path = tmp_path / "menu.csv"
    path.write_text(HEADER + "Mains,Sea Bass,,26.00,,fish,yes\n")
    before = menu_state(menu)
    out = io.StringIO()

    call_command("import_menu", menu.public_id, str(path), "--preview", stdout=out)

    assert "nothing changed yet" in out.getvalue() and "price 24.00 → 26.00" in out.getvalue()
    assert menu_state(menu) == before

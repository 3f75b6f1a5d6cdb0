"""Menu import and export: whole-file validation, all or nothing, one cache invalidation, round trips."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tenants import cache as snapshot_cache
from tenants import menu_import
from tenants import tasks as _registers_the_celery_tasks  # noqa: F401  (eager .delay() needs them)
from tenants.cache import restaurant_snapshot_get
from tenants.menu_import import menu_import_apply, menu_import_create
from tenants.menu_io import menu_parse
from tenants.models import MenuCategory, MenuImport, MenuItem
from tenants.selectors import menu_as_rows, menu_export
from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
HEADER = "category,category_description,name,description,price,currency,dietary_tags,allergens,available\n"


def menu_state(restaurant) -> list[tuple]:
    """Everything an owner or the agent could notice about the menu, including row identity."""
    return list(
        MenuItem.objects.filter(restaurant=restaurant)
        .order_by("pk")
        .values_list(
            "pk",
            "category__name",
            "name",
            "description",
            "price",
            "currency",
            "dietary_tags",
            "allergens",
            "is_available",
            "position",
            "updated_at",
        )
    ) + list(
        MenuCategory.objects.filter(restaurant=restaurant)
        .order_by("pk")
        .values_list("pk", "name", "updated_at")
    )


def do_import(restaurant, data: bytes | str, fmt: str = "csv", mode: str = "replace") -> MenuImport:
    raw = data.encode() if isinstance(data, str) else data
    return menu_import_create(
        restaurant=restaurant, data=raw, file_format=fmt, mode=mode, filename=f"menu.{fmt}"
    )


@pytest.fixture
def restaurant(world_a):
    return world_a.restaurant


@pytest.mark.parametrize("name", ["menu.csv", "menu.json"])
def test_the_documented_examples_import_cleanly_and_the_agent_sees_them(restaurant, name):
    record = do_import(restaurant, (EXAMPLES / name).read_bytes(), fmt=name.rsplit(".", 1)[1])

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    snapshot = restaurant_snapshot_get(public_id=restaurant.public_id)
    assert [c.name for c in snapshot.categories] == ["Antipasti", "Primi", "Dolci"]
    ragu = next(i for c in snapshot.categories for i in c.items if i.name == "Tagliatelle al ragù")
    assert ragu.available is False and ragu.price == Decimal("16.00") and "celery" in ragu.allergens
    assert "Alpha Secret Dish" not in {i.name for c in snapshot.categories for i in c.items}, (
        "replace removes the rest"
    )


def test_both_example_files_describe_the_same_menu():
    assert menu_parse((EXAMPLES / "menu.csv").read_bytes(), "csv") == menu_parse(
        (EXAMPLES / "menu.json").read_bytes(), "json"
    )


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_of_an_export_is_the_same_menu_and_exports_the_same_bytes(world_a, fmt):
    source = world_a.restaurant
    mains = MenuCategoryFactory(
        restaurant=source, name="Mains, and more", description='Say "hello"', position=5
    )
    MenuItemFactory(
        category=mains,
        name="Crème brûlée; the “best”",
        description="Line one\nline two, with a comma",
        price=Decimal("1234.50"),
        currency="USD",
        dietary_tags=["vegetarian", "gluten-free"],
        allergens=["eggs", "milk"],
        is_available=False,
    )
    MenuItemFactory(category=mains, name="Free water", price=Decimal("0"), dietary_tags=[], allergens=[])
    exported = menu_export(restaurant=source, file_format=fmt)
    target = RestaurantFactory(tenant=source.tenant, name="Second site", currency=source.currency)

    record = do_import(target, exported, fmt=fmt)

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    assert menu_as_rows(restaurant=target) == menu_as_rows(restaurant=source)
    assert menu_export(restaurant=target, file_format=fmt) == exported
    ids_before = sorted(MenuItem.objects.filter(restaurant=source).values_list("pk", flat=True))
    assert do_import(source, exported, fmt=fmt).status == MenuImport.Status.SUCCEEDED
    assert menu_export(restaurant=source, file_format=fmt) == exported, "re-importing changes nothing"
    assert sorted(MenuItem.objects.filter(restaurant=source).values_list("pk", flat=True)) == ids_before


BAD_FILES = [
    pytest.param(
        HEADER + "Mains,,Soup,,12,50,,,,yes\n",
        "Row 3: has more cells than there are columns",
        id="unquoted-comma",
    ),
    pytest.param(
        HEADER + "Mains,,Soup,,abc,,,,yes\n",
        "Row 3: price “abc” is not a number. Write it like 12.50",
        id="words",
    ),
    pytest.param(
        HEADER.replace("price", "prize") + "Mains,,Soup,,5.00,,,,yes\n",
        "missing column(s): price",
        id="wrong-columns",
    ),
    pytest.param(
        HEADER + 'Mains,,Soup,,"12,50",,,,yes\n',
        "Row 3: price “12,50” is not a number. Use a dot",
        id="comma-price",
    ),
    pytest.param(HEADER + "Mains,,Soup,,€12,,,,yes\n", "without a currency sign", id="currency-sign"),
    pytest.param(HEADER + "Mains,,Soup,,-1,,,,yes\n", "price -1 is negative", id="negative-price"),
    pytest.param(HEADER + "Mains,,Soup,,1.234,,,,yes\n", "more than two decimals", id="three-decimals"),
    pytest.param(
        HEADER + "Mains,,Soup,,5,,,shellfish,yes\n", "allergens “shellfish” not known", id="unknown-allergen"
    ),
    pytest.param(
        HEADER + "Mains,,Soup,,5,,,,maybe\n", "available “maybe” should be yes or no", id="bad-boolean"
    ),
    pytest.param(
        HEADER + "Mains,,Soup,,5,,,,\nMains,,soup,,6,,,,\n", "Row 4: “soup” appears twice", id="duplicate"
    ),
    pytest.param(HEADER + ",,Soup,,5,,,,\n", "Row 3: category is empty", id="no-category"),
    pytest.param((HEADER + "Mains,,Crêpe,,5,,,,\n").encode("latin-1"), "not UTF-8 text", id="latin-1"),
    pytest.param((HEADER + "Mains,,Soup,,5,,,,\n").encode("utf-16"), "UTF-16", id="utf-16"),
    pytest.param(
        HEADER + "Mains,,Soup,,5,,,,\n" + "x" * (2 * 1024 * 1024), "the limit is 2 MB", id="too-large"
    ),
    pytest.param(
        HEADER + "".join(f"Mains,,Dish {n},,5,,,,\n" for n in range(5001)),
        "more than 5000 items",
        id="too-many",
    ),
    pytest.param("", "The file is empty", id="empty"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_a_bad_csv_is_refused_whole_with_the_row_and_the_menu_is_untouched(
    restaurant, data, message, monkeypatch
):
    before = menu_state(restaurant)
    snapshot_before = restaurant_snapshot_get(public_id=restaurant.public_id)
    dropped: list[object] = []
    monkeypatch.setattr(snapshot_cache, "_delete", lambda ids: dropped.append(ids))
    good_row_first = (
        data if isinstance(data, bytes) else data.replace(HEADER, HEADER + "Mains,,Good dish,,5,,,,\n", 1)
    )

    record = do_import(restaurant, good_row_first)

    assert record.status == MenuImport.Status.FAILED
    assert any(message in f"{p['where']}: {p['message']}" for p in record.problems), record.problems
    assert menu_state(restaurant) == before, "not one row written, changed or removed"
    assert dropped == [] and restaurant_snapshot_get(public_id=restaurant.public_id) == snapshot_before


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"categories": [', "Line 1, column 17: this is not valid JSON"),
        (
            '{"categories": [{"name": "Mains", "items": [{"name": "Soup", "price": "abc"}]}]}',
            "Category 1 (“Mains”), item 1 (“Soup”): price “abc” is not a number",
        ),
        (
            '{"categories": [{"name": "Mains", "items": [{"name": "Soup", "price": true}]}]}',
            "price is missing",
        ),
        ('{"categories": [{"name": "A", "items": []}, {"name": "a", "items": []}]}', "appears twice"),
        (
            '{"categories": [{"name": "Mains", "items": [{"name": "Soup", "price": 5, "allergens": "milk"}]}]}',
            None,
        ),
        ("[1, 2]", 'must be an object with a "categories" list'),
        ('{"version": 2, "categories": []}', "we read version 1"),
    ],
)
def test_a_bad_json_file_is_refused_with_where_and_why(restaurant, document, message):
    before = menu_state(restaurant)

    record = do_import(restaurant, document, fmt="json")

    if message is None:  # a single allergen as a string is accepted, like the CSV's cell
        assert record.status == MenuImport.Status.SUCCEEDED
        return
    assert record.status == MenuImport.Status.FAILED
    assert any(message in f"{p['where']}: {p['message']}" for p in record.problems), record.problems
    assert menu_state(restaurant) == before


def test_update_mode_changes_prices_adds_items_and_removes_nothing(restaurant):
    [category] = MenuCategory.objects.filter(restaurant=restaurant)
    secret = MenuItem.objects.get(restaurant=restaurant, name="Alpha Secret Dish")
    extra = MenuItemFactory(category=category, name="Kept dish")

    record = do_import(
        restaurant,
        HEADER
        + f"{category.name},,alpha secret dish,,99.00,,,,no\n{category.name},,Brand new,,4.00,,vegan,,\n",
        mode="update",
    )

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    secret.refresh_from_db()
    assert (secret.price, secret.is_available) == (Decimal("99.00"), False)
    assert MenuItem.objects.filter(pk=extra.pk).exists(), "update never removes"
    new = MenuItem.objects.get(restaurant=restaurant, name="Brand new")
    assert new.position > extra.position and new.currency == restaurant.currency
    assert record.summary.startswith("2 item(s) in 1 categories: 1 added, 1 changed, 0 removed")


def test_update_mode_refuses_a_category_the_menu_does_not_have(restaurant):
    before = menu_state(restaurant)

    record = do_import(restaurant, HEADER + "Desserts,,Cake,,5.00,,,,\n", mode="update")

    assert record.status == MenuImport.Status.FAILED
    [problem] = record.problems
    assert problem["where"] == "Category “Desserts”"
    assert "this menu has no such category (it has: Alpha Mains)" in problem["message"]
    assert menu_state(restaurant) == before


def test_a_good_import_drops_the_cached_snapshot_exactly_once(
    restaurant, monkeypatch, django_capture_on_commit_callbacks
):
    restaurant_snapshot_get(public_id=restaurant.public_id)
    dropped: list[object] = []
    monkeypatch.setattr(snapshot_cache, "_delete", lambda ids: dropped.append(set(ids)))
    rows = "".join(f"Starters,,Dish {n},,{n}.00,,,,\n" for n in range(50))

    with django_capture_on_commit_callbacks(execute=True):
        record = do_import(restaurant, HEADER + rows)

    assert record.status == MenuImport.Status.SUCCEEDED
    assert MenuItem.objects.filter(restaurant=restaurant).count() == 50
    assert dropped == [{restaurant.public_id}], "one invalidation for 50 new items, 1 removed and 1 category"


def test_a_large_file_is_imported_by_celery_after_commit_and_only_once(
    restaurant, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(menu_import, "SYNC_IMPORT_MAX_ITEMS", 20)
    rows = "".join(f"Starters,,Dish {n},,5.00,,,,\n" for n in range(30))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = do_import(restaurant, HEADER + rows)
    assert record.status == MenuImport.Status.PENDING
    assert MenuItem.objects.filter(restaurant=restaurant, name__startswith="Dish").count() == 0, "not yet"
    for callback in callbacks:
        callback()  # the broker hand-off, eager in tests

    record.refresh_from_db()
    assert record.status == MenuImport.Status.SUCCEEDED
    assert MenuItem.objects.filter(restaurant=restaurant).count() == 30
    again = menu_import_apply(menu_import_id=record.pk)
    assert again.status == MenuImport.Status.SUCCEEDED and again.finished_at == record.finished_at
    assert MenuItem.objects.filter(restaurant=restaurant).count() == 30


def test_the_import_command_reports_each_problem_and_exits_non_zero(restaurant, tmp_path):
    bad = tmp_path / "menu.csv"
    bad.write_text(HEADER + "Mains,,Soup,,12;50,,,,\nMains,,Stew,,abc,,,,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was changed: 2 problem"):
        call_command("import_menu", restaurant.public_id, str(bad), stderr=err)
    assert "Row 2: price “12;50”" in err.getvalue() and "Row 3: price “abc”" in err.getvalue()


def test_export_then_import_from_the_command_line(restaurant, tmp_path):
    target = tmp_path / "out.json"
    call_command("export_menu", restaurant.public_id, "--output", str(target), stderr=io.StringIO())
    document = json.loads(target.read_text())
    assert document["categories"][0]["items"][0]["name"] == "Alpha Secret Dish"
    document["categories"][0]["items"][0]["price"] = "1.00"
    target.write_text(json.dumps(document))
    out = io.StringIO()

    call_command("import_menu", restaurant.public_id, str(target), stdout=out)

    assert "0 added, 1 changed, 0 removed" in out.getvalue()
    assert MenuItem.objects.get(restaurant=restaurant, name="Alpha Secret Dish").price == Decimal("1.00")


def upload(content: str, name: str = "menu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_an_owner_imports_and_exports_in_the_admin(world_a):
    client = world_a.client_for(world_a.owner)
    url = f"/admin/tenants/restaurant/{world_a.restaurant.pk}/menu/import/"
    assert (
        "Import menu"
        in client.get(f"/admin/tenants/restaurant/{world_a.restaurant.pk}/change/").content.decode()
    )

    response = client.post(url, {"file": upload(HEADER + "Mains,,Soup,,5.00,,,,\n"), "mode": "replace"})
    assert response.status_code == 302
    assert "Soup" in client.get(response["Location"]).content.decode()
    response = client.post(response["Location"])  # confirm

    assert response.status_code == 302
    assert list(MenuItem.objects.filter(restaurant=world_a.restaurant).values_list("name", flat=True)) == [
        "Soup"
    ]
    export = client.get(f"/admin/tenants/restaurant/{world_a.restaurant.pk}/menu/export/csv/")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in export["Content-Disposition"]
    assert export.content.decode().splitlines()[1] == "Mains,,Soup,,5.00,EUR,,,no,yes"
    record = MenuImport.objects.get()
    assert record.created_by == world_a.owner and record.tenant == world_a.tenant


def test_the_admin_lists_every_problem_of_a_refused_file(world_a):
    client = world_a.client_for(world_a.member)  # staff members may import too
    before = menu_state(world_a.restaurant)

    response = client.post(
        f"/admin/tenants/restaurant/{world_a.restaurant.pk}/menu/import/",
        {"file": upload(HEADER + "Mains,,Soup,,abc,,,,\n,,Stew,,5,,,,\n"), "mode": "replace"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Row 2</strong>: price “abc” is not a number" in page
    assert "<strong>Row 3</strong>: category is empty" in page
    assert menu_state(world_a.restaurant) == before


def test_another_tenant_cannot_import_export_or_see_imports(world_a, world_b, outsider):
    do_import(world_a.restaurant, HEADER + "Mains,,Soup,,5.00,,,,\n")
    before = menu_state(world_a.restaurant)
    base = f"/admin/tenants/restaurant/{world_a.restaurant.pk}/menu"
    for user in (world_b.owner, world_b.member):
        client = world_b.client_for(user)
        assert client.get(f"{base}/export/csv/").status_code == 404
        assert client.get(f"{base}/import/").status_code == 404
        response = client.post(
            f"{base}/import/", {"file": upload(HEADER + "X,,Hacked,,0,,,,\n"), "mode": "replace"}
        )
        assert response.status_code == 404
        listing = client.get("/admin/tenants/menuimport/").content.decode()
        assert "Alpha Bistro" not in listing
    outsider_client = world_b.client_for(outsider)
    assert outsider_client.get(f"{base}/export/csv/").status_code in (302, 403, 404)
    assert menu_state(world_a.restaurant) == before
    assert MenuImport.objects.count() == 1


# --- Absent columns never overwrite (issue 16, case 1) ------------------------------------------------------


@pytest.fixture
def sea_bass(restaurant):
    mains = MenuCategoryFactory(restaurant=restaurant, name="Mains", description="From the grill")
    return MenuItemFactory(
        category=mains,
        name="Sea Bass",
        description="Line-caught",
        price=Decimal("24.00"),
        currency="EUR",
        dietary_tags=["gluten-free"],
        allergens=["fish"],
    )


def _kept(item) -> tuple:
    item.refresh_from_db()
    return (item.description, item.dietary_tags, item.allergens, item.allergens_declared, item.currency)


@pytest.mark.parametrize("mode", ["update", "replace"])
def test_columns_absent_from_a_csv_leave_stored_values_untouched(restaurant, sea_bass, mode):
    record = do_import(restaurant, "category,name,price,available\nMains,Sea Bass,26.00,no\n", mode=mode)

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    assert _kept(sea_bass) == ("Line-caught", ["gluten-free"], ["fish"], True, "EUR")
    assert (sea_bass.price, sea_bass.is_available) == (Decimal("26.00"), False)
    assert MenuCategory.objects.get(pk=sea_bass.category_id).description == "From the grill"
    assert "cleared" not in record.summary


@pytest.mark.parametrize("mode", ["update", "replace"])
def test_keys_absent_from_a_json_item_leave_stored_values_untouched(restaurant, sea_bass, mode):
    document = {"categories": [{"name": "Mains", "items": [{"name": "Sea Bass", "price": "26.00"}]}]}

    record = do_import(restaurant, json.dumps(document), fmt="json", mode=mode)

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    assert _kept(sea_bass) == ("Line-caught", ["gluten-free"], ["fish"], True, "EUR")
    assert sea_bass.is_available is True


def test_only_a_present_empty_cell_clears_and_the_summary_says_how_many_values(restaurant, sea_bass):
    record = do_import(
        restaurant, "category,name,price,dietary_tags,allergens\nMains,Sea Bass,24.00,,\n", mode="update"
    )

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    assert _kept(sea_bass) == ("Line-caught", [], [], False, "EUR")  # cleared: no longer declared
    assert "cleared 1 allergen value(s) and 1 dietary tag value(s) from existing dishes" in record.summary


def test_declared_none_and_not_declared_travel_through_csv_and_json(restaurant):
    rows = (
        "category,name,price,allergens,allergens_declared\n"
        "Mains,Green Salad,8.00,,yes\nMains,Chef's Special,12.00,,\nMains,Pesto,11.00,tree-nuts|milk,\n"
    )
    assert do_import(restaurant, rows).status == MenuImport.Status.SUCCEEDED
    declared = dict(MenuItem.objects.filter(restaurant=restaurant).values_list("name", "allergens_declared"))
    assert declared == {"Green Salad": True, "Chef's Special": False, "Pesto": True}

    exported = menu_export(restaurant=restaurant, file_format="csv").decode()
    assert "Mains,,Green Salad,,8.00,EUR,,,yes,yes" in exported.splitlines()
    assert "Mains,,Chef's Special,,12.00,EUR,,,no,yes" in exported.splitlines()
    as_json = json.loads(menu_export(restaurant=restaurant, file_format="json"))
    assert [i["allergens_declared"] for i in as_json["categories"][0]["items"]] == [True, False, True]
    for fmt in ("csv", "json"):
        exported_once = menu_export(restaurant=restaurant, file_format=fmt)
        assert do_import(restaurant, exported_once, fmt=fmt).status == MenuImport.Status.SUCCEEDED
        assert menu_export(restaurant=restaurant, file_format=fmt) == exported_once
    assert MenuItem.objects.filter(restaurant=restaurant, allergens_declared=True).count() == 2


def test_a_bad_allergens_declared_cell_is_refused_by_row(restaurant):
    record = do_import(restaurant, "category,name,price,allergens_declared\nMains,Soup,5.00,maybe\n")
    assert record.status == MenuImport.Status.FAILED
    assert record.problems == [
        {"where": "Row 2", "message": "allergens_declared “maybe” should be yes or no."}
    ]

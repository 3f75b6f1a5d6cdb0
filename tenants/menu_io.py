"""Menu files: parse and validate CSV or JSON as a whole, and write them back out.

Pure functions, no database writes: `menu_parse` reads the whole file and returns either a menu or every
problem it found, each located the way an owner finds it (a spreadsheet row, or category and item in
JSON). The format is documented in docs/menu-import.md; `menu_render` writes the same format, so
exporting and importing again gives the same menu.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from core.json_limits import json_nesting_depth
from tenants.vocabulary import ALLERGENS, DIETARY_TAGS

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
JSON_FORMAT_NAME = "hostline-menu"
JSON_VERSION = 1

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ITEMS = 5000
MAX_PROBLEMS_REPORTED = 200

CSV_COLUMNS = [
    "category",
    "category_description",
    "name",
    "description",
    "price",
    "currency",
    "dietary_tags",
    "allergens",
    "allergens_declared",
    "available",
]
# Item fields a file may leave out. A column (CSV) or key (JSON) that is absent leaves the stored value
# alone when an existing dish is updated; only a present, empty cell clears it.
OPTIONAL_ITEM_FIELDS = frozenset(
    {"description", "currency", "dietary_tags", "allergens", "allergens_declared", "available"}
)
REQUIRED_CSV_COLUMNS = {"category", "name", "price"}
# The columns as owners read about them (the app's "menu file format" page): name, required, meaning, example.
MENU_FILE_COLUMNS: list[tuple[str, bool, str, str]] = [
    (
        "category",
        True,
        "The menu section. Sections appear in the order they first appear in the file.",
        "Primi",
    ),
    (
        "category_description",
        False,
        "Shown for the section; the first non-empty one per category counts.",
        "Fresh pasta made every morning",
    ),
    ("name", True, "The dish, unique within its category (at most 160 characters).", "Tagliatelle al ragù"),
    ("description", False, "At most 500 characters.", "Slow-cooked beef and pork ragù"),
    (
        "price",
        True,
        "A number with a dot and at most two decimals; no currency sign, no thousands separator.",
        "16.00",
    ),
    ("currency", False, "Three-letter code; empty means the restaurant's currency.", "EUR"),
    ("dietary_tags", False, "Words from the list below, separated by |.", "vegetarian|gluten-free"),
    ("allergens", False, "Words from the list below, separated by |.", "gluten|eggs|celery"),
    (
        "allergens_declared",
        False,
        "yes when the allergens cell is the dish's complete list, so an empty cell "
        "means “none of the 14”. Empty or no: an empty allergens cell means “not declared”, and the agent tells "
        "diners it can't confirm the dish's allergens.",
        "yes",
    ),
    ("available", False, "yes or no (also “sold out”); empty means yes.", "no"),
]

LIST_SEPARATOR = "|"
MAX_PRICE = Decimal("9999999.99")
TRUE_WORDS = {"yes", "y", "true", "1", "available"}
FALSE_WORDS = {"no", "n", "false", "0", "sold out", "sold-out", "unavailable"}
FIELD_LIMITS = {"category": 120, "category_description": 300, "name": 160, "description": 500}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with one of these characters is
# run as a formula by Excel, LibreOffice and Google Sheets. Export puts a ' in front of such a cell (and of
# one that already starts with quotes before such a character, so the mapping stays reversible); import
# takes exactly that one quote away again. Any other value travels unchanged.
_FORMULA_CELL = re.compile(r"^'*[=+\-@\t\r]")
# Parsing a JSON document this deep would exhaust Python's stack; no menu comes near it.
MAX_JSON_DEPTH = 32


@dataclass
class ItemRow:
    name: str
    description: str
    price: Decimal
    currency: str  # "" = the restaurant's currency
    dietary_tags: list[str]
    allergens: list[str]
    available: bool
    # True when the file says the allergen list is complete (an empty list then means "none").
    allergens_declared: bool = False
    # Which of OPTIONAL_ITEM_FIELDS the file carries for this item; the others keep their stored values.
    present: frozenset[str] = field(default=OPTIONAL_ITEM_FIELDS, compare=False)


@dataclass
class CategoryRows:
    name: str
    description: str
    items: list[ItemRow] = field(default_factory=list)
    description_present: bool = field(default=True, compare=False)


@dataclass
class ParsedMenu:
    categories: list[CategoryRows]

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)


@dataclass(frozen=True)
class Problem:
    where: str  # "Row 7", "Category 2 (“Mains”), item 3", or "" for the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


class MenuFileError(Exception):
    """The file cannot be imported; `problems` says every reason found, in the owner's words."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise MenuFileError(
            [
                Problem(
                    "",
                    f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split the menu or remove unused columns.",
                )
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MenuFileError(
            [Problem("", "The file is UTF-16 text. Save it as “CSV UTF-8” (Excel) or “Unicode (UTF-8)”.")]
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise MenuFileError(
            [
                Problem(
                    "",
                    f"The file contains a NUL character (line {line}), so it is not plain text. Export the "
                    "menu again as “CSV UTF-8” or JSON.",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MenuFileError(
            [
                Problem(
                    "",
                    f"The file is not UTF-8 text (an unreadable character on line {line}). In Excel use "
                    "“Save as → CSV UTF-8”; in LibreOffice choose the “Unicode (UTF-8)” character set.",
                )
            ]
        ) from exc


def csv_cell_escape(value: str) -> str:
    """The text a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if _FORMULA_CELL.match(value) else value


def csv_cell_unescape(value: str) -> str:
    """The inverse of `csv_cell_escape`: drop the one quote export added, and only that one."""
    return value[1:] if value.startswith("'") and _FORMULA_CELL.match(value[1:]) else value


def _text(value: Any, label: str, limit: int, problems: list[Problem], where: str, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(where, f"{label} must be text."))
        return ""
    value = value.strip()
    if required and not value:
        problems.append(Problem(where, f"{label} is empty."))
    elif len(value) > limit:
        problems.append(Problem(where, f"{label} is {len(value)} characters long; at most {limit} fit."))
    return value


def _price(value: Any, problems: list[Problem], where: str) -> Decimal:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(where, "price is missing. Write it like 12.50."))
        return Decimal(0)
    raw = str(value).strip()
    if len(raw) > 40:
        problems.append(
            Problem(where, f"price “{raw[:12]}…” is {len(raw)} characters long; write it like 12.50.")
        )
        return Decimal(0)
    hint = ""
    if "," in raw:
        hint = " Use a dot for decimals and no thousands separator, like 1250.50."
    elif re.search(r"\d", raw) and re.search(r"[^\d.\-]", raw):
        hint = " Write only the number, without a currency sign, like 12.50."
    try:
        price = Decimal(raw)
    except InvalidOperation:
        problems.append(Problem(where, f"price “{raw}” is not a number.{hint or ' Write it like 12.50.'}"))
        return Decimal(0)
    if not price.is_finite():
        problems.append(Problem(where, f"price “{raw}” is not a number. Write it like 12.50."))
    elif price < 0:
        problems.append(Problem(where, f"price {raw} is negative."))
    elif price > MAX_PRICE:
        problems.append(Problem(where, f"price {raw} is too large (at most {MAX_PRICE})."))
    elif price != price.quantize(Decimal("0.01")):
        problems.append(Problem(where, f"price {raw} has more than two decimals."))
    else:
        return price.quantize(Decimal("0.01"))
    return Decimal(0)


def _words(value: Any, label: str, allowed: dict[str, str], problems: list[Problem], where: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        words = [w.strip().lower() for w in value.split(LIST_SEPARATOR)]
    elif isinstance(value, list) and all(isinstance(w, str) for w in value):
        words = [w.strip().lower() for w in value]
    else:
        problems.append(Problem(where, f"{label} must be a list of words."))
        return []
    words = [w for w in words if w]
    unknown = [w for w in words if w not in allowed]
    if unknown:
        problems.append(
            Problem(
                where,
                f"{label} “{', '.join(unknown)}” not known. Use: {', '.join(allowed)}"
                f" (separate several with {LIST_SEPARATOR}).",
            )
        )
    return list(dict.fromkeys(w for w in words if w in allowed))


def _available(value: Any, problems: list[Problem], where: str) -> bool:
    if value is None or value == "" or value is True:
        return True
    if value is False:
        return False
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    problems.append(Problem(where, f"available “{value}” should be yes or no."))
    return True


def _yes_no(value: Any, label: str, problems: list[Problem], where: str) -> bool:
    if value is None or value == "" or value is False:
        return False
    if value is True:
        return True
    word = str(value).strip().lower()
    if word in {"yes", "y", "true", "1"}:
        return True
    if word in {"no", "n", "false", "0"}:
        return False
    problems.append(Problem(where, f"{label} “{value}” should be yes or no."))
    return False


def _currency(value: Any, problems: list[Problem], where: str) -> str:
    code = str(value or "").strip().upper()
    if code and not _CURRENCY.match(code):
        problems.append(Problem(where, f"currency “{value}” is not a three-letter code such as EUR or USD."))
        return ""
    return code


def _item(raw: dict[str, Any], problems: list[Problem], where: str, present: frozenset[str]) -> ItemRow:
    allergens = _words(raw.get("allergens"), "allergens", ALLERGENS, problems, where)
    return ItemRow(
        name=_text(raw.get("name"), "name", FIELD_LIMITS["name"], problems, where, required=True),
        description=_text(
            raw.get("description"),
            "description",
            FIELD_LIMITS["description"],
            problems,
            where,
            required=False,
        ),
        price=_price(raw.get("price"), problems, where),
        currency=_currency(raw.get("currency"), problems, where),
        dietary_tags=_words(raw.get("dietary_tags"), "dietary tags", DIETARY_TAGS, problems, where),
        allergens=allergens,
        available=_available(raw.get("available"), problems, where),
        # A listed allergen is a declaration; an empty list is one only when the file says so.
        allergens_declared=bool(allergens)
        or _yes_no(raw.get("allergens_declared"), "allergens_declared", problems, where),
        present=present,
    )


def _check_duplicates(menu: ParsedMenu, problems: list[Problem], where_of: dict[int, str]) -> None:
    for category in menu.categories:
        seen: set[str] = set()
        for item in category.items:
            key = item.name.casefold()
            if key and key in seen:
                problems.append(
                    Problem(where_of[id(item)], f"“{item.name}” appears twice in “{category.name}”.")
                )
            seen.add(key)


def _delimiter(text: str) -> str:
    # Spreadsheets in many locales save CSV with semicolons; the header line says which one was used.
    first_line = text.split("\n", 1)[0]
    return max(
        [",", ";", "\t"],
        key=lambda d: len({c.strip().lower() for c in first_line.split(d)} & set(CSV_COLUMNS)),
    )


def _parse_csv(text: str) -> ParsedMenu:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise MenuFileError([Problem("", "The file is empty. The first row must name the columns.")])
    reader.fieldnames = header
    missing = sorted(REQUIRED_CSV_COLUMNS - set(header))
    unknown = [h for h in header if h not in CSV_COLUMNS]
    problems: list[Problem] = []
    if missing:
        problems.append(Problem("Row 1", f"missing column(s): {', '.join(missing)}."))
    if unknown:
        problems.append(
            Problem(
                "Row 1",
                f"unknown column(s): {', '.join(unknown) or '(blank)'}. Use: {', '.join(CSV_COLUMNS)}.",
            )
        )
    if problems:
        raise MenuFileError(problems)

    by_name: dict[str, CategoryRows] = {}
    where_of: dict[int, str] = {}
    count = 0
    present = OPTIONAL_ITEM_FIELDS & set(header)
    for row in reader:
        line = reader.line_num
        where = f"Row {line}"
        if row.get(None):
            problems.append(
                Problem(
                    where,
                    "has more cells than there are columns: a comma inside a name or price needs quotes"
                    " around the cell (and prices take a dot, like 12.50).",
                )
            )
        values = {k: csv_cell_unescape(v or "") for k, v in row.items() if k is not None}
        if not any(v.strip() for v in values.values()):
            continue
        count += 1
        if count > MAX_ITEMS:
            raise MenuFileError([Problem("", f"The file has more than {MAX_ITEMS} items; split it up.")])
        name = _text(
            values.get("category"), "category", FIELD_LIMITS["category"], problems, where, required=True
        )
        description = _text(
            values.get("category_description"),
            "category description",
            FIELD_LIMITS["category_description"],
            problems,
            where,
            required=False,
        )
        category = by_name.get(name.casefold())
        if category is None:
            category = by_name[name.casefold()] = CategoryRows(
                name=name, description=description, description_present="category_description" in header
            )
        elif description and not category.description:
            category.description = description
        item = _item(values, problems, where, present)
        where_of[id(item)] = where
        category.items.append(item)
    menu = ParsedMenu(categories=list(by_name.values()))
    _check_duplicates(menu, problems, where_of)
    if problems:
        raise MenuFileError(problems)
    return menu


def _parse_json(text: str) -> ParsedMenu:
    depth = json_nesting_depth(text, stop_above=MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        raise MenuFileError(
            [Problem("", f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; a menu file needs 6.")]
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MenuFileError(
            [Problem(f"Line {exc.lineno}, column {exc.colno}", f"this is not valid JSON ({exc.msg}).")]
        ) from exc
    except (ValueError, RecursionError) as exc:
        # e.g. an integer of more than 4,300 digits (Python's int conversion limit).
        raise MenuFileError([Problem("", f"The JSON cannot be read: {str(exc)[:200]}.")]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("categories"), list):
        raise MenuFileError([Problem("", 'The JSON must be an object with a "categories" list.')])
    if document.get("version", JSON_VERSION) != JSON_VERSION:
        raise MenuFileError(
            [Problem("", f"This file is version {document.get('version')}; we read version 1.")]
        )
    problems: list[Problem] = []
    where_of: dict[int, str] = {}
    categories: list[CategoryRows] = []
    seen: set[str] = set()
    count = 0
    for c_index, raw_category in enumerate(document["categories"], start=1):
        c_where = f"Category {c_index}"
        if not isinstance(raw_category, dict):
            problems.append(Problem(c_where, "must be an object with a name and items."))
            continue
        name = _text(
            raw_category.get("name"), "name", FIELD_LIMITS["category"], problems, c_where, required=True
        )
        c_where = f"Category {c_index} (“{name}”)" if name else c_where
        if name and name.casefold() in seen:
            problems.append(Problem(c_where, f"the category “{name}” appears twice."))
        seen.add(name.casefold())
        category = CategoryRows(
            name=name,
            description_present="description" in raw_category,
            description=_text(
                raw_category.get("description"),
                "description",
                FIELD_LIMITS["category_description"],
                problems,
                c_where,
                required=False,
            ),
        )
        raw_items = raw_category.get("items", [])
        if not isinstance(raw_items, list):
            problems.append(Problem(c_where, '"items" must be a list.'))
            raw_items = []
        for i_index, raw_item in enumerate(raw_items, start=1):
            count += 1
            if count > MAX_ITEMS:
                raise MenuFileError([Problem("", f"The file has more than {MAX_ITEMS} items; split it up.")])
            where = f"{c_where}, item {i_index}"
            if not isinstance(raw_item, dict):
                problems.append(Problem(where, "must be an object."))
                continue
            if isinstance(raw_item.get("name"), str) and raw_item["name"].strip():
                where = f"{where} (“{raw_item['name'].strip()}”)"
            item = _item(raw_item, problems, where, OPTIONAL_ITEM_FIELDS & set(raw_item))
            where_of[id(item)] = where
            category.items.append(item)
        categories.append(category)
    menu = ParsedMenu(categories=categories)
    _check_duplicates(menu, problems, where_of)
    if problems:
        raise MenuFileError(problems)
    return menu


def menu_format_guess(filename: str) -> Format | None:
    lower = filename.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    return None


def menu_parse(data: bytes, fmt: Format) -> ParsedMenu:
    """The whole file, validated; raises MenuFileError listing every problem (at most 200 are kept)."""
    text = _decode(data)
    try:
        return _parse_csv(text) if fmt == "csv" else _parse_json(text)
    except MenuFileError as exc:
        exc.problems = exc.problems[:MAX_PROBLEMS_REPORTED]
        raise
    except csv.Error as exc:
        raise MenuFileError([Problem("", f"The CSV cannot be read: {exc}.")]) from exc


def _price_text(price: Decimal) -> str:
    return f"{price:.2f}"


def menu_render(menu: ParsedMenu, fmt: Format, *, currency: str) -> bytes:
    """The file an owner downloads: the same format menu_parse reads."""
    if fmt == "json":
        document = {
            "format": JSON_FORMAT_NAME,
            "version": JSON_VERSION,
            "currency": currency,
            "categories": [
                {
                    "name": c.name,
                    "description": c.description,
                    "items": [
                        {
                            "name": i.name,
                            "description": i.description,
                            "price": _price_text(i.price),
                            "currency": i.currency,
                            "dietary_tags": i.dietary_tags,
                            "allergens": i.allergens,
                            "allergens_declared": i.allergens_declared,
                            "available": i.available,
                        }
                        for i in c.items
                    ],
                }
                for c in menu.categories
            ],
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in menu.categories:
        if not c.items:
            # A category without items still travels: one row with no item name is not valid, so
            # empty categories are only kept by JSON (documented).
            continue
        for i in c.items:
            writer.writerow(
                csv_cell_escape(cell)
                for cell in [
                    c.name,
                    c.description,
                    i.name,
                    i.description,
                    _price_text(i.price),
                    i.currency,
                    LIST_SEPARATOR.join(i.dietary_tags),
                    LIST_SEPARATOR.join(i.allergens),
                    "yes" if i.allergens_declared else "no",
                    "yes" if i.available else "no",
                ]
            )
    return out.getvalue().encode("utf-8")

"""Menu import: check a whole file, show what it would change, then apply exactly that, all or nothing.

An owner's upload is a *preview* first: `menu_import_preview` checks the file and records what it would
add, change, remove and clear, with a fingerprint of the menu it was computed against, and changes
nothing. `menu_import_confirm` applies it (directly for small files, through the Celery task for large
ones); `menu_import_apply` refuses, as "stale", a preview whose menu changed in between, so what is
written is always what the owner saw. `menu_import_create` does both steps at once for the command line.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.context import audit_context, audit_rows_muted, current_actor
from audit.services import audit_record
from tenants.cache import restaurant_snapshot_invalidate
from tenants.menu_io import Format, ItemRow, MenuFileError, ParsedMenu, Problem, menu_parse
from tenants.models import MENU_ITEM_CONTENT_FIELDS, MenuCategory, MenuImport, MenuItem, Restaurant
from tenants.signals import menu_changed, snapshot_signals_muted

# The Celery task that runs `menu_import_apply` (tenants/tasks.py pins this name).
MENU_IMPORT_TASK = "tenants.tasks.menu_import_apply"

logger = logging.getLogger(__name__)

# Above this many items a file is applied by a Celery worker, so the upload answers at once.
SYNC_IMPORT_MAX_ITEMS = 500
# A preview lists at most this many rows of each kind (the counts are always complete).
PREVIEW_MAX_ROWS = 500

STALE_MESSAGE = (
    "The menu was changed after this preview was made (by someone in the admin, the API or another "
    "import), so it was not applied: nothing was changed. Look at the new preview and confirm again."
)

# How a field is named and shown in a preview.
FIELD_LABELS = {
    "name": "name",
    "description": "description",
    "price": "price",
    "currency": "currency",
    "dietary_tags": "dietary tags",
    "allergens": "allergens",
    "allergens_declared": "allergens declared",
    "is_available": "available",
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _unknown_categories(*, restaurant: Restaurant, menu: ParsedMenu) -> list[Problem]:
    existing = {
        name.casefold(): name
        for name in MenuCategory.objects.filter(restaurant=restaurant).values_list("name", flat=True)
    }
    have = ", ".join(sorted(existing.values())) or "none yet"
    return [
        Problem(
            f"Category “{c.name}”",
            f"this menu has no such category (it has: {have}). Add it in the admin first, "
            "or import in “replace” mode to set the whole menu.",
        )
        for c in menu.categories
        if c.name.casefold() not in existing
    ]


@dataclass
class MenuPlan:
    """What a file would do to a menu: the rows to write, and the same as a preview an owner reads."""

    fingerprint: str
    categories_new: list[MenuCategory] = field(default_factory=list)
    categories_changed: list[MenuCategory] = field(default_factory=list)
    categories_removed: list[MenuCategory] = field(default_factory=list)
    items_new: list[MenuItem] = field(default_factory=list)
    items_changed: list[MenuItem] = field(default_factory=list)
    items_removed: list[MenuItem] = field(default_factory=list)
    preview: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.categories_new
            or self.categories_changed
            or self.categories_removed
            or self.items_new
            or self.items_changed
            or self.items_removed
        )


def _fingerprint(restaurant: Restaurant, categories: list[MenuCategory], items: list[MenuItem]) -> str:
    """A hash of everything an import reads: equal fingerprints mean an import would do the same."""
    state = [
        restaurant.currency,
        sorted((c.pk, c.name, c.description, c.position) for c in categories),
        sorted(
            [i.pk, i.category_id, i.position, *(getattr(i, f) for f in MENU_ITEM_CONTENT_FIELDS)]
            for i in items
        ),
    ]
    return hashlib.sha256(json.dumps(state, cls=DjangoJSONEncoder).encode()).hexdigest()


def menu_fingerprint(*, restaurant: Restaurant) -> str:
    return _fingerprint(
        restaurant,
        list(MenuCategory.objects.filter(restaurant=restaurant)),
        list(MenuItem.objects.filter(restaurant=restaurant)),
    )


def menu_plan(*, restaurant: Restaurant, menu: ParsedMenu, replace: bool) -> MenuPlan:
    """Compare a validated file with the stored menu. Reads only; rows are matched by name (ignoring
    case) within their category, so a dish whose name did not change keeps its identity."""
    stored_categories = list(MenuCategory.objects.filter(restaurant=restaurant).order_by("position", "pk"))
    stored_items = list(MenuItem.objects.filter(restaurant=restaurant).order_by("position", "pk"))
    plan = MenuPlan(fingerprint=_fingerprint(restaurant, stored_categories, stored_items))
    categories = {c.name.casefold(): c for c in stored_categories}
    category_names = {c.pk: c.name for c in stored_categories}
    items = {(i.category_id, i.name.casefold()): i for i in stored_items}
    next_position = {
        c.pk: max((i.position for i in stored_items if i.category_id == c.pk), default=-1) + 1
        for c in stored_categories
    }
    preview: dict[str, list[dict[str, Any]]] = {
        "categories_added": [],
        "categories_changed": [],
        "categories_removed": [],
        "items_added": [],
        "items_changed": [],
        "items_removed": [],
        "cleared": [],
    }
    kept_categories: set[int] = set()
    kept_items: set[int] = set()
    moved = cleared_allergens = cleared_tags = 0
    for c_position, row in enumerate(menu.categories):
        category = categories.get(row.name.casefold())
        if category is None:
            category = MenuCategory(
                tenant_id=restaurant.tenant_id,
                restaurant=restaurant,
                name=row.name,
                description=row.description,
                position=c_position,
            )
            plan.categories_new.append(category)
            preview["categories_added"].append({"name": row.name, "description": row.description})
        else:
            kept_categories.add(category.pk)
            wanted = {
                "name": category.name,
                "description": category.description,
                "position": category.position,
            }
            if replace:
                wanted["name"], wanted["position"] = row.name, c_position
                if row.description_present:
                    wanted["description"] = row.description
            elif row.description:
                wanted["description"] = row.description
            diffs = [
                {"field": k, "old": getattr(category, k), "new": v}
                for k, v in wanted.items()
                if k != "position" and getattr(category, k) != v
            ]
            if category.description and not wanted["description"]:
                preview["cleared"].append(
                    {
                        "category": category.name,
                        "name": "",
                        "field": "description",
                        "values": category.description,
                    }
                )
            if diffs:
                preview["categories_changed"].append({"name": category.name, "fields": diffs})
            if any(getattr(category, k) != v for k, v in wanted.items()):
                moved += wanted["position"] != category.position
                for k, v in wanted.items():
                    setattr(category, k, v)
                plan.categories_changed.append(category)
        for i_position, item_row in enumerate(row.items):
            item = items.get((category.pk, item_row.name.casefold())) if category.pk else None
            fields = _item_fields(item_row, item, currency=restaurant.currency)
            if item is None:
                if replace or category.pk is None:
                    position = i_position
                else:
                    position = next_position.setdefault(category.pk, 0)
                    next_position[category.pk] = position + 1
                plan.items_new.append(
                    MenuItem(
                        tenant_id=restaurant.tenant_id,
                        restaurant=restaurant,
                        category=category,
                        position=position,
                        **fields,
                    )
                )
                preview["items_added"].append(
                    {"category": row.name, "name": fields["name"], "price": _shown(fields["price"])}
                )
                continue
            kept_items.add(item.pk)
            lost_allergens = [a for a in item.allergens if a not in fields["allergens"]]
            lost_tags = [t for t in item.dietary_tags if t not in fields["dietary_tags"]]
            cleared_allergens += len(lost_allergens)
            cleared_tags += len(lost_tags)
            # Said out loud: a cleared allergen or tag changes what diners with allergies are told.
            for label, lost in (("allergens", lost_allergens), ("dietary tags", lost_tags)):
                if lost:
                    preview["cleared"].append(
                        {"category": row.name, "name": item.name, "field": label, "values": _shown(lost)}
                    )
            if item.description and not fields["description"]:
                preview["cleared"].append(
                    {
                        "category": row.name,
                        "name": item.name,
                        "field": "description",
                        "values": item.description,
                    }
                )
            if item.allergens_declared and not fields["allergens_declared"]:
                preview["cleared"].append(
                    {
                        "category": row.name,
                        "name": item.name,
                        "field": "allergens declared",
                        "values": "the agent will say it can't confirm this dish's allergens",
                    }
                )
            if replace:
                fields["position"] = i_position
            diffs = [
                {"field": FIELD_LABELS[k], "old": _shown(getattr(item, k)), "new": _shown(v)}
                for k, v in fields.items()
                if k != "position" and getattr(item, k) != v
            ]
            if diffs:
                preview["items_changed"].append({"category": row.name, "name": item.name, "fields": diffs})
            if any(getattr(item, k) != v for k, v in fields.items()):
                moved += fields.get("position", item.position) != item.position
                for k, v in fields.items():
                    setattr(item, k, v)
                plan.items_changed.append(item)
    if replace:
        plan.items_removed = [i for i in stored_items if i.pk not in kept_items]
        plan.categories_removed = [c for c in stored_categories if c.pk not in kept_categories]
        preview["categories_removed"] = [{"name": c.name} for c in plan.categories_removed]
        preview["items_removed"] = [
            {"category": category_names.get(i.category_id, ""), "name": i.name, "price": _shown(i.price)}
            for i in plan.items_removed
        ]
    counts = {key: len(rows) for key, rows in preview.items()}
    counts["moved"] = moved
    plan.preview = {
        "mode": "replace" if replace else "update",
        "counts": counts,
        **{key: rows[:PREVIEW_MAX_ROWS] for key, rows in preview.items()},
    }
    plan.summary = _summary(
        menu=menu,
        plan=plan,
        cleared_allergens=cleared_allergens,
        cleared_tags=cleared_tags,
    )
    return plan


def _summary(*, menu: ParsedMenu, plan: MenuPlan, cleared_allergens: int, cleared_tags: int) -> str:
    summary = (
        f"{menu.item_count} item(s) in {len(menu.categories)} categories: {len(plan.items_new)} added, "
        f"{len(plan.items_changed)} changed, {len(plan.items_removed)} removed"
    )
    if plan.categories_new or plan.categories_removed:
        summary += f"; {len(plan.categories_new)} categories added, {len(plan.categories_removed)} removed"
    if cleared_allergens or cleared_tags:
        # Said out loud: a cleared allergen changes what diners with allergies are told.
        summary += (
            f"; cleared {cleared_allergens} allergen value(s) and {cleared_tags} dietary tag value(s) "
            "from existing dishes"
        )
    return summary + "."


def _failed(record: MenuImport, problems: list[Problem]) -> MenuImport:
    record.status = MenuImport.Status.FAILED
    record.problems = [p.as_dict() for p in problems]
    record.summary = f"Nothing was changed: {len(problems)} problem(s) in the file."
    record.finished_at = timezone.now()
    record.save()
    return record


def menu_import_preview(
    *,
    restaurant: Restaurant,
    data: bytes,
    file_format: Format,
    mode: str = MenuImport.Mode.UPDATE,
    filename: str = "",
    user: User | None = None,
) -> MenuImport:
    """Check the whole file and record what it would change; the menu is not touched.

    A bad file never raises: the returned import is FAILED with every problem listed. A good one is
    PREVIEW, waiting for `menu_import_confirm`.
    """
    record = MenuImport(
        restaurant=restaurant,
        created_by=user if user is not None and user.pk else None,
        filename=filename[:255],
        file_format=file_format,
        mode=mode,
    )
    try:
        menu = menu_parse(data, file_format)
        if mode == MenuImport.Mode.UPDATE and (
            unknown := _unknown_categories(restaurant=restaurant, menu=menu)
        ):
            raise MenuFileError(unknown)
    except MenuFileError as exc:
        return _failed(record, exc.problems)
    plan = menu_plan(restaurant=restaurant, menu=menu, replace=mode == MenuImport.Mode.REPLACE)
    record.content = data.decode("utf-8-sig")
    record.item_count = menu.item_count
    record.status = MenuImport.Status.PREVIEW
    record.preview = plan.preview
    record.menu_fingerprint = plan.fingerprint
    record.summary = plan.summary[:300]
    record.save()
    return record


def menu_import_confirm(*, menu_import_id: int) -> MenuImport:
    """Apply a previewed import: now for a small file, on a Celery worker for a large one.

    Only a PREVIEW import is confirmed, once: confirming twice (a double click) applies it once.
    """
    claimed = MenuImport.objects.filter(pk=menu_import_id, status=MenuImport.Status.PREVIEW).update(
        status=MenuImport.Status.PENDING, updated_at=timezone.now()
    )
    record = MenuImport.objects.select_related("restaurant").get(pk=menu_import_id)
    if not claimed:
        return record
    if record.item_count > SYNC_IMPORT_MAX_ITEMS:
        # By name, so this module need not import the task module that imports it.
        transaction.on_commit(lambda: current_app.signature(MENU_IMPORT_TASK, args=(record.pk,)).delay())
        return record
    return menu_import_apply(menu_import_id=record.pk)


def menu_import_create(
    *,
    restaurant: Restaurant,
    data: bytes,
    file_format: Format,
    mode: str = MenuImport.Mode.UPDATE,
    filename: str = "",
    user: User | None = None,
) -> MenuImport:
    """Preview and confirm in one step (the command line, which prints the result): a bad file is
    FAILED with every problem listed, a good one is applied now (small) or queued (large)."""
    record = menu_import_preview(
        restaurant=restaurant, data=data, file_format=file_format, mode=mode, filename=filename, user=user
    )
    if record.status != MenuImport.Status.PREVIEW:
        return record
    return menu_import_confirm(menu_import_id=record.pk)


def menu_import_repreview(*, menu_import_id: int, user: User | None = None) -> MenuImport:
    """A new preview of the same file against the menu as it is now (after a stale confirm)."""
    old = MenuImport.objects.select_related("restaurant").get(pk=menu_import_id)
    return menu_import_preview(
        restaurant=old.restaurant,
        data=old.content.encode(),
        file_format=old.file_format,
        mode=old.mode,
        filename=old.filename,
        user=user,
    )


class _Stale(Exception):
    pass


def menu_import_apply(*, menu_import_id: int) -> MenuImport:
    """Apply a confirmed import, all or nothing. Runs once: a finished or running import is left alone.

    An import previewed against a menu that has changed since is refused as STALE, nothing written.
    """
    claimed = MenuImport.objects.filter(pk=menu_import_id, status=MenuImport.Status.PENDING).update(
        status=MenuImport.Status.RUNNING, updated_at=timezone.now()
    )
    record = MenuImport.objects.select_related("restaurant", "created_by").get(pk=menu_import_id)
    if not claimed:
        return record
    problems: list[Problem] = []
    status = MenuImport.Status.SUCCEEDED
    try:
        menu = menu_parse(record.content.encode(), record.file_format)
        with transaction.atomic():
            restaurant = Restaurant.objects.select_for_update().get(pk=record.restaurant_id)
            if record.mode == MenuImport.Mode.UPDATE:
                problems = _unknown_categories(restaurant=restaurant, menu=menu)
                if problems:
                    raise MenuFileError(problems)
            plan = menu_plan(restaurant=restaurant, menu=menu, replace=record.mode == MenuImport.Mode.REPLACE)
            # An import queued before previews existed has no fingerprint: it applies as it always did.
            if record.menu_fingerprint and plan.fingerprint != record.menu_fingerprint:
                raise _Stale
            # One audit entry for the whole file (below) rather than one per row.
            with audit_rows_muted():
                _plan_write(plan)
            summary = plan.summary
            actor = current_actor().resolved_user()
            with audit_context(source="import"):
                audit_record(
                    action="menu.import",
                    obj=restaurant,
                    changes={"import_id": record.pk, "file": record.filename, "mode": record.mode},
                    detail=summary,
                    # A Celery worker has no request: the entry names who uploaded the file.
                    user=None if actor else record.created_by,
                )
            _history_record(
                restaurant=restaurant, record=record, summary=summary, user=actor or record.created_by
            )
            # Once, after commit, however many rows changed.
            restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
            menu_changed.send(sender=MenuImport, restaurant_ids=[restaurant.pk], change="import")
    except _Stale:
        status = MenuImport.Status.STALE
        problems = [Problem("", STALE_MESSAGE)]
        summary = "Nothing was changed: the menu changed after the preview."
    except MenuFileError as exc:
        problems = exc.problems
        summary = f"Nothing was changed: {len(problems)} problem(s) in the file."
    except DatabaseError:
        logger.exception("menu import %s could not be saved", menu_import_id)
        problems = [
            Problem("", "The menu could not be saved (a database error). Nothing was changed; try again.")
        ]
        summary = "Nothing was changed: the database refused the import."
    if problems and status == MenuImport.Status.SUCCEEDED:
        status = MenuImport.Status.FAILED
    record.status = status
    record.problems = [p.as_dict() for p in problems]
    record.summary = summary[:300]
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "problems", "summary", "finished_at", "updated_at"])
    return record


def _history_record(*, restaurant: Restaurant, record: MenuImport, summary: str, user: Any) -> None:
    """The restaurant's admin History page lists Django's LogEntry rows: the import is one of them."""
    if user is None or not getattr(user, "pk", None):
        return  # an import with no known person (a deleted uploader) is in the audit trail only
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[restaurant],
        action_flag=CHANGE,
        change_message=f"Imported the menu from {record.filename or record.file_format} "
        f"({record.mode}): {summary}",
        single_object=True,
    )


def _plan_write(plan: MenuPlan) -> None:
    """Write a plan. Deletions first, so a name freed by a removal is free for a new row."""
    with snapshot_signals_muted():
        if plan.items_removed:
            MenuItem.objects.filter(pk__in=[i.pk for i in plan.items_removed]).delete()
        if plan.categories_removed:
            MenuCategory.objects.filter(pk__in=[c.pk for c in plan.categories_removed]).delete()
        for category in [*plan.categories_changed, *plan.categories_new]:
            category.save()
        MenuItem.objects.bulk_create(plan.items_new, batch_size=500)
        MenuItem.objects.bulk_update(
            plan.items_changed, [*MENU_ITEM_CONTENT_FIELDS, "position"], batch_size=500
        )


def _item_fields(row: ItemRow, item: MenuItem | None, *, currency: str) -> dict[str, Any]:
    """The values an item gets. Fields the file does not carry keep the stored value of an existing
    item (a new item gets the default); a present, empty cell clears."""
    fields: dict[str, Any] = {"name": row.name, "price": row.price}
    given = {
        "description": row.description,
        "currency": row.currency or currency,
        "dietary_tags": row.dietary_tags,
        "allergens": row.allergens,
        "allergens_declared": row.allergens_declared,
        "is_available": row.available,
    }
    present = {"available" if f == "is_available" else f for f in given} & row.present
    for name, value in given.items():
        if (("available" if name == "is_available" else name) in present) or item is None:
            fields[name] = value
        else:
            fields[name] = getattr(item, name)
    if "allergens" in row.present and "allergens_declared" not in row.present:
        # A file that lists allergens but does not say whether the list is complete declares what it lists.
        fields["allergens_declared"] = bool(row.allergens)
    # A listed allergen is always a declaration (and the database holds to it).
    fields["allergens_declared"] = bool(fields["allergens_declared"] or fields["allergens"])
    return fields


def menu_import_row_text(row: dict[str, Any]) -> str:
    """One preview row as a line of text (the command line's preview)."""
    where = " › ".join(part for part in (row.get("category", ""), row.get("name", "")) if part)
    if row.get("fields"):
        return f"{where}: " + "; ".join(
            f"{f['field']} {f['old'] or '—'} → {f['new'] or '—'}" for f in row["fields"]
        )
    if row.get("field"):
        return f"{where}: {row['field']} ({row.get('values', '')})"
    return f"{where} ({row['price']})" if row.get("price") else where

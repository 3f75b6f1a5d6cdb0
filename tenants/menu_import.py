"""Menu import: check a whole file, then apply it all or nothing, now or on a Celery worker.

One operation, one name: `menu_import_create` checks and records an upload; `menu_import_apply` writes
a checked import (directly for small files, through the Celery task of the same name for large ones).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.contrib.auth.models import User
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


def menu_import_create(
    *,
    restaurant: Restaurant,
    data: bytes,
    file_format: Format,
    mode: str = MenuImport.Mode.REPLACE,
    filename: str = "",
    user: User | None = None,
) -> MenuImport:
    """Check the whole file, then apply it now (small files) or queue it (large ones).

    A bad file never raises: the returned import is FAILED with every problem listed, and the menu is
    exactly as it was.
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
        record.status = MenuImport.Status.FAILED
        record.problems = [p.as_dict() for p in exc.problems]
        record.summary = f"Nothing was changed: {len(exc.problems)} problem(s) in the file."
        record.finished_at = timezone.now()
        record.save()
        return record
    record.content = data.decode("utf-8-sig")
    record.item_count = menu.item_count
    record.save()
    if menu.item_count > SYNC_IMPORT_MAX_ITEMS:
        # By name, so this module need not import the task module that imports it.
        transaction.on_commit(lambda: current_app.signature(MENU_IMPORT_TASK, args=(record.pk,)).delay())
        return record
    return menu_import_apply(menu_import_id=record.pk)


def menu_import_apply(*, menu_import_id: int) -> MenuImport:
    """Apply a checked import, all or nothing. Runs once: a finished or running import is left alone."""
    claimed = MenuImport.objects.filter(pk=menu_import_id, status=MenuImport.Status.PENDING).update(
        status=MenuImport.Status.RUNNING, updated_at=timezone.now()
    )
    record = MenuImport.objects.select_related("restaurant").get(pk=menu_import_id)
    if not claimed:
        return record
    problems: list[Problem] = []
    try:
        menu = menu_parse(record.content.encode(), record.file_format)
        with transaction.atomic():
            restaurant = Restaurant.objects.select_for_update().get(pk=record.restaurant_id)
            if record.mode == MenuImport.Mode.UPDATE:
                problems = _unknown_categories(restaurant=restaurant, menu=menu)
                if problems:
                    raise MenuFileError(problems)
            # One audit entry for the whole file (below) rather than one per row.
            with audit_rows_muted():
                summary = _menu_write(
                    restaurant=restaurant, menu=menu, replace=record.mode == MenuImport.Mode.REPLACE
                )
            with audit_context(source="import"):
                audit_record(
                    action="menu.import",
                    obj=restaurant,
                    changes={"import_id": record.pk, "file": record.filename, "mode": record.mode},
                    detail=summary,
                    # A Celery worker has no request: the entry names who uploaded the file.
                    user=None if current_actor().resolved_user() else record.created_by,
                )
            # Once, after commit, however many rows changed.
            restaurant_snapshot_invalidate(public_ids=[restaurant.public_id])
            menu_changed.send(sender=MenuImport, restaurant_ids=[restaurant.pk], change="import")
    except MenuFileError as exc:
        problems = exc.problems
        summary = f"Nothing was changed: {len(problems)} problem(s) in the file."
    except DatabaseError:
        logger.exception("menu import %s could not be saved", menu_import_id)
        problems = [
            Problem("", "The menu could not be saved (a database error). Nothing was changed; try again.")
        ]
        summary = "Nothing was changed: the database refused the import."
    record.status = MenuImport.Status.FAILED if problems else MenuImport.Status.SUCCEEDED
    record.problems = [p.as_dict() for p in problems]
    record.summary = summary[:300]
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "problems", "summary", "finished_at", "updated_at"])
    return record


def _menu_write(*, restaurant: Restaurant, menu: ParsedMenu, replace: bool) -> str:
    """Write a validated menu. Rows are matched by name, so unchanged items keep their identity."""
    with snapshot_signals_muted():
        categories = {c.name.casefold(): c for c in MenuCategory.objects.filter(restaurant=restaurant)}
        items = {
            (i.category_id, i.name.casefold()): i for i in MenuItem.objects.filter(restaurant=restaurant)
        }
        next_position = {
            c.pk: max((i.position for i in items.values() if i.category_id == c.pk), default=-1) + 1
            for c in categories.values()
        }
        kept_categories: set[int] = set()
        kept_items: set[int] = set()
        new_items: list[MenuItem] = []
        changed_items: list[MenuItem] = []
        created_categories = cleared_allergens = cleared_tags = 0
        for c_position, row in enumerate(menu.categories):
            category = categories.get(row.name.casefold())
            if category is None:
                category = MenuCategory(restaurant=restaurant, name=row.name)
                created_categories += 1
            if replace:
                category.name, category.position = row.name, c_position
                if row.description_present or category.pk is None:
                    category.description = row.description
            elif row.description:
                category.description = row.description
            category.save()
            kept_categories.add(category.pk)
            for i_position, item_row in enumerate(row.items):
                item = items.get((category.pk, item_row.name.casefold()))
                fields = _item_fields(item_row, item, currency=restaurant.currency)
                if item is None:
                    position = i_position if replace else next_position.setdefault(category.pk, 0)
                    next_position[category.pk] = position + 1
                    new_items.append(
                        MenuItem(
                            tenant_id=restaurant.tenant_id,
                            restaurant=restaurant,
                            category=category,
                            position=position,
                            **fields,
                        )
                    )
                    continue
                kept_items.add(item.pk)
                cleared_allergens += len(set(item.allergens) - set(fields["allergens"]))
                cleared_tags += len(set(item.dietary_tags) - set(fields["dietary_tags"]))
                if replace:
                    fields["position"] = i_position
                if any(getattr(item, k) != v for k, v in fields.items()):
                    for k, v in fields.items():
                        setattr(item, k, v)
                    changed_items.append(item)
        deleted_items = deleted_categories = 0
        if replace:
            deleted_items = (
                MenuItem.objects.filter(restaurant=restaurant).exclude(pk__in=kept_items).delete()[0]
            )
            deleted_categories = (
                MenuCategory.objects.filter(restaurant=restaurant).exclude(pk__in=kept_categories).delete()[0]
            )
        MenuItem.objects.bulk_create(new_items, batch_size=500)
        MenuItem.objects.bulk_update(changed_items, [*MENU_ITEM_CONTENT_FIELDS, "position"], batch_size=500)
    summary = (
        f"{menu.item_count} item(s) in {len(menu.categories)} categories: {len(new_items)} added, "
        f"{len(changed_items)} changed, {deleted_items} removed"
    )
    if created_categories or deleted_categories:
        summary += f"; {created_categories} categories added, {deleted_categories} removed"
    if cleared_allergens or cleared_tags:
        # Said out loud: a cleared allergen changes what diners with allergies are told.
        summary += (
            f"; cleared {cleared_allergens} allergen value(s) and {cleared_tags} dietary tag value(s) "
            "from existing dishes"
        )
    return summary + "."


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

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from audit.commands import AuditedCommand
from tenants.menu_import import menu_import_create, menu_import_preview, menu_import_row_text
from tenants.menu_io import FORMATS, MAX_FILE_BYTES, menu_format_guess
from tenants.models import MenuImport, Restaurant


class Command(AuditedCommand):
    help = "Import a restaurant's menu from a CSV or JSON file (format: docs/menu-import.md). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant", help="The restaurant's public id (r_…)")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name")
        parser.add_argument(
            "--mode",
            choices=MenuImport.Mode.values,
            default=MenuImport.Mode.UPDATE,
            help="update (default): change and add dishes, remove nothing; replace: the file becomes the whole menu",
        )
        parser.add_argument(
            "--preview", action="store_true", help="Only say what the file would change; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        restaurant = Restaurant.objects.filter(public_id=options["restaurant"]).first()
        if restaurant is None:
            raise CommandError(f"No restaurant with public id {options['restaurant']}.")
        path: Path = options["file"]
        file_format = options["format"] or menu_format_guess(path.name)
        if file_format is None:
            raise CommandError("Say --format csv or --format json (the file name does not tell).")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            # One byte over the limit is enough for the parser to say the file is too large.
            data = handle.read(MAX_FILE_BYTES + 1)
        create = menu_import_preview if options["preview"] else menu_import_create
        record = create(
            restaurant=restaurant,
            data=data,
            file_format=file_format,
            mode=options["mode"],
            filename=path.name,
        )
        if record.status == MenuImport.Status.FAILED:
            for problem in record.problems:
                where = problem["where"]
                self.stderr.write(f"  {where}: {problem['message']}" if where else f"  {problem['message']}")
            raise CommandError(f"{record.summary}")
        if record.status == MenuImport.Status.PENDING:
            self.stdout.write(f"Queued import {record.pk} ({record.item_count} items) for a Celery worker.")
            return
        if record.status == MenuImport.Status.PREVIEW:
            self.stdout.write(f"{restaurant.name}, nothing changed yet: the file would make {record.summary}")
            for key, rows in record.preview.items():
                if isinstance(rows, list):
                    for row in rows:
                        self.stdout.write(f"  {key.replace('_', ' ')}: {menu_import_row_text(row)}")
            return
        self.stdout.write(self.style.SUCCESS(f"{restaurant.name}: {record.summary}"))

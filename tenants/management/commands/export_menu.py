from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.menu_io import FORMATS, menu_format_guess
from tenants.models import Restaurant
from tenants.selectors import menu_export


class Command(BaseCommand):
    help = "Export a restaurant's menu as CSV or JSON, in the format import_menu reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant", help="The restaurant's public id (r_…)")
        parser.add_argument("--format", choices=FORMATS, help="Default: from --output, else csv")
        parser.add_argument("--output", "-o", type=Path, help="Default: standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        restaurant = Restaurant.objects.filter(public_id=options["restaurant"]).first()
        if restaurant is None:
            raise CommandError(f"No restaurant with public id {options['restaurant']}.")
        output: Path | None = options["output"]
        file_format = options["format"] or (menu_format_guess(output.name) if output else None) or "csv"
        data = menu_export(restaurant=restaurant, file_format=file_format)
        if output is None:
            self.stdout.write(data.decode(), ending="")
            return
        output.write_bytes(data)
        self.stderr.write(f"Wrote {restaurant.name}'s menu to {output}.")

from typing import Any

from django.core.management.base import BaseCommand

from bookings.demo import demo_bookings_seed


class Command(BaseCommand):
    help = "Switch bookings on for the demo restaurants (tables, or a covers capacity). Safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        count = demo_bookings_seed()
        self.stdout.write(f"Bookings on for {count} demo restaurant(s).")

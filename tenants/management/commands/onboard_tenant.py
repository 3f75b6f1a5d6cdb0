from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from audit.commands import AuditedCommand
from tenants.onboarding import tenant_onboard


class Command(AuditedCommand):
    help = (
        "Onboard a restaurant group: tenant, owner account (emailed a set-password link), first restaurant."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Tenant (restaurant group) name")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--restaurant", required=True, help="First restaurant's name")
        parser.add_argument(
            "--timezone",
            default="",
            help="IANA time zone or city, e.g. Europe/Paris or Paris (default: the country's)",
        )
        parser.add_argument(
            "--country",
            default="",
            help="ISO country code, e.g. PT: the default time zone, language and currency",
        )
        parser.add_argument(
            "--language", default="", help="Language the agent speaks, e.g. pt (default: the country's)"
        )
        parser.add_argument("--currency", default="", help="ISO currency, e.g. EUR (default: the country's)")
        parser.add_argument(
            "--origin", action="append", default=[], help="Allowed widget origin (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = tenant_onboard(
                tenant_name=options["name"],
                owner_email=options["owner_email"],
                restaurant_name=options["restaurant"],
                restaurant_timezone=options["timezone"],
                restaurant_country=options["country"],
                restaurant_language=options["language"],
                restaurant_currency=options["currency"],
                allowed_origins=options["origin"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Onboarded “{result.tenant.name}”. A set-password link was emailed to {result.owner_email}."
            )
        )
        self.stdout.write(f"Embed snippet for {result.restaurant.name}:\n  {result.embed_snippet}")
        self.stdout.write(self.style.WARNING(f"Server API key (shown once, store it now): {result.api_key}"))

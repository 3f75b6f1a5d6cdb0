from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from audit.commands import AuditedCommand
from tenants.demo import demo_tenant_seed

# Only ever used with DEBUG on (a local demo); anywhere else the password must be given explicitly.
LOCAL_DEMO_PASSWORD = "hostline-demo"  # noqa: S105


class Command(AuditedCommand):
    help = "Create the demo tenant, its owner login and six demo restaurants. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for the demo owner (and operator) accounts.")
        parser.add_argument(
            "--with-operator",
            action="store_true",
            help="Also create an operator (superuser) account 'admin'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or (LOCAL_DEMO_PASSWORD if settings.DEBUG else None)
        result = demo_tenant_seed(owner_password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo tenant “{result.tenant.name}”: {result.created_restaurants} restaurant(s) created, "
                f"{result.tenant.restaurants.count()} in all."
            )
        )
        if options["with_operator"] and password:
            User = get_user_model()
            operator, created = User.objects.get_or_create(
                username="admin",
                defaults={"is_staff": True, "is_superuser": True, "email": "admin@hostline.local"},
            )
            if created:
                operator.set_password(password)
                operator.save()
            self.stdout.write(f"Operator login (sees every tenant): admin / {password}")
            if getattr(settings, "OPERATOR_TWO_FACTOR_REQUIRED", True):
                self.stdout.write(
                    "  Operators sign in with two factors: the first sign-in shows a QR code to scan with an "
                    f"authenticator app ({settings.PLATFORM_BASE_URL}/accounts/two-factor/setup/). "
                    "No app at hand? Run the demo with OPERATOR_TWO_FACTOR_REQUIRED=false (local only)."
                )
            else:
                self.stdout.write(
                    "  Two-factor sign-in for operators is OFF (OPERATOR_TWO_FACTOR_REQUIRED=false, local only)."
                )
        if password:
            self.stdout.write(
                f"Owner login (sees only the demo tenant): {result.owner_username} / {password}  "
                f"at {settings.PLATFORM_BASE_URL}/admin/"
            )
        else:
            self.stdout.write("Owner password unchanged; pass --password to set it.")

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from audit.commands import AuditedCommand
from tenants.models import Tenant
from tenants.onboarding import tenant_reactivate, tenant_suspend


class Command(AuditedCommand):
    help = "Suspend or reactivate a tenant. Suspension stops new voice sessions at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("action", choices=["suspend", "reactivate"])
        parser.add_argument("--reason", default=None, help="Why (suspend only); the owners are shown it.")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with slug “{options['slug']}”.")
        if options["action"] == "suspend":
            tenant_suspend(tenant=tenant, reason=options["reason"])
        else:
            tenant_reactivate(tenant=tenant)
        self.stdout.write(self.style.SUCCESS(f"{tenant.name} is now {tenant.status}."))

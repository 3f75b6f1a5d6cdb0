from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from accounts.two_factor import two_factor_remove
from audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Remove someone's authenticator and recovery codes (a lost phone). An operator is asked to enrol "
        "again at their next sign-in; check who is asking before you run this."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user “{options['username']}”.")
        removed = two_factor_remove(user=user, reason="reset by an operator (lost device)")
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} device(s) of {user.get_username()}."))

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from accounts.lockout import login_unlock
from audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Let a locked-out person sign in again: clear failed sign-ins for a username and/or an address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--ip", default="", help="Client address to unlock (all usernames from it).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"] and not options["ip"]:
            raise CommandError("Name a username, an --ip address, or both.")
        removed = login_unlock(username=options["username"], ip=options["ip"])
        self.stdout.write(self.style.SUCCESS(f"Unlocked ({removed} record(s) of failed sign-ins cleared)."))

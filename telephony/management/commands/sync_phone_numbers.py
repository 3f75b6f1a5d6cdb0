from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.livekit import LiveKitUnavailable
from telephony.services import phone_numbers_reconcile


class Command(BaseCommand):
    help = (
        "Reconcile LiveKit SIP with the database: create missing trunks and dispatch rules, repair drifted "
        "ones, delete the platform's own for numbers no longer attached. Never touches others' objects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        try:
            result = phone_numbers_reconcile(dry_run=dry_run)
        except LiveKitUnavailable as exc:
            raise CommandError(f"LiveKit could not be reached, nothing was changed: {exc}") from exc
        prefix = "would " if dry_run else ""
        for change in result.changes:
            self.stdout.write(f"{prefix}{change}")
        if not result.changes:
            self.stdout.write("LiveKit already matches the database: nothing to do.")
        for error in result.errors:
            self.stderr.write(f"failed: {error}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} number(s) could not be reconciled; run again later.")

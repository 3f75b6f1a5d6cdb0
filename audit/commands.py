from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit.context import command_context


class AuditedCommand(BaseCommand):
    """A management command whose writes are audited as "<host user> (manage.py <name>)"."""

    def execute(self, *args: Any, **options: Any) -> Any:
        with command_context(self.__module__.rsplit(".", 1)[-1]):
            return super().execute(*args, **options)

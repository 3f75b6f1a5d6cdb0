"""Beat: expired sign-in sessions are deleted (Django keeps them in the database and never prunes them)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="accounts.tasks.sessions_clear_expired")
def sessions_clear_expired() -> None:
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()

"""The one place the process environment is read.

Every setting that comes from the environment is declared here, with its default, and listed in
`.env.example`. Settings modules import `env` from here and never touch `os.environ` themselves.
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A developer's `.env` (never committed) is read when present; real deployments pass the environment.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# Used only when nothing else is configured; production refuses to start with it (see base.py).
INSECURE_SECRET_KEY = "django-insecure-hostline-local-development-key-do-not-use-in-production"  # noqa: S105


def require_real_secret_key(*, debug: bool, secret_key: str) -> None:
    """Refuse to start with DEBUG off on the development key, so no deployment signs sessions with it."""
    from django.core.exceptions import ImproperlyConfigured

    if not debug and secret_key == INSECURE_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Hostline refuses to start on the built-in development key: "
            "set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )


def database_pool_options(*, max_size: int, timeout: float) -> dict[str, object]:
    """psycopg_pool.ConnectionPool arguments for Django's "pool" database option.

    At most `max_size` server connections per process; a request that finds them all busy waits up to
    `timeout` seconds and then fails with a DatabaseError (answered as a 503), never opens one more.
    No connection is opened before one is needed (idle agent job processes hold none) and an idle one is
    closed after five minutes.
    """
    return {"min_size": 0, "max_size": max_size, "timeout": timeout, "max_idle": 300}


# LiveKit's development pair (`livekit-server --dev`) and what base.py falls back to when unset.
LIVEKIT_DEV_API_KEY = "devkey"
LIVEKIT_DEV_API_SECRET = "secret"  # noqa: S105


def require_real_livekit_credentials(*, api_key: str, api_secret: str) -> None:
    """Production refuses LiveKit's development credentials: anyone could mint tokens and dispatch agents."""
    from django.core.exceptions import ImproperlyConfigured

    if not api_key or not api_secret or api_secret == LIVEKIT_DEV_API_SECRET:
        raise ImproperlyConfigured(
            "LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set (or are LiveKit's development pair "
            f"{LIVEKIT_DEV_API_KEY}/{LIVEKIT_DEV_API_SECRET}). Set them to the key and secret of your LiveKit "
            "server's `keys:` (a secret of at least 32 random characters)."
        )

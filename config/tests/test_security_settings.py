"""Issue 17.10: production refuses LiveKit's development credentials, preloads HSTS only with a year,
and every page carries a Content-Security-Policy that runs no inline script; the API docs use no CDN."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hostline",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "ALLOWED_HOSTS": "hostline.example.com",
    "LIVEKIT_API_KEY": "APIhostline",
    "LIVEKIT_API_SECRET": "s" * 20 + "-a-real-livekit-secret-0123456789",
}
PRINT_HSTS = (
    "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD)"
)


def _manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIVEKIT_", "SECURE_HSTS"))}
    env.update(PRODUCTION)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "credentials",
    [
        {"LIVEKIT_API_KEY": None, "LIVEKIT_API_SECRET": None},  # unset: the built-in defaults
        {"LIVEKIT_API_KEY": "devkey", "LIVEKIT_API_SECRET": "secret"},  # `livekit-server --dev`
        {"LIVEKIT_API_SECRET": "secret"},
        {"LIVEKIT_API_KEY": ""},
    ],
    ids=["unset", "dev-pair", "dev-secret", "empty-key"],
)
def test_production_refuses_livekits_development_credentials(credentials):
    result = _manage("check", **credentials)
    assert result.returncode != 0
    assert "LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set" in result.stderr


def test_production_starts_with_real_livekit_credentials_and_preloads_hsts_for_a_year():
    result = _manage("shell", "--no-imports", "-c", PRINT_HSTS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True"]


def test_a_shorter_hsts_max_age_does_not_ask_for_preloading():
    result = _manage("shell", "--no-imports", "-c", PRINT_HSTS, SECURE_HSTS_SECONDS="2592000")
    assert result.stdout.split() == ["2592000", "False"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/login/", "/api/docs/", "/accounts/password_reset/"])
def test_every_page_forbids_inline_script(url):
    response = Client().get(url)

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    # No 'unsafe-inline' and no other origin anywhere; 'unsafe-eval' only on the admin's templates (unfold's
    # Alpine.js, docs/security.md), never on the public site or the API docs.
    admin_templates = url.startswith(("/admin/", "/accounts/"))
    assert policy["script-src"] == ("'self' 'unsafe-eval'" if admin_templates else "'self'")
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_policy_lets_browsers_reach_the_livekit_server_they_are_sent_to(settings):
    settings.LIVEKIT_PUBLIC_URL = "wss://livekit.hostline.example"
    policy = Client().get("/")["Content-Security-Policy"]
    connect = next(p for p in policy.split(";") if p.strip().startswith("connect-src"))
    assert connect.split()[1:] == [
        "'self'",
        "wss://livekit.hostline.example",
        "https://livekit.hostline.example",
    ]


@pytest.mark.django_db
def test_the_api_docs_are_served_from_this_server_without_a_cdn():
    page = Client().get("/api/docs/").content.decode()
    assert '<script src="/api/docs/redoc.standalone.js">' in page  # the sidecar's Redoc, from web.views
    assert "cdn.jsdelivr" not in page and "googleapis" not in page and "@latest" not in page

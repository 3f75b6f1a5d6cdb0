"""Deployment safety of the settings, checked in fresh processes as an operator would start them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_LIVEKIT = {
    "LIVEKIT_API_KEY": "APIhostline",
    "LIVEKIT_API_SECRET": "s" * 20 + "-a-real-livekit-secret-0123456789",
}


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_on_the_default_secret_key():
    result = _run(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hostline",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_local_settings_with_debug_off_also_refuse_the_default_key():
    result = _run("check", DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_check_deploy_is_clean():
    result = _run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hostline",
        REDIS_URL="redis://127.0.0.1:6379/15",
        ALLOWED_HOSTS="hostline.example.com",
        **REAL_LIVEKIT,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "a-real-production-secret-key-0123456789-abcdefghijklmnop",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hostline",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "LIVEKIT_API_KEY": "APIhostline",
            "LIVEKIT_API_SECRET": "a-real-livekit-secret-0123456789-abcdefghijklmnop",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_let_operators_skip_two_factor():
    result = _check(OPERATOR_TWO_FACTOR_REQUIRED="false")
    assert result.returncode != 0
    assert "OPERATOR_TWO_FACTOR_REQUIRED=false is for a local demo only" in result.stderr


def test_production_starts_with_two_factor_required():
    assert _check().returncode == 0

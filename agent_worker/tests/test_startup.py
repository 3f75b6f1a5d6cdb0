from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from agent_worker.providers import check_provider_keys

ROOT = Path(__file__).resolve().parents[2]


def test_missing_provider_keys_are_named(settings):
    settings.DEEPGRAM_API_KEY, settings.OPENAI_API_KEY, settings.CARTESIA_API_KEY = "dg", "", ""
    with pytest.raises(ImproperlyConfigured, match="OPENAI_API_KEY, CARTESIA_API_KEY"):
        check_provider_keys()


def test_the_worker_refuses_to_start_without_keys_and_says_which():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    result = subprocess.run(
        [sys.executable, "-m", "agent_worker", "start"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEEPGRAM_API_KEY, OPENAI_API_KEY, CARTESIA_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr, "a missing setting is explained, not dumped"

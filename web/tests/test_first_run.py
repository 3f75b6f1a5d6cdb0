"""Issue 19.10, first run: `make demo` and the demo page say what runs and what voice calls need, and the
port a demo runs on is the one every printed link and the demo's allowed website use."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tenants.demo import demo_tenant_seed
from tenants.models import AllowedOrigin

pytestmark = pytest.mark.django_db

BUTTON = 'data-hostline-restaurant="r_'


def _closed_port() -> int:
    # A port nothing listens on: bound and released, so a connection there is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo's own run (`make demo` is local settings, DEBUG on)
    demo_tenant_seed(owner_password=None)


def test_without_a_livekit_server_the_demo_page_says_what_voice_needs_instead_of_offering_calls(
    demo, settings
):
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{_closed_port()}"

    body = Client().get("/").content.decode()

    assert "Voice calls are off in this run" in body
    assert (
        f"cannot reach a LiveKit server at <code>{settings.LIVEKIT_URL}</code>: nothing answers there" in body
    )
    for needed in ["DEEPGRAM_API_KEY", "OPENAI_API_KEY", "CARTESIA_API_KEY", "agent_worker"]:
        assert needed in body
    assert "docker compose -f platform/compose.yaml up --build" in body
    assert BUTTON not in body, "no call button that can only end in 'voice service unavailable'"
    assert body.count("Calls are off") == 6, "each demo restaurant says why it has no button"


def test_with_livekit_answering_the_buttons_are_there_and_no_notice(demo, fake_livekit):
    body = Client().get("/").content.decode()

    assert body.count(BUTTON) == 6
    assert "Voice calls are off" not in body
    assert [c.method for c in fake_livekit.calls] == ["ListRooms"]


def test_the_check_is_cached_so_a_busy_demo_page_asks_livekit_once(demo, fake_livekit):
    for _ in range(3):
        Client().get("/")

    assert [c.method for c in fake_livekit.calls] == ["ListRooms"]


def test_a_livekit_that_refuses_our_key_is_named_as_the_problem(demo, fake_livekit, settings):
    settings.LIVEKIT_API_SECRET = "not-the-secret-livekit-knows-not-the-secret"
    from core.livekit import livekit_client_reset

    livekit_client_reset()

    body = Client().get("/").content.decode()

    assert "it refused LIVEKIT_API_KEY / LIVEKIT_API_SECRET" in body
    assert BUTTON not in body


def test_a_failing_livekit_server_is_reported_with_its_answer(demo, fake_livekit):
    fake_livekit.fail_status = 503

    body = Client().get("/").content.decode()

    assert "it answered 503 unavailable" in body


def test_in_production_the_notice_names_no_internal_address(demo, settings):
    settings.DEBUG = False
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{_closed_port()}"

    body = Client().get("/").content.decode()

    assert "Voice calls are off right now" in body
    assert settings.LIVEKIT_URL not in body and "LIVEKIT_API_SECRET" not in body
    assert BUTTON not in body


def test_seed_demo_prints_links_and_allows_the_website_on_the_demos_port(settings):
    settings.DEBUG = True
    settings.PLATFORM_BASE_URL = "http://127.0.0.1:8001"
    settings.OPERATOR_TWO_FACTOR_REQUIRED = True
    out = io.StringIO()

    call_command("seed_demo", "--with-operator", stdout=out)

    printed = out.getvalue()
    assert "http://127.0.0.1:8001/admin/" in printed
    assert "http://127.0.0.1:8001/accounts/two-factor/setup/" in printed
    assert ":8000" not in printed
    origins = set(AllowedOrigin.objects.filter(tenant__slug="demo").values_list("origin", flat=True))
    assert origins == {"http://127.0.0.1:8001", "http://localhost:8001"}


def test_a_demo_on_a_public_address_allows_that_address_only(settings):
    settings.PLATFORM_BASE_URL = "https://demo.hostline.example"

    demo_tenant_seed(owner_password=None)

    origins = set(AllowedOrigin.objects.filter(tenant__slug="demo").values_list("origin", flat=True))
    assert origins == {"https://demo.hostline.example"}


def _make(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return result.stdout


def test_make_demo_says_what_it_runs_and_what_voice_needs_on_the_port_given():
    printed = _make("demo-about", "PORT=8001")

    assert "the web app alone" in printed
    assert "Not running: the voice server (LiveKit), the agent worker and the Celery worker" in printed
    for url in ["http://127.0.0.1:8001/", "http://127.0.0.1:8001/admin/", "http://127.0.0.1:8001/api/docs/"]:
        assert url in printed
    assert "DEEPGRAM_API_KEY, OPENAI_API_KEY and CARTESIA_API_KEY" in printed
    assert "docker compose -f platform/compose.yaml up --build" in printed


def test_make_demo_hands_its_port_to_seed_demo_and_installs_only_the_web_runtime():
    # -n prints the recipe without running it, -B as if nothing were installed yet.
    plan = _make("-n", "-B", "demo", "PORT=8001")

    assert "pip install --quiet -r requirements.txt" in plan
    assert "requirements-dev.txt" not in plan and "requirements-agent.txt" not in plan
    assert "runserver 127.0.0.1:8001" in plan
    # The exported PLATFORM_BASE_URL is what seed_demo prints its links with.
    base_url = _make(
        "-s", "--eval", "print-base-url: ; @echo $(PLATFORM_BASE_URL)", "print-base-url", "PORT=8001"
    )
    assert base_url.strip() == "http://127.0.0.1:8001"


AGENT_ONLY_MODULES = [
    "livekit.plugins.deepgram",
    "livekit.plugins.cartesia",
    "livekit.plugins.silero",
    "onnxruntime",
]
LOADS_THE_WEB_APP = """
import sys, django
django.setup()
from django.core.management import call_command
call_command("check")
import config.urls, config.asgi  # every URL, the admin (owner console included) and the ASGI app
print("imported:" + ",".join(m for m in {modules!r} if m in sys.modules))
"""


def test_the_web_app_runs_without_the_agent_workers_speech_stack():
    # `make demo` installs requirements.txt only: the web app must never import requirements-agent.txt.
    result = subprocess.run(
        [sys.executable, "-c", LOADS_THE_WEB_APP.format(modules=AGENT_ONLY_MODULES)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "true"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "imported:", result.stdout


def test_requirements_layers_put_the_speech_stack_and_the_tools_outside_the_web_runtime():
    files = {name: (Path(settings.BASE_DIR) / name).read_text() for name in REQUIREMENTS}
    web, agent, dev = (files[name] for name in REQUIREMENTS)

    assert "livekit-plugins-silero" not in web and "pytest" not in web and "playwright" not in web
    assert "-r requirements.txt" in agent and "livekit-plugins-silero" in agent
    assert "-r requirements-agent.txt" in dev and "pytest" in dev
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert "pip install -r /tmp/requirements-agent.txt" in dockerfile, "the image runs the agent worker too"


REQUIREMENTS = ["requirements.txt", "requirements-agent.txt", "requirements-dev.txt"]

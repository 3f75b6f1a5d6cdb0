"""Issue 19.10 in Chromium: a demo without a LiveKit server shows what voice calls need, readable on a
phone and a desktop, and offers no call button that could only fail."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.mark.parametrize("width", [1280, 390])
def test_without_voice_the_demo_page_says_what_voice_needs(
    browser: Any, live_server: Any, settings: Any, width: int
) -> None:
    from tenants.demo import demo_tenant_seed

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{port}"
    settings.DEBUG = True  # as `make demo` runs
    demo_tenant_seed(owner_password=None)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/")

    notice = page.get_by_role("status")
    notice.get_by_role("heading", name="Voice calls are off in this run").wait_for()
    assert "docker compose -f platform/compose.yaml up --build" in notice.inner_text()
    assert page.locator("[data-hostline-widget]").count() == 0
    assert page.locator("li .no-voice", has_text="Calls are off").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"firstrun-demo-voice-off-{width}.png"), full_page=width == 390)
    context.close()

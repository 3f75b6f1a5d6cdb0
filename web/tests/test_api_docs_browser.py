"""Issue 19.10 in Chromium: the API docs render with the network limited to this server (as offline), and
ask no other server for anything, at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_docs_render_with_only_this_server_reachable(
    browser: Any, live_server: Any, width: int
) -> None:
    own = urlsplit(live_server.url).netloc
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    refused: list[str] = []

    def only_this_server(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http:", "https:", "ws:", "wss:")) and urlsplit(url).netloc != own:
            refused.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(live_server.url + "/api/docs/")

    # Redoc ran and rendered the schema: an operation's heading, its request body and the sidebar.
    page.locator("h2", has_text="Start a voice session with a restaurant's agent").first.wait_for()
    # The sidebar (folded behind Redoc's menu button on a phone) carries Redocly's credit line.
    page.get_by_text("API docs by Redocly").first.wait_for(state="attached")
    assert page.locator("h1", has_text="Hostline API").count() == 1
    assert page.locator("img[src*='redoc.ly']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = "" if width == 1280 else f"-{width}"
    page.screenshot(path=str(ARTIFACTS / f"firstrun-docs{suffix}.png"))

    assert refused == [], "the docs asked another server"
    assert page.evaluate("window.__violations") == []
    context.close()

"""What the browser tests share: a fresh page at a desk or phone width, signed in without the login form when
the sign-in is not what is tested, script errors collected, screenshots, and the no-sideways-scroll check.

The `browser` fixture (one headless Chromium per module) and `owner_page` are in the root conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
DESK, PHONE = 1280, 390
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
_STICKING_OUT = """() => { const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 1 && ![...e.children].some(
        c => c.getBoundingClientRect().right > w + 1))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id); }"""


def new_page(browser: Any, width: int, *, timeout_ms: int = 15_000) -> Any:
    """A page in its own context (own cookies) at `width` px. `page.errors` collects uncaught script errors;
    `page.width` is the width, for screenshot names."""
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.width = width
    return page


def sign_in_as(page: Any, base_url: str, user: Any) -> None:
    """Give the page's context a session for `user`, as if they had signed in (no password, no second factor)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])


def sideways_overflow(page: Any) -> str:
    """ "" when the page fits its width; otherwise what sticks out past the right edge, so a failure says
    what to fix."""
    if page.evaluate(NO_SIDEWAYS_SCROLL):
        return ""
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"scrolls sideways at {page.width} px ({sizes[0]} > {sizes[1]}): {page.evaluate(_STICKING_OUT)}"


def shot(page: Any, name: str, *, must_fit: bool = True) -> None:
    """Keep a full-page screenshot as artifacts/<name>-<width>.png (look at them), and check the page fits."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.width}.png"), full_page=True)
    if must_fit:
        overflow = sideways_overflow(page)
        assert not overflow, f"{name} {overflow}"

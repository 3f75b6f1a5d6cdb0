"""Fixtures shared by every app's tests: two tenants, each with people in every role, and a clean cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from core.livekit import livekit_client_reset
from core.tests.fake_livekit import FakeLiveKit
from tenants.models import Membership, Restaurant, Tenant
from tenants.tests.factories import (
    MembershipFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OpeningHoursFactory,
    RestaurantFactory,
    SpecialDateFactory,
    TenantFactory,
    UserFactory,
)


@pytest.fixture(scope="session")
def _fake_livekit_server() -> Iterator[FakeLiveKit]:
    # One server for the session (a thread and a port); each test gets it clean through `fake_livekit`.
    with FakeLiveKit(django_settings.LIVEKIT_API_KEY, django_settings.LIVEKIT_API_SECRET) as fake:
        yield fake


@pytest.fixture
def fake_livekit(settings: Any, _fake_livekit_server: FakeLiveKit) -> Iterator[FakeLiveKit]:
    """LiveKit's server API on a local port; the platform is pointed at it for the test."""
    fake = _fake_livekit_server
    fake.reset()
    settings.LIVEKIT_URL = fake.url
    settings.LIVEKIT_API_TIMEOUT_SECONDS = 1.0
    livekit_client_reset()
    yield fake
    fake.reset()
    livekit_client_reset()


@pytest.fixture(autouse=True)
def _celery_join_allowed() -> Iterator[None]:
    """Eager tasks run from several threads at once (concurrent bookings, the live server) race on
    Celery's process-wide "inside a task" flag: each saves and restores it around its own run, so the
    last to finish can leave it set, and every later `.delay().get()` in the suite fails with "Never
    call result.get() within a task". No test body runs inside a task: start each with the flag clear."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    # Test settings point at their own Redis database and key prefix, so this never touches real data.
    from core.redis import limits_breaker, snapshot_breaker

    snapshot_breaker.reset()  # a test that broke Redis must not leave the next one skipping it
    limits_breaker.reset()
    cache.clear()
    yield
    cache.clear()
    snapshot_breaker.reset()
    limits_breaker.reset()


@pytest.fixture(autouse=True)
def _operators_two_factor(request: pytest.FixtureRequest, settings: Any) -> None:
    # Production makes operators enrol a second factor before any admin page (accounts/middleware.py).
    # Tests of other features sign operators in with force_login and would all land on the enrolment
    # page, so they run with the rule relaxed; tests marked two_factor (accounts/tests) run with it on.
    settings.OPERATOR_TWO_FACTOR_REQUIRED = request.node.get_closest_marker("two_factor") is not None


@dataclass
class TenantWorld:
    tenant: Tenant
    restaurant: Restaurant
    owner: Any
    member: Any

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _make_world(name: str) -> TenantWorld:
    tenant = TenantFactory(name=name, slug=name.lower())
    restaurant = RestaurantFactory(tenant=tenant, name=f"{name} Bistro")
    OpeningHoursFactory(restaurant=restaurant)
    SpecialDateFactory(restaurant=restaurant)
    category = MenuCategoryFactory(restaurant=restaurant, name=f"{name} Mains")
    MenuItemFactory(category=category, name=f"{name} Secret Dish")
    owner = MembershipFactory(
        tenant=tenant, role=Membership.Role.OWNER, user__username=f"{name.lower()}-owner"
    ).user
    member = MembershipFactory(
        tenant=tenant, role=Membership.Role.STAFF, user__username=f"{name.lower()}-staff"
    ).user
    return TenantWorld(tenant=tenant, restaurant=restaurant, owner=owner, member=member)


@pytest.fixture
def world_a(db: None) -> TenantWorld:
    return _make_world("Alpha")


@pytest.fixture
def world_b(db: None) -> TenantWorld:
    return _make_world("Bravo")


@pytest.fixture
def outsider(db: None) -> Any:
    """A staff user with no membership at all: must see nothing."""
    return UserFactory(username="outsider")


@pytest.fixture
def operator(db: None) -> Any:
    return UserFactory(username="operator", is_superuser=True)


@pytest.fixture(scope="session", autouse=True)
def _close_shared_livekit_client() -> Any:
    # The endpoint's shared LiveKit client lives on a background loop; close it before the interpreter
    # exits so aiohttp has nothing to complain about after pytest's summary.
    yield
    from core.livekit import livekit_client_reset

    livekit_client_reset()


@pytest.fixture
def celery_queue() -> Iterator[str]:
    """A real worker consuming a queue of its own, on the test database pytest-django created."""
    queue = f"test-calls-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=Path(__file__).resolve().parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        if "Traceback" in output:
            print(output)  # shown by pytest when the test fails


# --- Chromium for the browser tests (Playwright driving Debian's chromium) -------------------------------

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    found = next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)
    return found or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module; CI must have it, a developer's machine may skip."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: .ci/run installs Debian's chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI always runs these.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make around it
    # are still plain synchronous code. Only while a browser runs: Django's deploy checks (run by other
    # tests) rightly refuse this variable.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def owner_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A page at a desk's and a phone's width (the test runs at both); it fails the test on any uncaught
    script error. Sign in with core.tests.browser.sign_in_as, or through the login form when that is tested."""
    from core.tests.browser import new_page

    page = new_page(browser, request.param, timeout_ms=20_000)
    yield page
    page.context.close()
    assert page.errors == [], "no script errors"

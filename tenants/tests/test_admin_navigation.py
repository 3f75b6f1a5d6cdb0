"""The admin's sidebar (django-unfold, config/admin_nav.py): organised by owner tasks, and nobody gets a link
to a page they cannot open. Operators' pages appear for operators only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OWNER_TASKS = ["Restaurants", "Menu", "Hours", "Calls", "Bookings", "Settings"]
OPERATOR_PAGES = [
    "admin:tenants_tenant_changelist",
    "admin:tenants_tenant_onboard",
    "admin:calls_callrecord_usage",
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:axes_accessattempt_changelist",
]


def sidebar(client: Client) -> str:
    html = client.get(reverse("admin:index")).content.decode()
    return html.split('id="nav-sidebar-apps"')[1].split("</nav>")[0]


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#?]+)', html))


def test_an_owner_sees_the_owner_tasks_and_every_link_opens(world_a):
    client = world_a.client_for(world_a.owner)
    nav = sidebar(client)
    for heading in OWNER_TASKS:
        assert re.search(rf">\s*{heading}\s*<", nav), heading
    for name in OPERATOR_PAGES:
        assert reverse(name) not in nav
    hrefs = links(nav)
    assert reverse("admin:tenants_menuitem_changelist") in hrefs
    # Hours and the sold-out board go straight to the owner's one restaurant's pages.
    assert reverse("admin:tenants_restaurant_hours", args=[world_a.restaurant.pk]) in hrefs
    assert reverse("admin:tenants_restaurant_sold_out", args=[world_a.restaurant.pk]) in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_staff_do_not_get_the_owners_audit_trail_link(world_a):
    client = world_a.client_for(world_a.member)
    hrefs = links(sidebar(client))
    assert reverse("admin:audit_auditentry_changelist") not in hrefs
    assert reverse("admin:tenants_menuitem_changelist") in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_an_operator_also_sees_the_platform_pages(operator, world_a):
    client = Client()
    client.force_login(operator)
    hrefs = links(sidebar(client))
    for name in OPERATOR_PAGES:
        assert reverse(name) in hrefs, name


def test_a_user_without_a_membership_gets_no_sidebar_links(outsider):
    client = Client()
    client.force_login(outsider)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:tenants_menuitem_changelist") not in html
    assert reverse("admin:tenants_tenant_changelist") not in html


def _message_for(world: Any, caller: str) -> None:
    from calls.schema import CallRecordPayload
    from calls.services import call_record_store
    from calls.tests.factories import call_payload

    call_record_store(
        payload=CallRecordPayload.model_validate(
            call_payload(
                world.restaurant,
                messages=[
                    {
                        "caller_name": caller,
                        "callback_number": "+447700900123",
                        "about": "A table",
                        "at": "2030-01-07T18:00:00+00:00",
                    }
                ],
            )
        )
    )


def _messages_link(client: Client) -> str:
    nav = sidebar(client)
    link = nav.split(f'href="{reverse("admin:calls_message_changelist")}"')[1].split("</a>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", link)).strip()


def test_the_sidebar_counts_the_owners_unread_messages_only(world_a, world_b, operator):
    from calls.models import Message

    _message_for(world_a, "Sam")
    _message_for(world_b, "Other tenant's caller")
    _message_for(world_b, "Another")
    owner = world_a.client_for(world_a.owner)
    assert _messages_link(owner).endswith("Messages 1")

    # Opening the message reads it: the count goes.
    message = Message.objects.get(tenant=world_a.tenant)
    assert owner.get(reverse("admin:calls_message_change", args=[message.pk])).status_code == 200
    assert _messages_link(owner).endswith("Messages")

    # Bravo's owner sees Bravo's two; an operator reads no one's messages and gets no count.
    assert _messages_link(world_b.client_for(world_b.owner)).endswith("Messages 2")
    client = Client()
    client.force_login(operator)
    assert _messages_link(client).endswith("Messages")


def test_the_navigation_toggles_are_named_buttons(world_a):
    """unfold 0.91 draws them as bare <span>s (no keyboard, no name); templates/unfold/helpers overrides them.
    The overrides copy unfold's templates: a new unfold version must be compared with them first."""
    from importlib.metadata import version

    assert version("django-unfold") == "0.91.0", "compare templates/unfold/helpers/*.html with the new unfold"
    html = world_a.client_for(world_a.owner).get(reverse("admin:index")).content.decode()
    assert html.count('aria-label="Show or hide the navigation"') == 2  # the desktop one and the phone one
    assert 'aria-label="Close the navigation"' in html
    assert re.search(r"<button[^>]*aria-label=\"Close the navigation\"", html)

"""Issue 17.9: a new server API key is shown once on a no-store page and never travels in a cookie."""

from __future__ import annotations

import pytest

from tenants.api_keys import api_key_authenticate

pytestmark = pytest.mark.django_db


def test_a_new_key_is_shown_once_on_a_no_store_page_and_never_put_in_a_cookie(world_a, world_b, operator):
    client = world_a.client_for(operator)

    response = client.post(
        "/admin/tenants/tenant/",
        {"action": "create_api_key", "_selected_action": [world_a.tenant.pk, world_b.tenant.pk]},
    )

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    keys = {tenant.pk: key for tenant, key in response.context["created"]}
    assert set(keys) == {world_a.tenant.pk, world_b.tenant.pk}
    page = response.content.decode()
    for tenant_id, key in keys.items():
        assert key in page
        assert api_key_authenticate(presented=key).tenant_id == tenant_id
        # Nothing set on the browser carries it: not the messages cookie, not any other.
        assert all(key not in morsel.value for morsel in response.cookies.values())
        assert all(key not in morsel.value for morsel in client.cookies.values())
    # And nothing was queued to be shown later (messages live in the cookie, or the session).
    later = client.get("/admin/tenants/tenant/")
    assert all(key not in later.content.decode() for key in keys.values())
    assert not list(later.context["messages"])

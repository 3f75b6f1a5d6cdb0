from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.db import transaction

from calls.schema import CallRecordPayload
from calls.services import call_record_store
from calls.tests.factories import call_payload
from tenants.models import MenuItem
from tenants.onboarding import tenant_suspend
from tenants.services import menu_items_set_availability
from tenants.tests.factories import MenuItemFactory
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.selectors import call_refusal_counts
from webhooks.services import call_refusals_flush, call_refused_note, event_emit

pytestmark = pytest.mark.django_db


def _endpoint(world, url, **kwargs) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(tenant=world.tenant, url=url, **kwargs)


def _retry_now(delivery_id: int) -> None:
    """Time passes: the endpoint's pause after a failure is over, and the delivery is tried again."""
    WebhookEndpoint.objects.update(paused_until=None)
    services.delivery_attempt(delivery_id=delivery_id)


def test_a_finished_call_reaches_the_receiver_signed_with_its_transcript(
    world_a, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world_a, receiver.url)
    payload = CallRecordPayload.model_validate(call_payload(world_a.restaurant))
    with django_capture_on_commit_callbacks(execute=True):
        record = call_record_store(payload=payload)

    assert receiver.wait_for(1)
    body = receiver.verify(endpoint.secret)
    assert body["type"] == "call.ended" and body["version"] == 1
    assert body["tenant_id"] == world_a.tenant.pk
    assert body["restaurant_id"] == world_a.restaurant.public_id
    call = body["data"]["call"]
    assert call["id"] == record.job_id
    assert call["duration_seconds"] == 125
    assert call["transcript"][1]["text"] == "Do you have anything vegan?"
    assert call["started_at"].endswith("Z")
    assert receiver.received[0].headers["webhook-id"] == body["id"]
    # A receiver holding another secret rejects it.
    assert not receiver.verifies(services.new_secret())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    attempt = delivery.attempts.get()
    assert attempt.status_code == 200 and '"ok"' in attempt.response_excerpt


def test_the_event_is_stored_with_the_record_or_not_at_all(world_a, receiver):
    _endpoint(world_a, receiver.url)
    payload = CallRecordPayload.model_validate(call_payload(world_a.restaurant))
    with pytest.raises(RuntimeError), transaction.atomic():
        call_record_store(payload=payload)
        raise RuntimeError("the worker died before commit")
    assert not WebhookEvent.objects.exists()
    call_record_store(payload=payload)
    assert WebhookEvent.objects.get().type == "call.ended"


def test_no_endpoint_means_nothing_is_stored(world_a):
    assert event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}) is None
    assert not WebhookEvent.objects.exists()


def test_an_endpoint_only_gets_the_events_it_asked_for_and_only_its_tenants(world_a, world_b, receiver):
    wants_menu = _endpoint(world_a, receiver.url, event_types=["menu.changed"])
    other_tenant = _endpoint(world_b, receiver.url)
    event = event_emit(tenant_id=world_a.tenant.pk, type="call.ended", data={})
    assert event is None
    event = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={})
    assert [d.endpoint for d in event.deliveries.all()] == [wants_menu]
    assert not WebhookDelivery.objects.filter(endpoint=other_tenant).exists()


def test_a_500_and_a_timeout_are_retried_then_delivered_with_the_same_id(world_a, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.script = [500, ("sleep", 1.5), 200]
    endpoint = _endpoint(world_a, receiver.url)
    event = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={"change": "edited"})
    delivery = event.deliveries.get()

    before = dt.datetime.now(dt.UTC)
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code == 500
    # First retry after 30 s ± 20 %.
    assert delivery.next_attempt_at is not None
    assert dt.timedelta(seconds=23) < delivery.next_attempt_at - before < dt.timedelta(seconds=37)

    _retry_now(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_error.startswith("timeout")

    _retry_now(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempt_count == 3
    codes = list(WebhookAttempt.objects.order_by("attempted_at").values_list("status_code", flat=True))
    assert codes == [500, None, 200]
    assert "receiver says no" in WebhookAttempt.objects.get(status_code=500).response_excerpt
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert all(receiver.verifies(endpoint.secret, r) for r in receiver.received)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_backoff_grows_to_about_a_day_then_gives_up(world_a, receiver):
    total = sum(services.RETRY_DELAYS)
    assert 20 * 3600 < total < 26 * 3600
    receiver.script = [503] * services.MAX_ATTEMPTS
    _endpoint(world_a, receiver.url)
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    for _ in range(services.MAX_ATTEMPTS):
        _retry_now(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert services.delivery_attempt(delivery_id=delivery.pk) is None  # given up: never sent again


def test_a_redirect_is_not_followed(world_a, receiver):
    receiver.script = [302]
    _endpoint(world_a, receiver.url)
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code == 302
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",
        "http://localhost:{port}/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/hook",
        "http://10.1.2.3/hook",
    ],
)
def test_private_loopback_and_metadata_addresses_are_refused_at_send_time(world_a, receiver, settings, url):
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []
    port = receiver.url.split(":")[2].split("/")[0]
    # Stored directly, as if DNS had changed since the endpoint was saved: every attempt checks again.
    _endpoint(world_a, url.format(port=port))
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("refused")
    assert delivery.last_status_code is None
    assert receiver.received == []


def test_metadata_stays_refused_even_when_the_operator_allows_internal_hosts(settings):
    from webhooks.ssrf import UnsafeDestination, url_check, vetted_address

    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["169.254.169.254", "127.0.0.1"]
    with pytest.raises(UnsafeDestination):
        url_check("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(UnsafeDestination):
        vetted_address("169.254.169.254", 80)
    assert vetted_address("127.0.0.1", 80) == "127.0.0.1"


def test_endpoints_must_be_https_unless_the_operator_allows_http(world_a, settings):
    from webhooks.ssrf import UnsafeDestination

    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(UnsafeDestination, match="https"):
        services.endpoint_create(tenant_id=world_a.tenant.pk, url="http://example.com/hook")
    with pytest.raises(UnsafeDestination, match="password"):
        services.endpoint_create(tenant_id=world_a.tenant.pk, url="https://u:p@example.com/hook")
    assert services.endpoint_create(
        tenant_id=world_a.tenant.pk, url="https://example.com/hook"
    ).secret.startswith("whsec_")


def test_after_a_rotation_both_secrets_verify_until_the_grace_period_ends(world_a, receiver):
    endpoint = _endpoint(world_a, receiver.url)
    old = endpoint.secret
    new = services.endpoint_secret_rotate(endpoint=endpoint)
    for _ in range(2):
        delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
        services.delivery_attempt(delivery_id=delivery.pk)
    assert receiver.verifies(old, receiver.received[0]) and receiver.verifies(new, receiver.received[0])
    endpoint.previous_secret_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    endpoint.save()
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    assert receiver.verifies(new) and not receiver.verifies(old)


def test_sustained_failure_disables_the_endpoint_and_emails_the_owner(
    world_a, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_HOURS = 0
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    settings.WEBHOOK_SWEEP_INTERVAL_SECONDS = 0  # no immediate retries: this test sends each attempt
    world_a.owner.email = "owner@alpha.example"
    world_a.owner.save()
    receiver.script = [500] * 5
    endpoint = _endpoint(world_a, receiver.url)
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _retry_now(delivery.pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled and "3 failed attempts" in endpoint.disabled_reason
    assert mail.outbox[0].to == ["owner@alpha.example"]
    assert receiver.url in mail.outbox[0].body
    # Disabled: the pending delivery is not sent again, and new events are not stored for it.
    _retry_now(delivery.pk)
    assert len(receiver.received) == 3
    assert event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}) is None


def test_one_slow_endpoint_does_not_hold_up_another(world_a, receiver, settings):
    from webhooks.tests.receiver import start_receiver

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    fast, server = start_receiver()
    try:
        receiver.script = [("sleep", 2)]
        _endpoint(world_a, receiver.url)
        _endpoint(world_a, fast.url)
        event = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={})
        for delivery in event.deliveries.all():
            services.delivery_attempt(delivery_id=delivery.pk)
        statuses = {d.endpoint.url: d.status for d in event.deliveries.select_related("endpoint")}
        assert statuses == {receiver.url: "pending", fast.url: "succeeded"}
    finally:
        server.shutdown()
        server.server_close()


def test_resend_sends_the_same_event_again(world_a, receiver, django_capture_on_commit_callbacks):
    _endpoint(world_a, receiver.url)
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=delivery)
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]


def test_the_sweep_delivers_what_a_crash_after_commit_never_enqueued(world_a, receiver):
    _endpoint(world_a, receiver.url)
    # Committed, but the process died before the on-commit enqueue (callbacks never run in this test).
    event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={})
    assert receiver.received == []
    assert services.deliveries_sweep() == 1  # eager Celery: the task runs here
    assert receiver.wait_for(1)
    # A worker that claimed a delivery and was killed mid-send: its lease runs out, the sweep takes over.
    delivery = event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    )
    assert services.deliveries_sweep() == 0  # still held
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    assert services.deliveries_sweep() == 1
    assert receiver.wait_for(2)


def test_refused_calls_are_counted_in_redis_and_flushed_into_events(world_a, world_b, receiver):
    endpoint = _endpoint(world_a, receiver.url, event_types=["call.refused"])
    call_refused_note(tenant_id=world_a.tenant.pk, restaurant_id=world_a.restaurant.public_id, reason="busy")
    call_refused_note(tenant_id=world_a.tenant.pk, restaurant_id=world_a.restaurant.public_id, reason="busy")
    # A mismatched tenant/restaurant pair is never attributed across tenants.
    call_refused_note(
        tenant_id=world_b.tenant.pk, restaurant_id=world_a.restaurant.public_id, reason="closed"
    )
    assert not WebhookEvent.objects.exists()  # nothing in Postgres on the call path
    assert call_refusal_counts(tenant_id=world_a.tenant.pk) == {"busy": 2}
    assert call_refusals_flush() == 3
    events_ = list(WebhookEvent.objects.filter(type="call.refused"))
    assert len(events_) == 2 and {e.tenant_id for e in events_} == {world_a.tenant.pk}
    assert events_[0].body["data"]["reason"] == "busy"
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2
    assert call_refusals_flush() == 0


def test_a_sold_out_toggle_and_an_admin_edit_each_announce_one_menu_change(world_a, receiver):
    _endpoint(world_a, receiver.url)
    category = world_a.restaurant.menu_categories.get()
    MenuItemFactory(category=category, name="Salmon")
    WebhookEvent.objects.all().delete()
    menu_items_set_availability(items=MenuItem.objects.filter(restaurant=world_a.restaurant), available=False)
    assert list(WebhookEvent.objects.values_list("type", flat=True)) == ["menu.changed"]
    assert WebhookEvent.objects.get().body["data"]["change"] == "availability"
    WebhookEvent.objects.all().delete()
    with transaction.atomic():  # an admin form saving several rows at once
        for item in MenuItem.objects.filter(restaurant=world_a.restaurant):
            item.price += 1
            item.save()
    assert WebhookEvent.objects.count() == 1


def test_deactivating_a_restaurant_or_suspending_the_tenant_announces_the_status(world_a, receiver):
    _endpoint(world_a, receiver.url, event_types=["restaurant.status_changed"])
    world_a.restaurant.is_active = False
    world_a.restaurant.save()
    event = WebhookEvent.objects.get()
    assert event.body["data"]["taking_calls"] is False
    assert event.body["data"]["reason"] == "restaurant_deactivated"
    world_a.restaurant.name = "Renamed"
    world_a.restaurant.save()
    assert WebhookEvent.objects.count() == 1  # not a status change
    tenant_suspend(tenant=world_a.tenant)
    latest = WebhookEvent.objects.order_by("-created_at").first()
    assert latest.body["data"]["reason"] == "tenant_suspended"
    assert json.dumps(latest.body)  # JSON-ready


def test_a_dead_endpoint_is_probed_by_one_delivery_while_the_others_wait(world_a, receiver, settings):
    from webhooks.tests.receiver import start_receiver

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    healthy, server = start_receiver()
    try:
        receiver.script = [("sleep", 2)] * 5
        dead = _endpoint(world_a, receiver.url, event_types=["menu.changed"])
        _endpoint(world_a, healthy.url, event_types=["call.ended"])
        pending = [
            event_emit(tenant_id=world_a.tenant.pk, type="menu.changed", data={}).deliveries.get()
            for _ in range(5)
        ]
        for delivery in pending:
            services.delivery_attempt(delivery_id=delivery.pk)
        assert len(receiver.received) == 1  # one timeout paid, not five
        dead.refresh_from_db()
        waiting = WebhookDelivery.objects.filter(endpoint=dead, attempt_count=0)
        assert waiting.count() == 4
        assert all(d.next_attempt_at > dead.paused_until for d in waiting)
        # Another endpoint of the same tenant is not held up by it.
        ok = event_emit(tenant_id=world_a.tenant.pk, type="call.ended", data={}).deliveries.get()
        services.delivery_attempt(delivery_id=ok.pk)
        ok.refresh_from_db()
        assert ok.status == "succeeded"
    finally:
        server.shutdown()
        server.server_close()


def test_a_phone_calls_event_names_the_caller_masked_and_a_web_call_names_nobody(
    world_a, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world_a, receiver.url)
    for data in (
        call_payload(world_a.restaurant, channel="phone", caller_number="+447700900123"),
        call_payload(world_a.restaurant),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            call_record_store(payload=CallRecordPayload.model_validate(data))
    assert receiver.wait_for(2)
    callers = {
        body["data"]["call"]["channel"]: body["data"]["call"]["caller"]
        for body in (json.loads(r.body) for r in receiver.received)
    }
    assert callers == {"phone": "+44••••••0123", "web": None}
    assert receiver.verify(endpoint.secret)


def test_a_refused_web_call_start_becomes_a_call_refused_event(world_a, world_b, receiver):
    from django.test import Client

    from tenants.cache import restaurant_snapshot_invalidate
    from tenants.models import Restaurant
    from tenants.tests.factories import AllowedOriginFactory

    endpoint = _endpoint(world_a, receiver.url, event_types=["call.refused"])
    _endpoint(world_b, receiver.url, event_types=["call.refused"])
    AllowedOriginFactory(tenant=world_a.tenant, origin="https://alpha.example")
    Restaurant.objects.filter(pk=world_a.restaurant.pk).update(went_live_at=None)
    restaurant_snapshot_invalidate(public_ids=[world_a.restaurant.public_id])

    response = Client().post(
        "/api/connection-details",
        data=json.dumps({"restaurant_id": world_a.restaurant.public_id}),
        content_type="application/json",
        HTTP_ORIGIN="https://alpha.example",
    )
    assert response.status_code in (403, 409) and response.json()["error"] == "not_live"
    assert not WebhookEvent.objects.exists()  # nothing in Postgres on the call-start path

    assert call_refusals_flush() == 1
    event = WebhookEvent.objects.get()
    assert event.tenant_id == world_a.tenant.pk
    assert event.body["data"]["reason"] == "not_live" and event.body["data"]["channel"] == "web"
    assert event.body["data"]["restaurant"]["id"] == world_a.restaurant.public_id
    assert [d.endpoint for d in event.deliveries.all()] == [endpoint]

"""Numbers in LiveKit SIP: exactly what is created, that it is idempotent, and what happens when LiveKit is down."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import jwt
import pytest
from django.core.exceptions import ValidationError

from calls.contract import AGENT_NAME
from core.livekit import LiveKitUnavailable, livekit_client_reset
from core.phone_numbers import e164_mask, e164_normalize
from telephony import services
from telephony.models import PhoneNumber
from telephony.tasks import phone_number_sync
from tenants.models import Restaurant
from tenants.tests.factories import RestaurantFactory

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "+442079460123"


def _attach(restaurant: Restaurant, number: str = NUMBER) -> PhoneNumber:
    return services.phone_number_create(number=number, restaurant=restaurant)


def test_numbers_are_read_the_way_people_type_them_and_stored_in_e164():
    assert e164_normalize("+44 20 7946 0123") == NUMBER
    assert e164_normalize("020 7946 0123", region="GB") == NUMBER
    assert e164_mask(NUMBER) == "+44 ••• 0123"
    for bad in ["", "hello", "+44 20", "020 7946 0123"]:  # the last: national, without a region
        with pytest.raises(ValidationError):
            e164_normalize(bad)


def test_attaching_a_number_creates_its_own_trunk_and_a_rule_dispatching_the_agent(world_a, fake_livekit):
    phone = _attach(world_a.restaurant)
    phone.refresh_from_db()
    assert phone.status == PhoneNumber.Status.ACTIVE and phone.last_error == ""

    [create_trunk] = fake_livekit.sip_calls("CreateSIPInboundTrunk")
    trunk = create_trunk.message["trunk"]
    assert trunk["numbers"] == [NUMBER]  # exactly the dialled number, on a trunk of its own
    assert json.loads(trunk["metadata"])["managed_by"] == "hostline"
    assert create_trunk.claims["sip"]["admin"] is True

    [create_rule] = fake_livekit.sip_calls("CreateSIPDispatchRule")
    rule = create_rule.message["dispatchRule"]
    assert rule["trunkIds"] == [phone.livekit_trunk_id]
    assert rule["rule"]["dispatchRuleIndividual"]["roomPrefix"] == f"hl-{world_a.restaurant.public_id}-phone-"
    [agent] = rule["roomConfig"]["agents"]
    assert agent["agentName"] == AGENT_NAME
    assert json.loads(agent["metadata"]) == {
        "version": 1,
        "restaurant_id": world_a.restaurant.public_id,
        "tenant_id": world_a.tenant.pk,
        "channel": "phone",
    }
    assert phone.livekit_rule_id == next(iter(fake_livekit.rules))


def test_provisioning_twice_changes_nothing_the_second_time(world_a, fake_livekit):
    _attach(world_a.restaurant)
    writes = len(fake_livekit.sip_writes())
    assert phone_number_sync.delay(NUMBER).get() == []
    assert len(fake_livekit.sip_writes()) == writes


def test_moving_a_number_rewrites_its_rule_for_the_new_restaurant(world_a, world_b, fake_livekit):
    phone = _attach(world_a.restaurant)
    services.phone_number_attach(phone_number=phone, restaurant=world_b.restaurant)
    phone.refresh_from_db()
    assert phone.tenant_id == world_b.tenant.pk and phone.status == PhoneNumber.Status.ACTIVE
    [update] = fake_livekit.sip_calls("UpdateSIPDispatchRule")
    agent = update.message["replace"]["roomConfig"]["agents"][0]
    assert json.loads(agent["metadata"])["restaurant_id"] == world_b.restaurant.public_id
    assert len(fake_livekit.trunks) == 1 and len(fake_livekit.rules) == 1


def test_detaching_a_number_removes_its_rule_and_trunk(world_a, fake_livekit):
    phone = _attach(world_a.restaurant)
    services.phone_number_attach(phone_number=phone, restaurant=None)
    phone.refresh_from_db()
    assert phone.status == PhoneNumber.Status.UNATTACHED and phone.tenant_id is None
    assert fake_livekit.rules == {} and fake_livekit.trunks == {}
    methods = [c.method for c in fake_livekit.sip_writes()][-2:]
    assert methods == ["DeleteSIPDispatchRule", "DeleteSIPTrunk"]  # never a rule pointing at no trunk


def test_deleting_a_number_removes_what_the_platform_made_for_it(world_a, fake_livekit):
    phone = _attach(world_a.restaurant)
    services.phone_number_delete(phone_number=phone)
    assert fake_livekit.rules == {} and fake_livekit.trunks == {}


def test_with_livekit_down_the_number_shows_the_error_and_the_retry_succeeds(world_a, fake_livekit):
    fake_livekit.fail_status = 503
    phone = services.phone_number_create(number=NUMBER)
    services.phone_number_attach(phone_number=phone, restaurant=world_a.restaurant)  # the save never fails
    phone.refresh_from_db()
    assert phone.restaurant_id == world_a.restaurant.pk  # the attachment itself is not lost
    assert phone.status == PhoneNumber.Status.ERROR
    assert "LiveKit could not be updated" in phone.last_error and "503" in phone.last_error

    fake_livekit.fail_status = None  # LiveKit is back: the next attempt succeeds
    phone_number_sync.delay(NUMBER).get()
    phone.refresh_from_db()
    assert (phone.status, phone.last_error) == (PhoneNumber.Status.ACTIVE, "")
    assert len(fake_livekit.trunks) == 1 and len(fake_livekit.rules) == 1


def test_an_unreachable_livekit_is_an_error_on_the_number_not_a_crash(world_a, settings):
    settings.LIVEKIT_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.LIVEKIT_API_TIMEOUT_SECONDS = 0.5
    livekit_client_reset()
    try:
        _attach(world_a.restaurant)  # the save never fails because LiveKit is unreachable
    finally:
        livekit_client_reset()
    phone = PhoneNumber.objects.get(number=NUMBER)
    assert phone.status == PhoneNumber.Status.ERROR and phone.last_error


def test_the_task_retries_livekit_failures_with_backoff():
    assert LiveKitUnavailable in phone_number_sync.autoretry_for
    assert phone_number_sync.retry_backoff and (phone_number_sync.max_retries or 0) >= 5


def test_the_stand_in_refuses_sip_calls_without_the_sip_admin_grant(fake_livekit, settings):
    token = jwt.encode(
        {"iss": settings.LIVEKIT_API_KEY, "video": {"roomAdmin": True, "room": "x"}, "exp": 2_000_000_000},
        settings.LIVEKIT_API_SECRET,
        algorithm="HS256",
    )
    request = urllib.request.Request(  # noqa: S310 - the local stand-in
        f"{fake_livekit.url}/twirp/livekit.SIP/ListSIPDispatchRule",
        data=b"{}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - a local test server
    assert denied.value.code == 403


def test_a_number_is_attached_to_one_restaurant_and_its_tenant_follows(world_a):
    other = RestaurantFactory(tenant=world_a.tenant, name="Second")
    phone = PhoneNumber.objects.create(number=NUMBER, restaurant=other)
    assert phone.tenant_id == world_a.tenant.pk
    with pytest.raises(ValidationError):
        services.phone_number_create(number="+44 20 7946 0123")  # the same number twice


def test_deleting_a_restaurant_returns_its_number_to_the_pool_and_livekit_forgets_it(world_a, fake_livekit):
    phone = _attach(world_a.restaurant)
    world_a.restaurant.delete()
    phone.refresh_from_db()
    assert (phone.restaurant_id, phone.tenant_id, phone.status) == (None, None, PhoneNumber.Status.UNATTACHED)
    assert fake_livekit.rules == {} and fake_livekit.trunks == {}


def test_a_broker_outage_leaves_the_number_pending_and_the_save_succeeds(world_a, monkeypatch):
    from celery import current_app

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis")

    monkeypatch.setattr(current_app, "signature", broker_down)
    phone = _attach(world_a.restaurant)
    phone.refresh_from_db()
    assert (phone.restaurant_id, phone.status) == (world_a.restaurant.pk, PhoneNumber.Status.PENDING)

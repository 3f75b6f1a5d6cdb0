"""`manage.py sync_phone_numbers`: drift made directly in LiveKit is repaired exactly, and only the platform's own."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from livekit.protocol import sip as sip_proto

from telephony import services
from telephony.models import PhoneNumber
from telephony.sip import desired_rule, desired_trunk

pytestmark = pytest.mark.django_db(transaction=True)

A, B = "+442079460111", "+442079460222"


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sync_phone_numbers", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def provisioned(world_a, fake_livekit):
    for number in (A, B):
        services.phone_number_create(number=number, restaurant=world_a.restaurant)
    fake_livekit.calls.clear()
    return fake_livekit


def _foreign(fake) -> tuple[str, str]:
    """A trunk and rule an operator made by hand for another product in the same LiveKit project."""
    trunk = sip_proto.SIPInboundTrunkInfo(sip_trunk_id="ST_foreign", name="front desk", numbers=["+15550100"])
    rule = sip_proto.SIPDispatchRuleInfo(
        sip_dispatch_rule_id="SDR_foreign",
        name="front desk",
        trunk_ids=["ST_foreign"],
        metadata='{"team":"x"}',
    )
    fake.trunks[trunk.sip_trunk_id], fake.rules[rule.sip_dispatch_rule_id] = trunk, rule
    return trunk.sip_trunk_id, rule.sip_dispatch_rule_id


def _rule_for(fake, number: str) -> sip_proto.SIPDispatchRuleInfo:
    [rule] = [r for r in fake.rules.values() if json.loads(r.metadata or "{}").get("number") == number]
    return rule


def test_nothing_to_do_when_livekit_matches(provisioned):
    assert "nothing to do" in sync()
    assert provisioned.sip_writes() == []


def test_drift_is_repaired_exactly_and_the_second_run_has_nothing_to_do(provisioned, world_a):
    fake = provisioned
    foreign_trunk, foreign_rule = _foreign(fake)
    # 1. A's rule edited by hand: someone pointed it at another room prefix and agent.
    edited = _rule_for(fake, A)
    edited.rule.dispatch_rule_individual.room_prefix = "hijacked-"
    del edited.room_config.agents[:]
    # 2. B's rule deleted by hand.
    missing_id = _rule_for(fake, B).sip_dispatch_rule_id
    del fake.rules[missing_id]
    # 3. An extra rule of the platform's for a number the database no longer has.
    stale_trunk = sip_proto.SIPInboundTrunkInfo(sip_trunk_id="ST_stale")
    stale_trunk.CopyFrom(desired_trunk(number="+442079460999"))
    stale_trunk.sip_trunk_id = "ST_stale"
    fake.trunks["ST_stale"] = stale_trunk
    stale_rule = desired_rule(
        number="+442079460999",
        trunk_id="ST_stale",
        restaurant_public_id="r_gone",
        tenant_id=world_a.tenant.pk,
    )
    stale_rule.sip_dispatch_rule_id = "SDR_stale"
    fake.rules["SDR_stale"] = stale_rule

    out = sync()
    assert f"update rule for {A} ({edited.sip_dispatch_rule_id})" in out
    assert f"create rule for {B}" in out
    assert "delete rule for +442079460999 (SDR_stale)" in out
    assert "delete trunk for +442079460999 (ST_stale)" in out
    assert sorted(c.method for c in fake.sip_writes()) == [
        "CreateSIPDispatchRule",
        "DeleteSIPDispatchRule",
        "DeleteSIPTrunk",
        "UpdateSIPDispatchRule",
    ]
    # Repaired to exactly what the platform wants; the hand-made objects are untouched.
    phone_a = PhoneNumber.objects.get(number=A)
    repaired = _rule_for(fake, A)
    assert repaired.rule.dispatch_rule_individual.room_prefix == f"hl-{world_a.restaurant.public_id}-phone-"
    assert [a.agent_name for a in repaired.room_config.agents] == ["hostline-restaurant-agent"]
    assert _rule_for(fake, B).trunk_ids == [PhoneNumber.objects.get(number=B).livekit_trunk_id]
    assert PhoneNumber.objects.get(number=B).livekit_rule_id == _rule_for(fake, B).sip_dispatch_rule_id
    assert phone_a.status == PhoneNumber.Status.ACTIVE
    assert foreign_trunk in fake.trunks and foreign_rule in fake.rules
    assert fake.rules[foreign_rule].metadata == '{"team":"x"}'

    fake.calls.clear()
    assert "nothing to do" in sync()
    assert fake.sip_writes() == []


def test_dry_run_prints_and_changes_nothing(provisioned):
    fake = provisioned
    del fake.rules[_rule_for(fake, A).sip_dispatch_rule_id]
    out = sync("--dry-run")
    assert f"would create rule for {A}" in out
    assert fake.sip_writes() == []
    assert f"create rule for {A}" in sync()


def test_a_number_detached_while_livekit_was_down_is_cleaned_up(provisioned):
    fake = provisioned
    fake.fail_status = 503
    phone = PhoneNumber.objects.get(number=A)
    services.phone_number_attach(phone_number=phone, restaurant=None)
    phone.refresh_from_db()
    assert phone.status == PhoneNumber.Status.ERROR  # its rule may still ring the agent: say so
    fake.fail_status = None
    out = sync()
    assert f"delete rule for {A}" in out and f"delete trunk for {A}" in out
    phone.refresh_from_db()
    assert phone.status == PhoneNumber.Status.UNATTACHED


def test_livekit_down_fails_the_command_and_changes_nothing(provisioned):
    provisioned.fail_status = 503
    with pytest.raises(CommandError, match="LiveKit could not be reached"):
        sync()

"""Writes for phone numbers, and their reconciliation with LiveKit SIP (the database is the truth).

Attaching, moving and detaching only change the row and mark it pending; LiveKit is updated after the
commit by a Celery task (`telephony.tasks.phone_number_sync`), which records the outcome on the row. The
same reconciliation, over every number at once, is `manage.py sync_phone_numbers`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.livekit import LiveKitUnavailable
from core.phone_numbers import e164_normalize
from telephony import sip
from telephony.models import PhoneNumber
from tenants.models import Restaurant

logger = logging.getLogger(__name__)


# --- what operators and owners do ---------------------------------------------------------------------------


# The Celery task that runs `phone_number_sync` (telephony/tasks.py pins this name).
PHONE_NUMBER_SYNC_TASK = "telephony.tasks.phone_number_sync"


def _enqueue_sync(number: str) -> None:
    transaction.on_commit(lambda: _send_sync(number))


def _send_sync(number: str) -> None:
    try:
        # By name, so this module need not import the task module that imports it.
        current_app.signature(PHONE_NUMBER_SYNC_TASK, args=(number,)).delay()
    except Exception as exc:
        # The change is committed and the number shows "pending"; `manage.py sync_phone_numbers` (or the
        # next save) provisions it. An operator's save must not fail because the broker is down.
        logger.error("could not enqueue provisioning of %s, it stays pending: %r", number, exc)


def restaurant_numbers_detach(*, restaurant: Restaurant) -> None:
    """Before a restaurant is deleted: its numbers go back to the pool and LiveKit stops routing them."""
    for phone in PhoneNumber.objects.filter(restaurant=restaurant):
        phone_number_attach(phone_number=phone, restaurant=None)


def phone_number_create(*, number: str, restaurant: Restaurant | None = None) -> PhoneNumber:
    """Add a number to the platform's pool, attached to `restaurant` if given."""
    phone = PhoneNumber(number=e164_normalize(number))
    phone.full_clean(exclude=["restaurant", "tenant"])
    with transaction.atomic():
        phone.save()
        if restaurant is not None:
            phone_number_attach(phone_number=phone, restaurant=restaurant)
    return phone


def phone_number_attach(*, phone_number: PhoneNumber, restaurant: Restaurant | None) -> PhoneNumber:
    """Attach the number to `restaurant` (moving it if attached elsewhere), or detach it with None."""
    with transaction.atomic():
        phone = PhoneNumber.objects.select_for_update().get(pk=phone_number.pk)
        if phone.restaurant_id == (restaurant.pk if restaurant else None):
            return phone
        phone.restaurant = restaurant
        phone.status = PhoneNumber.Status.PENDING
        phone.last_error = ""
        phone.save()
        _enqueue_sync(phone.number)
    return phone


def phone_number_staff_number_set(*, phone_number: PhoneNumber, staff_number: str) -> PhoneNumber:
    """Set (or clear, with "") where the agent hands callers over. Only the agent reads it: LiveKit is untouched."""
    value = e164_normalize(staff_number) if staff_number.strip() else ""
    if value and value == phone_number.number:
        raise ValidationError("The staff number must not be the number the agent answers.")
    with transaction.atomic():
        previous = (
            PhoneNumber.objects.filter(pk=phone_number.pk).values_list("staff_number", flat=True).first()
        )
        PhoneNumber.objects.filter(pk=phone_number.pk).update(staff_number=value, updated_at=timezone.now())
        # .update() sends no signals: write the audit trail here.
        audit_record(action="update", obj=phone_number, changes={"staff_number": [previous, value]})
    phone_number.staff_number = value
    return phone_number


def phone_number_delete(*, phone_number: PhoneNumber) -> None:
    number = phone_number.number
    with transaction.atomic():
        phone_number.delete()
        _enqueue_sync(number)  # removes the trunk and rule the platform made for it


# --- reconciliation --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    action: str  # create | update | delete
    kind: str  # trunk | rule
    number: str
    livekit_id: str

    def __str__(self) -> str:
        return f"{self.action} {self.kind} for {self.number}" + (
            f" ({self.livekit_id})" if self.livekit_id else ""
        )


def _by_number(items: Iterable[Any]) -> dict[str, list[Any]]:
    managed: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        number = sip.managed_number(item.metadata)
        if number is not None:
            managed[number].append(item)
    return managed


def _pick(items: list[Any], preferred_id: str, id_field: str) -> tuple[Any | None, list[Any]]:
    """The object to keep (the one the row remembers, else the oldest listed) and the extras to delete."""
    if not items:
        return None, []
    keep = next((i for i in items if getattr(i, id_field) == preferred_id), items[0])
    return keep, [i for i in items if i is not keep]


class _Reconciler:
    def __init__(self, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.changes: list[Change] = []

    def _do(self, change: Change, call: Any = None) -> Any:
        self.changes.append(change)
        logger.info("sip reconcile: %s%s", change, " (dry run)" if self.dry_run else "")
        return None if self.dry_run or call is None else call()

    def remove(self, number: str, trunks: list[Any], rules: list[Any]) -> None:
        # Rules first: a rule must never point at a trunk that no longer exists.
        for rule in rules:
            rid = rule.sip_dispatch_rule_id
            self._do(Change("delete", "rule", number, rid), lambda rid=rid: sip.sip_dispatch_rule_delete(rid))
        for trunk in trunks:
            tid = trunk.sip_trunk_id
            self._do(Change("delete", "trunk", number, tid), lambda tid=tid: sip.sip_trunk_delete(tid))

    def sync(self, phone: PhoneNumber | None, number: str, trunks: list[Any], rules: list[Any]) -> None:
        """Make LiveKit hold exactly what the row says for `number` (no row: nothing)."""
        restaurant = phone.restaurant if phone is not None else None
        if phone is None or restaurant is None:
            self.remove(number, trunks, rules)
            if phone is not None and not self.dry_run:
                self._record(phone, PhoneNumber.Status.UNATTACHED, trunk_id="", rule_id="")
            return
        trunk, extra_trunks = _pick(trunks, phone.livekit_trunk_id, "sip_trunk_id")
        rule, extra_rules = _pick(rules, phone.livekit_rule_id, "sip_dispatch_rule_id")
        self.remove(number, extra_trunks, extra_rules)

        wanted_trunk = sip.desired_trunk(number=number)
        if trunk is None:
            created = self._do(
                Change("create", "trunk", number, ""), lambda: sip.sip_inbound_trunk_create(wanted_trunk)
            )
            trunk_id = created.sip_trunk_id if created is not None else "(new trunk)"
        else:
            trunk_id = trunk.sip_trunk_id
            if sip.trunk_drifted(trunk, wanted_trunk):
                self._do(
                    Change("update", "trunk", number, trunk_id),
                    lambda: sip.sip_inbound_trunk_update(trunk_id, wanted_trunk),
                )

        wanted_rule = sip.desired_rule(
            number=number,
            trunk_id=trunk_id,
            restaurant_public_id=restaurant.public_id,
            tenant_id=restaurant.tenant_id,
        )
        if rule is None:
            created = self._do(
                Change("create", "rule", number, ""), lambda: sip.sip_dispatch_rule_create(wanted_rule)
            )
            rule_id = created.sip_dispatch_rule_id if created is not None else ""
        else:
            rule_id = rule.sip_dispatch_rule_id
            if sip.rule_drifted(rule, wanted_rule):
                self._do(
                    Change("update", "rule", number, rule_id),
                    lambda: sip.sip_dispatch_rule_update(rule_id, wanted_rule),
                )
        if not self.dry_run:
            self._record(phone, PhoneNumber.Status.ACTIVE, trunk_id=trunk_id, rule_id=rule_id)

    @staticmethod
    def _record(phone: PhoneNumber, status: str, *, trunk_id: str, rule_id: str) -> None:
        PhoneNumber.objects.filter(pk=phone.pk).update(
            status=status,
            last_error="",
            livekit_trunk_id=trunk_id,
            livekit_rule_id=rule_id,
            last_synced_at=timezone.now(),
            updated_at=timezone.now(),
        )


def _record_error(number: str, exc: Exception) -> None:
    # Also for a detached number: until its rule is deleted, LiveKit may still send its calls to the agent.
    PhoneNumber.objects.filter(number=number).update(
        status=PhoneNumber.Status.ERROR,
        last_error=f"LiveKit could not be updated: {exc}"[:1000],
        updated_at=timezone.now(),
    )


def phone_number_sync(*, number: str) -> list[Change]:
    """Reconcile one number (by its E.164 form) with LiveKit. Idempotent: a second run changes nothing.

    Raises LiveKitUnavailable after recording the error on the number, so the task can retry.
    """
    phone = PhoneNumber.objects.select_related("restaurant").filter(number=number).first()
    reconciler = _Reconciler(dry_run=False)
    try:
        trunks = _by_number(sip.sip_inbound_trunks_list(numbers=[number])).get(number, [])
        # Unfiltered: a rule of this number whose trunk_ids drifted away must still be found.
        rules = _by_number(sip.sip_dispatch_rules_list()).get(number, [])
        reconciler.sync(phone, number, trunks, rules)
    except LiveKitUnavailable as exc:
        _record_error(number, exc)
        raise
    return reconciler.changes


@dataclass
class ReconcileResult:
    changes: list[Change]
    errors: list[str]


def phone_numbers_reconcile(*, dry_run: bool = False) -> ReconcileResult:
    """Both directions, every number: create what is missing, update what drifted, delete the platform's
    trunks and rules for numbers no longer attached or known. Objects the platform did not make are never
    touched. Listing failures raise LiveKitUnavailable; a failure on one number is recorded and the rest go on.
    """
    trunks = _by_number(sip.sip_inbound_trunks_list())
    rules = _by_number(sip.sip_dispatch_rules_list())
    reconciler = _Reconciler(dry_run=dry_run)
    errors: list[str] = []
    phones = {p.number: p for p in PhoneNumber.objects.select_related("restaurant")}
    for number in sorted(set(phones) | set(trunks) | set(rules)):
        try:
            reconciler.sync(phones.get(number), number, trunks.get(number, []), rules.get(number, []))
        except LiveKitUnavailable as exc:
            errors.append(f"{number}: {exc}")
            if not dry_run:
                _record_error(number, exc)
    return ReconcileResult(changes=reconciler.changes, errors=errors)

"""Owner alerts by email, found by a Celery beat sweep and sent at most once per kind per restaurant per day.

The sweep reads what already exists (refusal counts, call outcomes, tenant status), so nothing on the call
path has to remember to raise an alert, and a sweep that runs twice sends nothing twice: the OwnerAlert row
is the de-duplication key, inserted before the email goes out (after commit).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from calls.models import CallRecord, CallRefusalCount, Outcome, RefusalReason
from owners.models import OwnerAlert
from tenants.models import Membership, Restaurant, Tenant
from tenants.scoping import unscoped

logger = logging.getLogger(__name__)

# Voice-service refusals within this window, at least this many: LiveKit has been down for minutes.
VOICE_DOWN_WINDOW = dt.timedelta(minutes=30)
VOICE_DOWN_MIN_REFUSALS = 3


@dataclass(frozen=True)
class AlertToSend:
    tenant_id: int
    restaurant: Restaurant | None
    kind: str
    day: dt.date
    subject: str
    body: str


def _local_today(restaurant: Restaurant, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    local = now.astimezone(ZoneInfo(restaurant.timezone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local.date(), start.astimezone(dt.UTC)


def _restaurant_alerts(now: dt.datetime) -> list[AlertToSend]:
    found: list[AlertToSend] = []
    restaurants = unscoped(
        Restaurant.objects.filter(tenant__status=Tenant.Status.ACTIVE), reason="platform alert sweep"
    )
    for restaurant in restaurants:
        today, since = _local_today(restaurant, now)
        refusals = dict(
            CallRefusalCount.objects.filter(restaurant=restaurant, period_start__gte=since)
            .values("reason")
            .annotate(total=Sum("count"))
            .values_list("reason", "total")
        )
        if refusals.get(RefusalReason.ORIGIN_NOT_ALLOWED):
            found.append(
                AlertToSend(
                    restaurant.tenant_id,
                    restaurant,
                    OwnerAlert.Kind.ORIGIN_NOT_ALLOWED,
                    today,
                    f"{restaurant.name}: calls refused from a website that is not allowed",
                    f"Today {refusals[RefusalReason.ORIGIN_NOT_ALLOWED]} call(s) to {restaurant.name} were "
                    "refused because the website they came from is not on your allowed websites. If that "
                    "website is yours, add it under Allowed websites in the admin.",
                )
            )
        errors = CallRecord.objects.counted().filter(
            restaurant=restaurant, outcome=Outcome.AGENT_ERROR, started_at__gte=since
        )
        error_count = errors.count()
        if error_count:
            found.append(
                AlertToSend(
                    restaurant.tenant_id,
                    restaurant,
                    OwnerAlert.Kind.AGENT_ERROR,
                    today,
                    f"{restaurant.name}: the agent hit errors on calls today",
                    f"{error_count} call(s) to {restaurant.name} today ended with an agent error. The call "
                    "records are in your admin, under Call records.",
                )
            )
        down = (
            CallRefusalCount.objects.filter(
                restaurant=restaurant,
                reason=RefusalReason.VOICE_SERVICE_DOWN,
                period_start__gte=now - VOICE_DOWN_WINDOW,
            ).aggregate(total=Sum("count"))["total"]
            or 0
        )
        if down >= VOICE_DOWN_MIN_REFUSALS:
            found.append(
                AlertToSend(
                    restaurant.tenant_id,
                    restaurant,
                    OwnerAlert.Kind.VOICE_SERVICE_DOWN,
                    today,
                    f"{restaurant.name}: the voice service is unavailable",
                    f"For several minutes diners calling {restaurant.name} could not be connected "
                    f"({down} call(s) refused). The platform team has been alerted too.",
                )
            )
    return found


def _tenant_alerts(now: dt.datetime) -> list[AlertToSend]:
    found: list[AlertToSend] = []
    status_kinds = [OwnerAlert.Kind.TENANT_SUSPENDED, OwnerAlert.Kind.TENANT_REACTIVATED]
    for tenant in unscoped(Tenant.objects.all(), reason="platform alert sweep"):
        last = (
            OwnerAlert.objects.filter(tenant=tenant, restaurant__isnull=True, kind__in=status_kinds)
            .order_by("-created_at")
            .values_list("kind", flat=True)
            .first()
        )
        suspended = tenant.status == Tenant.Status.SUSPENDED
        if suspended and last != OwnerAlert.Kind.TENANT_SUSPENDED:
            kind, subject = OwnerAlert.Kind.TENANT_SUSPENDED, "Your Hostline account is suspended"
            why = f" Reason: {tenant.suspension_reason}." if tenant.suspension_reason else ""
            body = f"Your restaurants' agents refuse every call until the account is reactivated.{why}"
        elif not suspended and last == OwnerAlert.Kind.TENANT_SUSPENDED:
            kind, subject = OwnerAlert.Kind.TENANT_REACTIVATED, "Your Hostline account is active again"
            body = "Your restaurants' agents take calls again."
        else:
            continue
        found.append(AlertToSend(tenant.pk, None, kind, now.date(), subject, body))
    return found


def _owner_emails(tenant_id: int) -> list[str]:
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                tenant_id=tenant_id, role=Membership.Role.OWNER, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )


def _email(alert: AlertToSend, recipients: list[str]) -> None:
    send_mail(alert.subject, f"{alert.body}\n\n{settings.PLATFORM_BASE_URL}/admin/", None, recipients)


def owner_alerts_send(*, now: dt.datetime | None = None) -> int:
    """Find what owners should hear about and email each alert once. Returns how many alerts were new."""
    now = now or timezone.now()
    sent = 0
    for alert in [*_tenant_alerts(now), *_restaurant_alerts(now)]:
        recipients = _owner_emails(alert.tenant_id)
        try:
            with transaction.atomic():
                OwnerAlert.objects.create(
                    tenant_id=alert.tenant_id,
                    restaurant=alert.restaurant,
                    kind=alert.kind,
                    day=alert.day,
                    detail=alert.body[:500],
                    recipients=len(recipients),
                )
                if recipients:
                    transaction.on_commit(partial(_email, alert, recipients))
        except IntegrityError:
            continue  # already sent today
        sent += 1
    return sent

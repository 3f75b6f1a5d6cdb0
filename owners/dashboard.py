"""The calls dashboard: calls per day, refused starts by reason, minutes, outcomes, unanswered questions.

Every date is the restaurant's own: a call at 01:13 in Rome counts for that Rome date, whatever UTC says.
Test chats are left out. The chart is SVG drawn here (no script, no CDN), so the page works offline.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from calls.models import CallRecord, CallRefusalCount, Outcome, RefusalReason
from calls.outcomes import end_reason_words
from tenants.models import Restaurant

DAYS = 30
CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 600, 160, 14


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2026-11-29: 4 calls"


@dataclass(frozen=True)
class RecentCall:
    restaurant: str
    local_start: dt.datetime
    minutes: str
    outcome: str
    end_reason: str
    pk: int


@dataclass(frozen=True)
class UnansweredGroup:
    restaurant: str
    restaurant_pk: int
    question: str
    times: int
    last_asked: dt.datetime


@dataclass
class Dashboard:
    days: list[dt.date]
    calls_per_day: list[int]
    bars: list[Bar]
    chart_max: int
    calls: int
    total_minutes: float
    median_minutes: float
    refused: int
    refusals: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    unanswered: list[UnansweredGroup]
    recent: list[RecentCall]
    restaurants: list[Restaurant] = field(default_factory=list)


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _normalise(question: str) -> str:
    return " ".join(question.casefold().strip(" ?!.").split())


def calls_dashboard(*, restaurants: list[Restaurant], now: dt.datetime | None = None) -> Dashboard:
    """The dashboard over `restaurants` (already scoped to the viewer) for the last DAYS local dates."""
    now = now or timezone.now()
    zones = {r.pk: _zone(r.timezone) for r in restaurants}
    names = {r.pk: r.name for r in restaurants}
    today = max((now.astimezone(z).date() for z in zones.values()), default=now.date())
    days = [today - dt.timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    first = days[0]
    # A day of margin each side covers every zone; the exact local date is decided per row below.
    since = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    calls = (
        CallRecord.objects.counted()
        .filter(restaurant_id__in=zones, started_at__gte=since)
        .only(
            "pk",
            "restaurant_id",
            "started_at",
            "duration_seconds",
            "outcome",
            "end_reason",
            "unanswered_questions",
        )
        .order_by("-started_at")
    )
    per_day: Counter[dt.date] = Counter()
    durations: list[float] = []
    outcomes: Counter[str] = Counter()
    questions: dict[tuple[int, str], list[tuple[str, dt.datetime]]] = defaultdict(list)
    recent: list[RecentCall] = []
    for call in calls:
        restaurant_id: int = call.restaurant_id  # type: ignore[assignment]  # filtered to these restaurants
        zone = zones[restaurant_id]
        local = call.started_at.astimezone(zone)
        if not first <= local.date() <= today:
            continue
        per_day[local.date()] += 1
        durations.append(call.duration_seconds)
        outcomes[call.outcome or Outcome.ANSWERED] += 1
        for entry in call.unanswered_questions or []:
            text = str(entry.get("question", "")).strip()
            if text:
                questions[(restaurant_id, _normalise(text))].append((text, local))
        if len(recent) < 20:
            minutes, seconds = divmod(round(call.duration_seconds), 60)
            recent.append(
                RecentCall(
                    restaurant=names[restaurant_id],
                    local_start=local,
                    minutes=f"{minutes}:{seconds:02d}",
                    outcome=Outcome(call.outcome).label if call.outcome else Outcome.ANSWERED.label,
                    end_reason=end_reason_words(call.end_reason),
                    pk=call.pk,
                )
            )
    refusals: Counter[str] = Counter()
    for row in CallRefusalCount.objects.filter(restaurant_id__in=zones, period_start__gte=since).values(
        "restaurant_id", "reason", "period_start", "count"
    ):
        local_day = row["period_start"].astimezone(zones[row["restaurant_id"]]).date()
        if first <= local_day <= today:
            refusals[row["reason"]] += row["count"]
    counts = [per_day[d] for d in days]
    return Dashboard(
        days=days,
        calls_per_day=counts,
        bars=_bars(days, counts),
        chart_max=max(counts, default=0),
        calls=sum(counts),
        total_minutes=round(sum(durations) / 60, 1),
        median_minutes=round(statistics.median(durations) / 60, 1) if durations else 0.0,
        refused=sum(refusals.values()),
        refusals=[(RefusalReason(r).label, refusals[r]) for r in RefusalReason.values if refusals[r]],
        outcomes=[(Outcome(o).label, outcomes[o]) for o in Outcome.values if outcomes[o]],
        unanswered=sorted(
            (
                UnansweredGroup(
                    restaurant=names[restaurant_id],
                    restaurant_pk=restaurant_id,
                    question=asked[-1][0],
                    times=len(asked),
                    last_asked=max(when for _, when in asked),
                )
                for (restaurant_id, _), asked in questions.items()
            ),
            key=lambda g: (-g.times, g.restaurant, g.question),
        ),
        recent=recent,
        restaurants=restaurants,
    )


def _bars(days: list[dt.date], counts: list[int]) -> list[Bar]:
    top = max(counts, default=0) or 1
    slot = CHART_WIDTH / len(days)
    usable = CHART_HEIGHT - CHART_TOP
    bars = []
    for index, (day, count) in enumerate(zip(days, counts, strict=True)):
        height = round(usable * count / top, 1)
        bars.append(
            Bar(
                x=round(index * slot + 1, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(slot - 2, 1),
                height=height,
                label=f"{day:%a %d %b}: {count} call{'s' if count != 1 else ''}",
            )
        )
    return bars

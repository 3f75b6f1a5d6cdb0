"""The owner's week-view hours editor and the services behind it: typed times, split shifts, past-midnight
closes, one date's own hours, closures over a range of dates, and tenant isolation (nothing shown, nothing
changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tenants import services
from tenants.admin_hours import format_service, format_services
from tenants.models import OpeningHours, SpecialDate
from tenants.selectors import restaurant_snapshot_from_db

pytestmark = pytest.mark.django_db


def _url(restaurant):
    return reverse("admin:tenants_restaurant_hours", args=[restaurant.pk])


def _week_post(**days):
    """{"d0": [("12", "3pm"), ("7pm", "1am")]} -> the week form's POST body."""
    data = {"action": "week"}
    for key, services_ in days.items():
        for slot, (opens, closes) in enumerate(services_):
            data[f"{key}_s{slot}_opens"] = opens
            data[f"{key}_s{slot}_closes"] = closes
    return data


def test_times_read_as_the_restaurants_language_writes_them():
    assert format_service(dt.time(19), dt.time(1), "en") == "19:00\u2009–\u200901:00 (next day)"
    assert format_service(dt.time(12), dt.time(15), "de") == "12:00–15:00 Uhr"
    assert format_services([], "en") == "Closed"
    assert format_services([(dt.time(19), dt.time(1)), (dt.time(12), dt.time(15))], "it") == (
        "12:00–15:00, 19:00–01:00 (next day)"
    )


def test_the_week_shows_one_row_a_day_with_its_services(world_a):
    restaurant = world_a.restaurant
    restaurant.language = "it"
    restaurant.save()
    OpeningHours.objects.create(restaurant=restaurant, weekday=4, opens_at=dt.time(12), closes_at=dt.time(15))
    OpeningHours.objects.create(restaurant=restaurant, weekday=4, opens_at=dt.time(19), closes_at=dt.time(1))
    body = world_a.client_for(world_a.owner).get(_url(restaurant)).content.decode()
    assert body.count('<li class="hl-day') == 7
    assert "12:00–15:00, 19:00–01:00 (next day)" in body
    assert "12:00:00" not in body and "Now" not in body
    assert 'value="19:00"' in body and 'value="01:00"' in body  # the inputs hold what is saved


def test_an_owner_types_a_split_shift_in_12_hour_form(world_a):
    client = world_a.client_for(world_a.owner)
    response = client.post(_url(world_a.restaurant), _week_post(d4=[("noon", "3pm"), ("7pm", "1am")]))
    assert response.status_code == 302
    friday = OpeningHours.objects.filter(restaurant=world_a.restaurant, weekday=4).order_by("opens_at")
    assert [(h.opens_at, h.closes_at) for h in friday] == [
        (dt.time(12), dt.time(15)),
        (dt.time(19), dt.time(1)),
    ]
    # Monday was left empty in the form: it is closed now.
    assert not OpeningHours.objects.filter(restaurant=world_a.restaurant, weekday=0).exists()
    page = client.get(_url(world_a.restaurant)).content.decode()
    assert "Weekly hours saved" in page


def test_24_00_is_midnight_and_the_snapshot_hears_it(world_a):
    client = world_a.client_for(world_a.owner)
    restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    client.post(_url(world_a.restaurant), _week_post(d0=[("18:00", "24:00")]))
    snapshot = restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    assert [(w.weekday, w.opens, w.closes) for w in snapshot.weekly_hours] == [(0, dt.time(18), dt.time(0))]


@pytest.mark.parametrize(
    ("opens", "closes", "says"),
    [
        ("7pm", "soon", "“soon” is not a time. Type a time like 19:00 or 7pm."),
        ("13pm", "11pm", "With am or pm the hour is 1 to 12"),
        ("7pm", "", "Monday: type both the opening and the closing time."),
        ("7pm", "19:00", "Monday: it opens and closes at 19:00."),
    ],
)
def test_bad_times_say_what_to_type_and_change_nothing(world_a, opens, closes, says):
    before = list(OpeningHours.objects.filter(restaurant=world_a.restaurant).values_list("pk", "closes_at"))
    response = world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant), _week_post(d0=[(opens, closes)])
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert (
        list(OpeningHours.objects.filter(restaurant=world_a.restaurant).values_list("pk", "closes_at"))
        == before
    )


def test_overlapping_services_are_refused_in_words(world_a):
    response = world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant), _week_post(d2=[("12:00", "16:00"), ("3pm", "11pm")])
    )
    assert response.status_code == 400
    assert "Wednesday: two services overlap." in response.content.decode()


def test_setting_todays_hours_replaces_the_week_for_that_date(world_a):
    client = world_a.client_for(world_a.owner)
    today = dt.date.today() + dt.timedelta(days=20)
    response = client.post(
        _url(world_a.restaurant),
        {
            "action": "special",
            "special-date": today.isoformat(),
            "special-opens": "7pm",
            "special-closes": "1am",
        },
    )
    assert response.status_code == 302
    row = SpecialDate.objects.get(restaurant=world_a.restaurant, date=today)
    assert (row.opens_at, row.closes_at, row.end_date) == (dt.time(19), dt.time(1), None)
    page = client.get(_url(world_a.restaurant)).content.decode()
    assert "19:00\u2009–\u200901:00 (next day)" in page


def test_special_hours_need_times_or_closed(world_a):
    response = world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant), {"action": "special", "special-date": "2030-01-02"}
    )
    assert response.status_code == 400
    assert "Type the opening and closing times, or tick “Closed all day”." in response.content.decode()


def test_a_holiday_over_two_weeks_is_one_entry(world_a):
    client = world_a.client_for(world_a.owner)
    response = client.post(
        _url(world_a.restaurant),
        {
            "action": "closure",
            "closure-first_day": "2030-12-24",
            "closure-last_day": "2031-01-06",
            "closure-note": "Christmas holidays",
        },
    )
    assert response.status_code == 302
    closure = SpecialDate.objects.get(restaurant=world_a.restaurant, date=dt.date(2030, 12, 24))
    assert closure.end_date == dt.date(2031, 1, 6) and closure.opens_at is None
    page = client.get(_url(world_a.restaurant)).content.decode()
    assert "Closed (14 days) — Christmas holidays" in page
    snapshot = restaurant_snapshot_from_db(public_id=world_a.restaurant.public_id)
    assert any(s.end_date == dt.date(2031, 1, 6) for s in snapshot.special_dates)


def test_overlapping_closures_are_refused_in_words_and_by_postgres(world_a):
    restaurant = world_a.restaurant
    services.closure_add(restaurant=restaurant, first_day=dt.date(2030, 12, 24), last_day=dt.date(2031, 1, 6))
    response = world_a.client_for(world_a.owner).post(
        _url(restaurant),
        {"action": "closure", "closure-first_day": "2031-01-01", "closure-last_day": "2031-01-10"},
    )
    assert response.status_code == 400
    assert "This closure overlaps another one (2030-12-24 to 2031-01-06 closed)" in response.content.decode()
    with pytest.raises(ValidationError, match="inside a closure"):
        services.special_hours_set(restaurant=restaurant, date=dt.date(2030, 12, 31), services_=[])
    # The database refuses it even past every check.
    with pytest.raises(IntegrityError, match="special_date_closures_no_overlap"), transaction.atomic():
        SpecialDate.objects.bulk_create(
            [
                SpecialDate(
                    restaurant=restaurant,
                    tenant=world_a.tenant,
                    date=dt.date(2030, 12, 20),
                    end_date=dt.date(2030, 12, 24),
                )
            ]
        )
    with pytest.raises(IntegrityError, match="special_date_range_is_closure"), transaction.atomic():
        SpecialDate.objects.bulk_create(
            [
                SpecialDate(
                    restaurant=restaurant,
                    tenant=world_a.tenant,
                    date=dt.date(2031, 2, 1),
                    end_date=dt.date(2031, 2, 3),
                    opens_at=dt.time(12),
                    closes_at=dt.time(14),
                )
            ]
        )
    assert SpecialDate.objects.filter(restaurant=restaurant, date__year=2031).count() == 0


def test_a_closure_over_special_hours_names_them(world_a):
    restaurant = world_a.restaurant
    services.special_hours_set(
        restaurant=restaurant, date=dt.date(2030, 12, 31), services_=[(dt.time(19), dt.time(2))]
    )
    with pytest.raises(ValidationError, match="You have special hours on 2030-12-31"):
        services.closure_add(
            restaurant=restaurant, first_day=dt.date(2030, 12, 24), last_day=dt.date(2031, 1, 6)
        )


def test_reversed_and_endless_ranges_are_refused(world_a):
    response = world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant),
        {"action": "closure", "closure-first_day": "2030-12-24", "closure-last_day": "2030-12-01"},
    )
    assert "The last day comes before the first day." in response.content.decode()
    with pytest.raises(ValidationError, match="at most a year"):
        services.closure_add(
            restaurant=world_a.restaurant, first_day=dt.date(2030, 1, 1), last_day=dt.date(2040, 1, 1)
        )


def test_delete_removes_one_entry(world_a):
    closure = services.closure_add(
        restaurant=world_a.restaurant, first_day=dt.date(2030, 12, 24), last_day=dt.date(2031, 1, 6)
    )
    response = world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant), {"action": "delete", "special_date": str(closure.pk)}
    )
    assert response.status_code == 302
    assert not SpecialDate.objects.filter(pk=closure.pk).exists()


def test_garbage_posts_never_500(world_a):
    client = world_a.client_for(world_a.owner)
    for data in [
        {"action": "delete", "special_date": "x"},
        {"action": "delete", "special_date": "999999"},
        {"action": "closure", "closure-first_day": "not a date"},
        {"action": "special", "special-date": "2030-13-45", "special-opens": "7pm"},
        {"action": "nonsense"},
        {"action": "week", "d0_s0_opens": "x" * 500},
    ]:
        assert client.post(_url(world_a.restaurant), data).status_code in {400, 404}, data


# --- isolation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "member"])
def test_another_tenants_hours_are_not_shown_and_not_changed(world_a, world_b, role):
    client = world_a.client_for(getattr(world_a, role))
    target = world_b.restaurant
    before = sorted(
        OpeningHours.objects.filter(restaurant=target).values_list("weekday", "opens_at", "closes_at")
    )
    special = SpecialDate.objects.get(restaurant=target)
    assert client.get(_url(target)).status_code == 404
    for data in [
        _week_post(d0=[("7pm", "1am")]),
        {"action": "special", "special-date": "2030-01-02", "special-closed": "on"},
        {"action": "closure", "closure-first_day": "2030-12-24", "closure-last_day": "2031-01-06"},
        {"action": "delete", "special_date": str(special.pk)},
    ]:
        assert client.post(_url(target), data).status_code == 404
    # Its own page cannot delete the other tenant's row either.
    assert (
        client.post(
            _url(world_a.restaurant), {"action": "delete", "special_date": str(special.pk)}
        ).status_code
        == 404
    )
    assert (
        sorted(OpeningHours.objects.filter(restaurant=target).values_list("weekday", "opens_at", "closes_at"))
        == before
    )
    assert list(SpecialDate.objects.filter(restaurant=target)) == [special]


def test_an_outsider_sees_nothing_and_changes_nothing(world_a, outsider):
    client = world_a.client_for(outsider)
    before = list(OpeningHours.objects.filter(restaurant=world_a.restaurant).values_list("pk", "closes_at"))
    assert client.get(_url(world_a.restaurant)).status_code in {403, 404}
    response = client.post(_url(world_a.restaurant), _week_post(d0=[("7pm", "1am")]))
    assert response.status_code in {403, 404}
    assert world_a.restaurant.name not in response.content.decode()
    assert (
        list(OpeningHours.objects.filter(restaurant=world_a.restaurant).values_list("pk", "closes_at"))
        == before
    )


def test_the_restaurant_page_links_to_the_editor(world_a):
    body = (
        world_a.client_for(world_a.owner)
        .get(reverse("admin:tenants_restaurant_change", args=[world_a.restaurant.pk]))
        .content.decode()
    )
    assert _url(world_a.restaurant) in body


def test_saves_are_in_the_audit_trail(world_a):
    from audit.models import AuditEntry

    world_a.client_for(world_a.owner).post(
        _url(world_a.restaurant),
        {
            "action": "closure",
            "closure-first_day": "2030-12-24",
            "closure-last_day": "2031-01-06",
            "closure-note": "Xmas",
        },
    )
    entry = AuditEntry.objects.filter(tenant_id=world_a.tenant.pk).order_by("-pk").first()
    assert entry is not None and "2030-12-24 to 2031-01-06" in entry.object_repr
    assert entry.actor_label == world_a.owner.get_username()

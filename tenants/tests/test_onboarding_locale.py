"""Onboarding as an operator sees it: the country fills in time zone, language and currency; a city is a
time zone; the welcome email names the username; the set-password page and help texts read right."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from tenants.locales import MAIN_ZONES, _country_zones, country_defaults, timezone_choices, timezone_resolve
from tenants.models import Restaurant, Tenant
from tenants.tests.factories import RestaurantFactory
from tenants.vocabulary import LANGUAGES

FORM = {
    "tenant_name": "Casa Nova",
    "owner_email": "owner@casanova.example",
    "restaurant_name": "Casa Nova Alfama",
    "restaurant_country": "",
    "restaurant_timezone": "",
    "restaurant_language": "",
    "restaurant_currency": "",
    "allowed_origins": "",
}


# --- the country table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "language", "currency", "timezone"),
    [
        ("PT", "pt", "EUR", "Europe/Lisbon"),
        ("JP", "ja", "JPY", "Asia/Tokyo"),
        ("BE", "nl", "EUR", "Europe/Brussels"),  # an official language, not the English many speak
        ("CH", "de", "CHF", "Europe/Zurich"),
        ("US", "en", "USD", "America/New_York"),
        ("BR", "pt", "BRL", "America/Sao_Paulo"),
        ("GR", "en", "EUR", "Europe/Athens"),  # Greek is not shipped: English, never a guess
    ],
)
def test_a_country_gives_its_language_currency_and_main_time_zone(country, language, currency, timezone):
    defaults = country_defaults(country)
    assert (defaults.language, defaults.currency, defaults.timezone) == (language, currency, timezone)


def test_every_country_has_a_default_time_zone_of_its_own_and_a_shipped_language():
    for country, zones in _country_zones().items():
        defaults = country_defaults(country)
        assert defaults.timezone in zones
        assert defaults.language in LANGUAGES
        if len(zones) > 1:
            assert MAIN_ZONES.get(country) == zones[0], f"{country} has several zones: name its main one"
    assert all(zone in _country_zones()[country] for country, zone in MAIN_ZONES.items())


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Lisbon", "Europe/Lisbon"),
        ("  lisbon ", "Europe/Lisbon"),
        ("europe/lisbon", "Europe/Lisbon"),
        ("New York", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Kiev", "Europe/Kyiv"),  # the old spelling, today's zone
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Japan", "Asia/Tokyo"),  # a one-zone country
        ("UTC", "UTC"),
    ],
)
def test_a_city_or_any_spelling_of_a_zone_becomes_its_iana_name(typed, zone):
    assert timezone_resolve(typed) == zone


def test_an_unknown_or_ambiguous_zone_says_what_to_type():
    with pytest.raises(
        ValidationError, match=r"not a time zone or city we know\. Type a city such as Lisbon"
    ):
        timezone_resolve("Mars/Olympus")
    with pytest.raises(ValidationError, match=r"“Spain” has several time zones: Europe/Madrid, .*Choose one"):
        timezone_resolve("Spain")


def test_the_picker_offers_only_zones_the_platform_knows():
    import zoneinfo

    zones = dict(timezone_choices())
    assert zones["Europe/Lisbon"] == "Lisbon — Portugal"
    assert set(zones) <= zoneinfo.available_timezones()
    assert len(zones) > 300


# --- the admin form and the service ------------------------------------------------------------------------


def _onboard(operator, **changes):
    client = Client()
    client.force_login(operator)
    return client.post("/admin/tenants/tenant/onboard/", {**FORM, **changes})


@pytest.mark.django_db
def test_the_form_offers_a_searchable_time_zone_list_and_the_country_defaults(operator):
    client = Client()
    client.force_login(operator)
    page = client.get("/admin/tenants/tenant/onboard/").content.decode()
    assert 'list="hl-timezones"' in page
    assert '<option value="Europe/Lisbon" label="Lisbon — Portugal">' in page
    assert '<option value="PT">Portugal</option>' in page
    assert '"PT": {"language": "pt", "currency": "EUR", "timezone": "Europe/Lisbon"}' in page
    assert "hostline/onboard.js" in page


@pytest.mark.django_db(transaction=True)
def test_a_lisbon_restaurant_typed_as_a_city_speaks_portuguese_and_charges_euros(operator):
    response = _onboard(operator, restaurant_country="PT", restaurant_timezone="Lisbon")
    assert response.status_code == 200 and "is on board" in response.content.decode()
    restaurant = Restaurant.objects.get(name="Casa Nova Alfama")
    assert (restaurant.timezone, restaurant.language, restaurant.currency) == ("Europe/Lisbon", "pt", "EUR")


@pytest.mark.django_db(transaction=True)
def test_the_country_alone_is_enough_and_typed_values_win_over_it(operator):
    _onboard(operator, restaurant_country="JP")
    restaurant = Restaurant.objects.get(name="Casa Nova Alfama")
    assert (restaurant.timezone, restaurant.language, restaurant.currency) == ("Asia/Tokyo", "ja", "JPY")

    _onboard(
        operator,
        tenant_name="Casa Nova Madeira",
        owner_email="madeira@casanova.example",
        restaurant_country="PT",
        restaurant_timezone="Atlantic/Madeira",
        restaurant_language="en",
        restaurant_currency="gbp",
    )
    other = Restaurant.objects.get(tenant__slug="casa-nova-madeira")
    assert (other.timezone, other.language, other.currency) == ("Atlantic/Madeira", "en", "GBP")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Choose the country or type the time zone"),
        ({"restaurant_timezone": "Lisbonne-sur-Mer"}, "is not a time zone or city we know"),
        ({"restaurant_country": "PT", "restaurant_currency": "XYZ"}, "is not a currency in use"),
        ({"restaurant_country": "XX"}, "Select a valid choice"),
    ],
)
def test_bad_locale_input_is_explained_and_nothing_is_created(operator, changes, message):
    response = _onboard(operator, **changes)
    assert message in response.content.decode()
    assert not Tenant.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_command_takes_a_country_and_a_city(capsys):
    call_command(
        "onboard_tenant",
        "--name=Sushi Go",
        "--owner-email=owner@sushigo.example",
        "--restaurant=Sushi Go Shibuya",
        "--country=jp",
    )
    restaurant = Restaurant.objects.get(name="Sushi Go Shibuya")
    assert (restaurant.timezone, restaurant.language, restaurant.currency) == ("Asia/Tokyo", "ja", "JPY")


# --- the welcome email and the set-password page -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_welcome_email_names_the_username_and_leads_to_a_hostline_set_password_page(operator, settings):
    _onboard(operator, restaurant_country="PT")
    [email] = mail.outbox
    assert email.subject == "Welcome to Hostline: set your password"
    assert "Your username: owner@casanova.example" in email.body
    assert f"{settings.PLATFORM_BASE_URL}/admin/login/" in email.body
    link = re.search(r"https?://\S+/accounts/reset/\S+/", email.body).group(0)
    path = link.removeprefix(settings.PLATFORM_BASE_URL)

    client = Client()
    page = client.get(path, follow=True)
    body = page.content.decode()
    assert re.search(r"<title>\s*Set your Hostline password", body)
    assert "<h1>Set your Hostline password</h1>" in body
    assert 'id="set-password-username">owner@casanova.example<' in body
    assert "Django" not in body

    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-Password-42", "new_password2": "a-long-Password-42"},
        follow=True,
    )
    assert "Your Hostline password is set" in done.content.decode()
    assert client.login(username="owner@casanova.example", password="a-long-Password-42")
    # The link works once.
    again = Client().get(path, follow=True).content.decode()
    assert "This link has expired or has already been used" in again


@pytest.mark.django_db
def test_every_sign_in_page_says_hostline_never_django(world_a):
    client = Client()
    pages = [
        "/admin/login/",
        "/admin/password_reset/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/not-a-token/",
        "/accounts/reset/done/",
    ]
    for path in pages:
        body = client.get(path, follow=True).content.decode()
        assert "Hostline" in body, path
        assert "Django" not in body, path
    signed_in = world_a.client_for(world_a.owner)
    for path in ["/accounts/two-factor/", "/accounts/two-factor/setup/", "/admin/password_change/"]:
        body = signed_in.get(path, follow=True).content.decode()
        assert "Hostline" in body and "Django" not in body, path


@pytest.mark.django_db
def test_a_reset_request_is_branded_too(world_a, settings):
    world_a.owner.email = "alpha-owner@example.com"
    world_a.owner.save()
    done = Client().post("/admin/password_reset/", {"email": "alpha-owner@example.com"}, follow=True)
    assert "Check your email" in done.content.decode()
    [email] = mail.outbox
    assert email.subject == "Reset your Hostline password"


# --- the greeting's help text ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_greeting_help_quotes_the_restaurants_own_default_greeting(world_a):
    client = world_a.client_for(world_a.owner)
    page = client.get(f"/admin/tenants/restaurant/{world_a.restaurant.pk}/change/").content.decode()
    assert "Welcome to Alpha Bistro. How can I help you?" in page
    assert "Welcome to . How" not in page
    blank = client.get("/admin/tenants/restaurant/add/").content.decode()
    assert "Welcome to . How" not in blank
    assert "Welcome to Casa Nova. How can I help you?" in blank  # a neutral example before there is a name


@pytest.mark.django_db
def test_a_restaurant_name_in_the_greeting_help_is_text_not_html(world_a):
    restaurant = RestaurantFactory(tenant=world_a.tenant, name="<b>Bold</b> Bar")
    client = world_a.client_for(world_a.owner)
    page = client.get(f"/admin/tenants/restaurant/{restaurant.pk}/change/").content.decode()
    assert "Welcome to &lt;b&gt;Bold&lt;/b&gt; Bar. How can I help you?" in page


@pytest.mark.django_db
def test_an_owner_types_a_city_for_the_restaurants_time_zone(world_a):
    from tenants.forms import RestaurantForm

    page = world_a.client_for(world_a.owner).get(f"/admin/tenants/restaurant/{world_a.restaurant.pk}/change/")
    assert 'list="hl-timezones"' in page.content.decode()
    form = RestaurantForm(
        data={"tenant": world_a.tenant.pk, "name": "Alpha Bistro", "timezone": "lisbon", "language": "pt",
              "currency": "eur", "is_active": True},
        instance=world_a.restaurant,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["timezone"], form.cleaned_data["currency"]) == ("Europe/Lisbon", "EUR")

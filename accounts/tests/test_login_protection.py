"""Password guessing, reset-mail floods and a stolen operator password, as an attacker would try them."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from tenants.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def _sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


@pytest.fixture
def owner_user(world_a):
    world_a.owner.set_password("Right-horse-battery-9")
    world_a.owner.save()
    return world_a.owner


def _lock_out(client: Client, username: str, times: int = 5) -> None:
    for _ in range(times):
        response = _sign_in(client, username, "wrong-password")
        assert response.status_code in {200, 429}


def test_wrong_passwords_lock_out_and_then_the_right_one_is_refused(owner_user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = _sign_in(client, owner_user.username, "wrong-password")
        assert response.status_code == 200  # the login form again, with Django's error
    response = _sign_in(client, owner_user.username, "wrong-password")
    assert response.status_code == 429
    response = _sign_in(client, owner_user.username, "Right-horse-battery-9")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in paused" in body and "15 minutes" in body
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_lockout_counts_the_address_not_one_username(owner_user):
    # Spraying one password over many usernames from one address is stopped just the same.
    client = Client()
    for n in range(5):
        _sign_in(client, f"someone{n}", "Summer2026!")
    assert _sign_in(client, owner_user.username, "Right-horse-battery-9").status_code == 429
    # Another address is not affected: an attacker cannot lock the owner out of their own office.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(other, owner_user.username, "Right-horse-battery-9").status_code == 302


def test_signing_in_to_ones_own_account_between_guesses_does_not_reset_the_count(owner_user, world_b):
    world_b.owner.set_password("Attackers-own-pass-7")
    world_b.owner.save()
    client = Client()
    for _ in range(2):
        for _ in range(2):
            _sign_in(client, owner_user.username, "guess")
        assert _sign_in(client, world_b.owner.username, "Attackers-own-pass-7").status_code == 302
        client.logout()
    _sign_in(client, owner_user.username, "guess")  # the fifth wrong password
    assert _sign_in(client, owner_user.username, "Right-horse-battery-9").status_code == 429


def test_after_the_cool_off_the_right_password_works_again(owner_user):
    client = Client()
    _lock_out(client, owner_user.username)
    assert _sign_in(client, owner_user.username, "Right-horse-battery-9").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _sign_in(client, owner_user.username, "Right-horse-battery-9").status_code == 302


def test_an_operator_unlocks_with_the_command_and_it_is_audited(owner_user):
    client = Client()
    _lock_out(client, owner_user.username)
    call_command("login_unlock", owner_user.username)
    assert _sign_in(client, owner_user.username, "Right-horse-battery-9").status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.source == "command" and "manage.py login_unlock" in entry.actor_label
    assert entry.changes["username"] == owner_user.username


def test_an_operator_unlocks_from_the_admin(owner_user, operator):
    _lock_out(Client(), owner_user.username)
    admin_client = Client()
    admin_client.force_login(operator)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200 and owner_user.username in page.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _sign_in(Client(), owner_user.username, "Right-horse-battery-9").status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.actor == operator and entry.actor_is_operator and entry.source == "admin"


def test_owners_never_see_failed_sign_ins(owner_user, world_a):
    _lock_out(Client(), "victim")
    client = world_a.client_for(world_a.owner)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert "Access attempts" not in client.get("/admin/").content.decode()


# --- password reset ----------------------------------------------------------------------------------------


def test_six_reset_requests_send_one_email_and_all_answer_alike(owner_user):
    client = Client()
    responses = [client.post(reverse("password_reset"), {"email": owner_user.email}) for _ in range(6)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner_user.email]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}


def test_an_unknown_address_gets_the_same_answer_and_no_email(db):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_one_client_cannot_send_resets_to_many_addresses(db, settings):
    users = [UserFactory(username=f"u{n}", email=f"u{n}@example.com") for n in range(8)]
    client = Client()
    for user in users:
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_CLIENT_LIMIT
    # Another client still gets its email: the limit is per address and per client, not global.
    Client(REMOTE_ADDR="198.51.100.7").post(reverse("password_reset"), {"email": users[-1].email})
    assert len(mail.outbox) == settings.PASSWORD_RESET_CLIENT_LIMIT + 1


def test_the_admin_sign_in_page_links_to_the_rate_limited_reset(db):
    body = Client().get("/admin/login/").content.decode()
    assert reverse("admin_password_reset") in body


def test_the_admin_reset_form_is_limited_too(owner_user):
    for _ in range(3):
        Client().post(reverse("admin_password_reset"), {"email": owner_user.email})
    assert len(mail.outbox) == 1


def test_reset_sends_nothing_when_it_cannot_count(owner_user, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def refuse(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(cache, "add", refuse)
    response = Client().post(reverse("password_reset"), {"email": owner_user.email})
    assert response.status_code == 302 and mail.outbox == []

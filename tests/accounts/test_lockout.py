"""Lock-out after repeated failures: per account (as typed, with the same
answer for unknown user names) and per client address; lifted by time, by a
successful sign-in's reset, or by staff."""

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInThrottle
from tests.accounts.factories import member, page_text, post_password

pytestmark = pytest.mark.django_db

LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"
WRONG = "Benutzername oder Passwort sind nicht korrekt"


def fail(client, username, times):
    return [post_password(client, username, "falsch") for _ in range(times)]


def lock_time(html: str) -> str:
    return re.search(r"bis (\d\d:\d\d) Uhr gesperrt", html).group(1)


def test_the_fifth_wrong_password_locks_the_account_for_fifteen_minutes(client, clock):
    member(username="anna")
    *first, fifth = fail(client, "anna", 5)
    assert all(WRONG in page_text(r) for r in first)
    assert fifth.status_code == 429
    html = page_text(fifth)
    assert LOCKED in html
    expected = timezone.localtime(clock.now + datetime.timedelta(minutes=15))
    assert lock_time(html) == f"{expected:%H:%M}"

    # Locked: even the right password does not sign in, in any browser.
    for browser in (client, Client()):
        response = post_password(browser, "anna")
        assert response.status_code == 429
        assert LOCKED in page_text(response)
        assert SESSION_KEY not in browser.session

    clock.advance(minutes=14, seconds=59)
    assert post_password(client, "anna").status_code == 429
    clock.advance(seconds=2)
    assert post_password(client, "anna").status_code == 302
    assert SESSION_KEY in client.session


def test_an_unknown_user_name_is_locked_the_same_way(client, clock):
    member(username="bernd")
    known = page_text(fail(client, "bernd", 5)[-1])
    unknown = page_text(fail(Client(), "gibt-es-nicht", 5)[-1])
    assert LOCKED in unknown
    assert lock_time(known) == lock_time(unknown)


def test_user_names_count_however_they_are_capitalised(client):
    member(username="clara")
    fail(client, "clara", 2)
    fail(client, "Clara", 2)
    assert post_password(client, "CLARA", "falsch").status_code == 429


def test_failures_spread_over_more_than_the_window_do_not_lock(client, clock):
    member(username="dora")
    fail(client, "dora", 4)
    clock.advance(minutes=16)
    fail(client, "dora", 4)
    assert post_password(client, "dora").status_code == 302


def test_a_successful_sign_in_resets_the_count(client):
    member(username="emil")
    fail(client, "emil", 4)
    assert post_password(client, "emil").status_code == 302
    client.post(reverse("accounts_logout"))
    fail(client, "emil", 4)
    assert post_password(client, "emil").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(client, settings):
    settings.GREMIEN_SIGNIN_MAX_FAILURES_PER_ADDRESS = 6
    member(username="frieda")
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        post_password(client, name, "falsch")
    sixth = post_password(client, "a6", "falsch")
    assert LOCKED in page_text(sixth)
    # The address is locked for everyone behind it, right password or not ...
    assert post_password(client, "frieda").status_code == 429
    # ... but not for other addresses.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert post_password(other, "frieda").status_code == 302


def test_user_names_typed_wrongly_are_not_kept_in_clear_text(client):
    post_password(client, "mein-passwort-statt-name", "falsch")
    row = SignInThrottle.objects.get(scope=SignInThrottle.Scope.ACCOUNT)
    assert "mein-passwort" not in row.key
    assert row.label == ""
    assert row.user is None


def test_staff_list_and_lift_lock_outs_with_a_command(client, capsys):
    user = member(username="gerda")
    fail(client, "gerda", 5)
    call_command("signin_lockouts")
    listing = capsys.readouterr().out
    assert "gerda" in listing
    call_command("signin_lockouts", "--unlock", "gerda")
    assert post_password(client, "gerda").status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)

"""How sessions end: idle time-out, the absolute limit, "sign out
everywhere" (other browsers and websockets too), a password change."""

import datetime
from importlib import import_module

import pytest
from asgiref.sync import async_to_sync
from channels.auth import get_user
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import SessionUser
from tests.accounts.factories import PASSWORD, member, page_text, sign_in, with_app

pytestmark = pytest.mark.django_db

ENDED = "Ihre Sitzung wurde zu Ihrer Sicherheit beendet"


def signed_in(client) -> bool:
    return client.get(reverse("accounts_security")).status_code == 200


def websocket_user(client):
    """The user a websocket with this browser's session cookie would get:
    ``channels.auth.get_user`` on the session, as the consumers' middleware
    does on every connect."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(
        client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return async_to_sync(get_user)({"session": store})


# The consumers' middleware reads the session in a worker thread through
# ``database_sync_to_async``, which closes the connection around the call:
# on PostgreSQL that ends a test's enclosing transaction, so these tests
# commit for real.
websocket = pytest.mark.django_db(transaction=True)


def test_an_idle_session_ends_after_sixty_minutes(client, clock):
    sign_in(client, member())
    clock.advance(minutes=60, seconds=1)
    response = client.get(reverse("accounts_security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_login"))
    page = page_text(client.get(response["Location"]))
    assert "weil Sie 60 Minuten lang nicht aktiv waren" in page
    assert "Bitte melden Sie sich erneut an" in page
    assert SESSION_KEY not in client.session


def test_activity_keeps_the_session_open(client, clock):
    sign_in(client, member())
    for _ in range(5):
        clock.advance(minutes=50)
        assert signed_in(client)


def test_the_idle_limit_is_a_setting(client, clock, settings):
    settings.GREMIEN_SESSION_IDLE_MINUTES = 15
    sign_in(client, member())
    clock.advance(minutes=16)
    assert not signed_in(client)


def test_a_session_ends_twelve_hours_after_the_sign_in_however_active(client, clock):
    sign_in(client, member())
    for _ in range(14):
        clock.advance(minutes=50)
        assert signed_in(client)
    clock.advance(minutes=51)  # 12 h 11 min after the sign-in
    response = client.get(reverse("accounts_security"))
    assert response.status_code == 302
    assert ENDED in page_text(client.get(reverse("accounts_login")))


@websocket
def test_sign_out_everywhere_ends_every_browser_and_websocket(
    client, other_client, clock
):
    user = member()
    sign_in(client, user)
    sign_in(other_client, user)
    assert websocket_user(other_client).pk == user.pk

    response = client.post(reverse("accounts_logout_everywhere"), follow=True)
    assert "Sie wurden auf allen Geräten abgemeldet, auch auf diesem" in page_text(
        response
    )
    assert not signed_in(client)

    # The other tablet: its websocket is refused at the next connect ...
    assert not websocket_user(other_client).is_authenticated
    # ... and its next page asks to sign in again, saying why.
    response = other_client.get(reverse("accounts_security"))
    assert response["Location"].startswith(reverse("accounts_login"))
    assert ENDED in page_text(other_client.get(reverse("accounts_login")))

    # Signing in again works, and only the new session counts.
    sign_in(other_client, user)
    assert signed_in(other_client)
    assert websocket_user(other_client).pk == user.pk
    assert not signed_in(client)
    security = page_text(other_client.get(reverse("accounts_security")))
    assert "Zuletzt überall abgemeldet" in security


def test_sign_out_everywhere_also_ends_a_second_factor_session(client, other_client):
    user = member()
    device = with_app(user)
    sign_in(client, user, device=device)
    client.post(reverse("accounts_logout_everywhere"))
    assert not signed_in(client)
    assert SessionUser.objects.get(pk=user.pk).session_epoch == 1


def test_sign_out_everywhere_needs_a_post(client):
    sign_in(client, member())
    assert client.get(reverse("accounts_logout_everywhere")).status_code == 405
    assert signed_in(client)


@websocket
def test_sessions_made_by_force_login_stay_valid(client):
    """The hundreds of tests that use force_login, and sessions from before
    this app existed: epoch 0 keeps Django's own hash."""
    user = member()
    client.force_login(user)
    assert signed_in(client)
    assert websocket_user(client).pk == user.pk


def test_force_login_after_sign_out_everywhere_binds_to_the_new_epoch(
    client, other_client
):
    user = member()
    sign_in(other_client, user)
    other_client.post(reverse("accounts_logout_everywhere"))
    client.force_login(user)
    assert signed_in(client)


@websocket
def test_a_changed_password_ends_the_other_sessions_and_keeps_this_one(
    client, other_client
):
    user = member()
    sign_in(client, user)
    sign_in(other_client, user)
    response = client.post(
        reverse("accounts_password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Ratssaal-Fenster-2026",
            "new_password2": "Ratssaal-Fenster-2026",
        },
        follow=True,
    )
    assert "Ihr Passwort wurde geändert" in page_text(response)
    assert signed_in(client)
    assert not signed_in(other_client)
    assert not websocket_user(other_client).is_authenticated


def test_a_wrong_current_password_counts_towards_the_lock_out(client):
    sign_in(client, member(username="hanna"))
    data = {
        "old_password": "falsch",
        "new_password1": "Ratssaal-Fenster-2026",
        "new_password2": "Ratssaal-Fenster-2026",
    }
    for _ in range(4):
        client.post(reverse("accounts_password_change"), data)
    fifth = client.post(reverse("accounts_password_change"), data)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page_text(fifth)
    data["old_password"] = PASSWORD
    assert client.post(reverse("accounts_password_change"), data).status_code == 429


def test_the_session_cookie_expires_with_the_absolute_limit(client, clock):
    sign_in(client, member())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 12 * 60 * 60
    assert cookie["httponly"]
    assert client.session.get_expiry_date() == clock.now + datetime.timedelta(hours=12)

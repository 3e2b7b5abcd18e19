"""The second step: the code of the authenticator app. Right, wrong,
reused, too fast, malformed codes, and a pending sign-in that expired."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import SignInRecord
from tests.accounts.factories import (
    code_for,
    member,
    page_text,
    post_code,
    post_password,
    with_app,
    wrong_code,
)

pytestmark = pytest.mark.django_db

WRONG_CODE = "Der Code ist falsch oder abgelaufen"


@pytest.fixture
def anna(db):
    user = member(username="anna")
    return user, with_app(user)


def test_the_password_alone_does_not_sign_in_a_user_with_an_app(client, anna):
    response = post_password(client, "anna", next="/live/3/mitglied/")
    assert response["Location"] == reverse("accounts_login_code")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts_security")).status_code == 302


def test_the_code_page_asks_for_the_code_accessibly(client, anna):
    post_password(client, "anna")
    html = page_text(client.get(reverse("accounts_login_code")))
    assert '<label for="id_code">Sechsstelliger Code</label>' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert 'aria-describedby="id_code_helptext"' in html
    assert "Ihr Passwort ist korrekt" in html


def test_the_right_code_signs_in_with_the_second_factor(client, anna):
    user, device = anna
    post_password(client, "anna", next="/live/3/mitglied/")
    response = post_code(client, code_for(device))
    assert response["Location"] == "/live/3/mitglied/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts_security")).status_code == 200
    assert SignInRecord.objects.get(user=user).method == "totp"


def test_a_code_typed_with_a_space_is_accepted(client, anna):
    _user, device = anna
    code = code_for(device)
    post_password(client, "anna")
    assert post_code(client, f"{code[:3]} {code[3:]}").status_code == 302


def test_a_wrong_code_is_refused_in_german(client, anna):
    _user, device = anna
    post_password(client, "anna")
    response = post_code(client, wrong_code(device))
    html = page_text(response)
    assert response.status_code == 200
    assert WRONG_CODE in html
    assert "Uhrzeit auf Ihrem Gerät" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert SESSION_KEY not in client.session


def test_a_malformed_code_says_what_a_code_looks_like(client, anna):
    post_password(client, "anna")
    html = page_text(post_code(client, "12ab"))
    assert "genau sechs Ziffern" in html


def test_the_next_code_right_after_a_wrong_one_waits_a_moment(client, anna, clock):
    _user, device = anna
    post_password(client, "anna")
    post_code(client, wrong_code(device))
    too_fast = page_text(post_code(client, code_for(device)))
    assert "Bitte warten Sie einen Moment" in too_fast
    clock.advance(seconds=2)
    assert post_code(client, code_for(device)).status_code == 302


def test_a_code_is_accepted_once(client, other_client, anna):
    _user, device = anna
    code = code_for(device)
    post_password(client, "anna")
    assert post_code(client, code).status_code == 302

    post_password(other_client, "anna")
    html = page_text(post_code(other_client, code))
    assert "Dieser Code wurde bereits verwendet" in html
    assert SESSION_KEY not in other_client.session


def test_a_pending_sign_in_expires_after_five_minutes(client, anna, clock):
    _user, device = anna
    post_password(client, "anna", next="/live/3/mitglied/")
    clock.advance(minutes=5, seconds=1)
    response = post_code(client, code_for(device))
    # Back to the password, still on the way to the page asked for.
    assert response["Location"] == reverse("accounts_login") + (
        "?next=/live/3/mitglied/"
    )
    page = page_text(client.get(response["Location"]))
    assert "Die Anmeldung ist abgelaufen" in page
    assert "mehr als 5 Minuten" in page
    assert SESSION_KEY not in client.session
    # The pending step is gone: the code page sends back to the password.
    assert client.get(reverse("accounts_login_code"))["Location"] == reverse(
        "accounts_login"
    )


def test_a_pending_sign_in_within_the_time_completes(client, anna, clock):
    _user, device = anna
    post_password(client, "anna")
    clock.advance(minutes=4, seconds=50)
    assert post_code(client, code_for(device)).status_code == 302


def test_a_password_changed_meanwhile_voids_the_pending_sign_in(client, anna):
    user, device = anna
    post_password(client, "anna")
    user.password = make_password("ein-ganz-anderes-passwort")
    user.save(update_fields=["password"])
    response = post_code(client, code_for(device))
    assert response["Location"] == reverse("accounts_login")
    assert SESSION_KEY not in client.session


def test_the_code_page_without_a_password_goes_to_the_sign_in(client, anna):
    response = client.get(reverse("accounts_login_code"))
    assert response["Location"] == reverse("accounts_login")


def test_five_wrong_codes_lock_the_account(client, anna, clock):
    _user, device = anna
    post_password(client, "anna")
    for attempt in range(4):
        response = post_code(client, wrong_code(device))
        assert WRONG_CODE in page_text(response), attempt
        clock.advance(seconds=2**attempt + 1)
    response = post_code(client, wrong_code(device))
    assert response["Location"] == reverse("accounts_login")
    page = page_text(client.get(response["Location"]))
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    # Even the right password is refused now, until the lock ends.
    locked = post_password(client, "anna")
    assert locked.status_code == 429
    clock.advance(minutes=15, seconds=1)
    assert post_password(client, "anna")["Location"] == reverse("accounts_login_code")


def test_the_expiry_is_the_time_since_the_password(client, anna, clock):
    """Waiting at the code page counts: the limit is not restarted by it."""
    _user, device = anna
    post_password(client, "anna")
    clock.advance(minutes=3)
    client.get(reverse("accounts_login_code"))
    clock.advance(minutes=3)
    assert post_code(client, code_for(device))["Location"] == reverse("accounts_login")

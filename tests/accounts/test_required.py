"""A body requires a second factor: its members and its staff set up an app
at the next sign-in, cannot remove it, and sessions without it are sent
through the sign-in again. Setting up, replacing and removing the app from
the security page."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import (
    PASSWORD,
    code_for,
    member,
    page_text,
    post_code,
    post_password,
    sign_in,
    staff,
    with_app,
    wrong_code,
)
from tests.gremien.factories import BodyFactory, UserFactory, sitzungsdienst_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(db):
    return BodyFactory(name="Stadt Strengburg", require_two_factor=True)


def setup_secret(html: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)


def unconfirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_a_member_of_a_strict_body_sets_up_the_app_at_the_sign_in(client, strict):
    user = member(body=strict, username="anna")
    response = post_password(client, "anna", next="/live/5/mitglied/")
    assert response["Location"] == reverse("accounts_login_setup")
    assert SESSION_KEY not in client.session

    html = page_text(client.get(reverse("accounts_login_setup")))
    assert "Stadt Strengburg verlangt für die Anmeldung einen zweiten Faktor" in html
    assert '<svg role="img" aria-label="QR-Code zum Einrichten' in html
    secret = setup_secret(html)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    assert 'autocomplete="one-time-code"' in html

    # Reloading keeps the key the phone may already have scanned.
    assert setup_secret(page_text(client.get(reverse("accounts_login_setup")))) == (
        secret
    )

    device = unconfirmed(user)
    response = client.post(reverse("accounts_login_setup"), {"code": code_for(device)})
    assert response["Location"] == "/live/5/mitglied/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_at_the_set_up_says_so(client, strict):
    user = member(body=strict, username="bernd")
    post_password(client, "bernd")
    client.get(reverse("accounts_login_setup"))
    response = client.post(
        reverse("accounts_login_setup"), {"code": wrong_code(unconfirmed(user))}
    )
    assert "Der Code ist falsch oder abgelaufen" in page_text(response)
    assert SESSION_KEY not in client.session
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_next_sign_in_asks_for_the_code(client, strict):
    user = member(body=strict, username="clara")
    device = with_app(user)
    assert post_password(client, "clara")["Location"] == reverse("accounts_login_code")
    assert post_code(client, code_for(device)).status_code == 302


def test_staff_of_a_strict_body_must_set_up_the_app_too(client, strict):
    clerk = staff(body=strict, username="sachbearbeiter")
    assert post_password(client, clerk.username)["Location"] == reverse(
        "accounts_login_setup"
    )


def test_a_superuser_works_on_every_body_and_so_must_use_the_app(client, strict):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert post_password(client, "admin")["Location"] == reverse("accounts_login_setup")


def test_other_bodies_do_not_require_it(client, strict):
    member(body=BodyFactory(), username="dora")
    assert post_password(client, "dora")["Location"] == reverse("members_dashboard")


def test_a_deleted_person_does_not_bind_the_account(client, strict):
    user = member(body=strict, username="emil")
    user.person.deleted_at = user.person.created
    user.person.save(update_fields=["deleted_at"])
    assert post_password(client, "emil")["Location"] == reverse("members_dashboard")


def test_a_required_app_cannot_be_removed_only_replaced(client, strict):
    user = member(body=strict)
    device = with_app(user)
    sign_in(client, user, device=device)
    page = page_text(client.get(reverse("accounts_security")))
    assert "Für Ihr Konto vorgeschrieben von: Stadt Strengburg." in page
    assert "Neue App einrichten" in page
    assert "App entfernen" not in page

    response = client.post(
        reverse("accounts_totp_manage"),
        {"action": "remove", "password": PASSWORD},
        follow=True,
    )
    assert "ersetzen, aber nicht entfernen" in page_text(response)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_session_without_the_app_is_sent_through_the_sign_in(client, strict):
    """A session from before the body switched the requirement on (or from
    another way of signing in) does not count for pages of members."""
    user = member(body=strict)
    client.force_login(user)
    response = client.get(reverse("accounts_security"))
    assert response["Location"].startswith(reverse("accounts_login"))
    assert SESSION_KEY not in client.session
    page = page_text(client.get(response["Location"]))
    assert "Bitte melden Sie sich erneut an" in page
    assert "zweiten Faktor" in page


def test_the_admin_sends_a_staff_session_without_the_app_through_the_sign_in(
    client, strict
):
    clerk = staff(body=strict)
    clerk.groups.add(sitzungsdienst_group())
    client.force_login(clerk)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_login"))
    assert SESSION_KEY not in client.session


def test_a_voluntary_app_needs_the_password_first(client):
    user = member()
    sign_in(client, user)
    assert client.get(reverse("accounts_totp_setup"))["Location"] == reverse(
        "accounts_security"
    )
    wrong = client.post(
        reverse("accounts_totp_manage"), {"action": "setup", "password": "falsch"}
    )
    assert "Das Passwort ist nicht korrekt." in page_text(wrong)
    right = client.post(
        reverse("accounts_totp_manage"), {"action": "setup", "password": PASSWORD}
    )
    assert right["Location"] == reverse("accounts_totp_setup")
    client.get(right["Location"])
    response = client.post(
        reverse("accounts_totp_setup"), {"code": code_for(unconfirmed(user))}
    )
    assert response["Location"] == reverse("accounts_security")
    page = page_text(client.get(reverse("accounts_security")))
    assert "Ihre Authenticator-App ist eingerichtet" in page
    assert "App entfernen" in page
    # This session counts as confirmed by the app.
    assert DEVICE_ID_SESSION_KEY in client.session


def test_replacing_the_app_makes_the_old_one_stop_working(client, other_client):
    user = member(username="frieda")
    old = with_app(user)
    sign_in(client, user, device=old)
    client.post(
        reverse("accounts_totp_manage"), {"action": "setup", "password": PASSWORD}
    )
    client.get(reverse("accounts_totp_setup"))
    new = unconfirmed(user)
    assert new.key != old.key
    client.post(reverse("accounts_totp_setup"), {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=user)) == [new]

    post_password(other_client, "frieda")
    response = post_code(other_client, code_for(old, offset=1))
    assert "Der Code ist falsch oder abgelaufen" in page_text(response)


def test_an_app_that_is_not_required_can_be_removed_with_the_password(client):
    user = member(username="gerda")
    device = with_app(user)
    sign_in(client, user, device=device)
    refused = client.post(
        reverse("accounts_totp_manage"), {"action": "remove", "password": "falsch"}
    )
    assert "Das Passwort ist nicht korrekt." in page_text(refused)
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(
        reverse("accounts_totp_manage"),
        {"action": "remove", "password": PASSWORD},
        follow=True,
    )
    assert "Ihre Authenticator-App wurde entfernt" in page_text(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("accounts_logout"))
    assert post_password(client, "gerda")["Location"] == reverse("members_dashboard")


def test_the_body_form_in_the_admin_offers_the_requirement(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    body = BodyFactory()
    client.force_login(admin)
    response = client.get(reverse("bodies:edit", args=[body.pk]))
    html = page_text(response)
    assert 'name="require_two_factor"' in html
    assert "Zweiten Faktor bei der Anmeldung verlangen" in html


def test_the_set_up_at_the_sign_in_may_take_fifteen_minutes(client, strict, clock):
    user = member(body=strict, username="heidi")
    post_password(client, "heidi")
    client.get(reverse("accounts_login_setup"))
    clock.advance(minutes=14)
    response = client.post(
        reverse("accounts_login_setup"), {"code": code_for(unconfirmed(user))}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_abandoned_set_up_expires_after_fifteen_minutes(client, strict, clock):
    member(body=strict, username="ida")
    post_password(client, "ida")
    clock.advance(minutes=15, seconds=1)
    response = client.get(reverse("accounts_login_setup"), follow=True)
    assert "mehr als 15 Minuten" in page_text(response)

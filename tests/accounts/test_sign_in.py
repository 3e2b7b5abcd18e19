"""Signing in with the password alone (no app, none required), what the
page offers, where it leads, and signing out."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import SignInRecord
from tests.accounts.factories import (
    PASSWORD,
    member,
    page_text,
    post_password,
    sign_in,
)
from tests.gremien.factories import BodyFactory, UserFactory, staff_of

pytestmark = pytest.mark.django_db

WRONG = "Benutzername oder Passwort sind nicht korrekt"


def test_the_sign_in_page_has_labelled_fields_for_password_managers(client):
    response = client.get(reverse("accounts_login"))
    html = page_text(response)
    assert response.status_code == 200
    assert '<label for="id_username">Benutzername</label>' in html
    assert '<label for="id_password">Passwort</label>' in html
    assert 'name="username"' in html and 'autocomplete="username"' in html
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    assert 'type="submit"' in html
    assert "Passwort vergessen?" in html
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    # "private" also keeps it out of the portal's page cache (publicportal.cache).
    assert "private" in response["Cache-Control"]


def test_a_member_without_an_app_signs_in_with_the_password(client):
    user = member(username="anna")
    response = post_password(client, "anna")
    assert response.status_code == 302
    assert response["Location"] == reverse("members_dashboard")
    assert client.session[SESSION_KEY] == str(user.pk)
    page = client.get(reverse("accounts_security"))
    assert page.status_code == 200
    assert "Anmeldung und Sicherheit" in page_text(page)
    assert SignInRecord.objects.get(user=user).method == "password"


def test_staff_land_in_the_admin(client):
    clerk = staff_of(BodyFactory())
    response = post_password(client, clerk.username)
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_safe_next_address_is_honoured_and_a_foreign_one_is_not(client):
    member(username="bernd")
    response = post_password(client, "bernd", next="/live/1/mitglied/")
    assert response["Location"] == "/live/1/mitglied/"

    client.post(reverse("accounts_logout"))
    response = post_password(client, "bernd", next="https://evil.example/steal")
    assert response["Location"] == reverse("members_dashboard")


def test_the_next_address_travels_with_the_form(client):
    response = client.get(reverse("accounts_login") + "?next=/mappe/7/mitglieder.pdf")
    assert 'name="next" value="/mappe/7/mitglieder.pdf"' in page_text(response)


def test_a_wrong_password_is_refused_in_german_and_nobody_is_signed_in(client):
    member(username="clara")
    response = post_password(client, "clara", "falsch")
    assert response.status_code == 200
    assert WRONG in page_text(response)
    assert SESSION_KEY not in client.session


def test_an_unknown_user_name_gets_the_very_same_answer(client):
    member(username="dora")
    known = page_text(post_password(client, "dora", "falsch"))
    unknown = page_text(post_password(client, "niemand", "falsch"))
    assert WRONG in unknown

    def summary(html):
        start = html.index('id="error-summary"')
        return html[start : html.index("</div>", start)]

    assert summary(known) == summary(unknown)


def test_an_inactive_account_cannot_sign_in(client):
    UserFactory(username="ehemalig", is_active=False)
    response = post_password(client, "ehemalig")
    assert WRONG in page_text(response)
    assert SESSION_KEY not in client.session


def test_empty_fields_are_named_in_the_error_summary_and_at_the_field(client):
    response = client.post(reverse("accounts_login"), {"username": "", "password": ""})
    html = page_text(response)
    assert "Bitte prüfen Sie Ihre Eingabe" in html
    assert '<a href="#id_username">Bitte geben Sie Ihren Benutzernamen ein.</a>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert 'id="id_username_error"' in html


def test_signing_out_needs_a_post_and_ends_the_session(client):
    user = member()
    sign_in(client, user)
    assert client.get(reverse("accounts_logout")).status_code == 405
    response = client.post(reverse("accounts_logout"), follow=True)
    assert SESSION_KEY not in client.session
    assert "Sie wurden abgemeldet." in page_text(response)
    assert client.get(reverse("accounts_security")).status_code == 302


def test_the_sign_in_page_does_not_say_the_session_ended_after_signing_out(client):
    sign_in(client, member())
    client.post(reverse("accounts_logout"))
    page = client.get(reverse("accounts_login"))
    assert "Ihre Sitzung wurde zu Ihrer Sicherheit beendet" not in page_text(page)


def test_password_is_not_in_error_reports(client, settings):
    member(username="fritz")
    response = post_password(client, "fritz", PASSWORD + "x")
    assert PASSWORD not in page_text(response)

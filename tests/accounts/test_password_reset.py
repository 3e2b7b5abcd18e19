"""Password reset by e-mail: a German e-mail with a link, the same answer
for unknown addresses, throttling, and every session ending afterwards."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import (
    member,
    page_text,
    post_password,
    sign_in,
    with_app,
)

pytestmark = pytest.mark.django_db

NEW = "Neues-Passwort-fuer-2026"  # noqa: S105


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    def send(email, browser=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or client).post(
                reverse("accounts_password_reset"), {"email": email}
            )

    return send


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/passwort-vergessen/\S+/)", message.body)[
        1
    ]


def set_new_password(client, link: str):
    form = client.get(link, follow=True)
    assert form.status_code == 200
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW, "new_password2": NEW},
        follow=True,
    )


def test_a_member_resets_the_password_by_e_mail(client, request_reset):
    member(username="anna", email="anna@example.org")
    response = request_reset("Anna@Example.org")
    assert response["Location"] == reverse("accounts_password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert message.subject == "Ihr neues Passwort für das Gremienportal"
    assert "Guten Tag," in message.body
    assert "„anna“" in message.body
    assert "Uhr gültig und funktioniert nur einmal" in message.body

    page = set_new_password(client, link_in(message))
    assert "Ihr neues Passwort ist gespeichert" in page_text(page)
    assert post_password(client, "anna", NEW).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(request_reset, client):
    member(username="bernd", email="bernd@example.org")
    known = request_reset("bernd@example.org")
    unknown = request_reset("niemand@example.org")
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = page_text(client.get(unknown["Location"]))
    assert "Falls die Adresse zu einem Konto gehört" in page


def test_every_session_ends_after_the_reset(client, other_client, request_reset):
    user = member(username="clara", email="clara@example.org")
    sign_in(other_client, user)
    request_reset("clara@example.org")
    set_new_password(client, link_in(mail.outbox[0]))
    response = other_client.get(reverse("accounts_security"))
    assert response["Location"].startswith(reverse("accounts_login"))
    assert SESSION_KEY not in other_client.session


def test_the_link_works_once(client, request_reset):
    member(username="dora", email="dora@example.org")
    request_reset("dora@example.org")
    link = link_in(mail.outbox[0])
    set_new_password(client, link)
    again = client.get(link, follow=True)
    assert "Dieser Link ist nicht mehr gültig" in page_text(again)


def test_the_reset_lifts_a_lock_out_but_not_the_second_factor(client, request_reset):
    user = member(username="emil", email="emil@example.org")
    with_app(user)
    for _ in range(5):
        post_password(client, "emil", "falsch")
    assert post_password(client, "emil").status_code == 429
    request_reset("emil@example.org")
    set_new_password(client, link_in(mail.outbox[0]))
    assert post_password(client, "emil", NEW)["Location"] == reverse(
        "accounts_login_code"
    )


def test_at_most_three_e_mails_an_hour_go_to_one_address(request_reset, clock):
    member(username="frieda", email="frieda@example.org")
    for _ in range(5):
        response = request_reset("frieda@example.org")
        assert response["Location"] == reverse("accounts_password_reset_done")
    assert len(mail.outbox) == 3
    clock.advance(hours=1, minutes=1)
    request_reset("frieda@example.org")
    assert len(mail.outbox) == 4


def test_one_network_cannot_ask_endlessly(request_reset, settings):
    settings.GREMIEN_PASSWORD_RESETS_PER_ADDRESS = 3
    for number in range(3):
        request_reset(f"person{number}@example.org")
    refused = request_reset("person9@example.org")
    assert refused.status_code == 429
    assert "Zu viele Anfragen aus Ihrem Netzwerk" in page_text(refused)


def test_the_reset_form_is_accessible(client):
    html = page_text(client.get(reverse("accounts_password_reset")))
    assert '<label for="id_email">E-Mail-Adresse</label>' in html
    assert 'autocomplete="email"' in html
    bad = page_text(client.post(reverse("accounts_password_reset"), {"email": "x"}))
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in bad
    assert 'aria-invalid="true"' in bad

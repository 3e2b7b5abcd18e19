"""The Sitzungsdienst helps a member: resets a lost app, lifts a lock-out;
only for persons of its own bodies."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import (
    member,
    page_text,
    post_password,
    sign_in,
    with_app,
)
from tests.gremien.factories import BodyFactory, staff_of

pytestmark = pytest.mark.django_db

SUPPORT = "accounts_sign_in_support"


@pytest.fixture
def town(db):
    return BodyFactory(name="Gemeinde Seeheim", require_two_factor=True)


def test_the_office_resets_a_lost_app_and_the_member_sets_up_a_new_one(
    client, other_client, town
):
    anna = member(body=town, username="anna")
    device = with_app(anna)
    sign_in(other_client, anna, device=device)
    office = staff_of(town)
    sign_in(client, office, device=with_app(office))

    listing = page_text(client.get(reverse(SUPPORT), {"q": "anna"}))
    assert anna.person.name in listing
    assert "eingerichtet" in listing

    client.post(reverse(SUPPORT), {"user": anna.pk, "action": "reset_app"})
    assert not TOTPDevice.objects.filter(user=anna).exists()
    # The lost phone's session is over, and the next sign-in sets up an app.
    assert other_client.get(reverse("accounts_security")).status_code == 302
    assert post_password(other_client, "anna")["Location"] == reverse(
        "accounts_login_setup"
    )


def test_the_office_lifts_a_lock_out(client, other_client, town):
    bernd = member(body=town, username="bernd")
    for _ in range(5):
        post_password(client, "bernd", "falsch")
    office = staff_of(town)
    sign_in(other_client, office, device=with_app(office))
    assert "<strong>gesperrt</strong>" in page_text(other_client.get(reverse(SUPPORT)))
    other_client.post(reverse(SUPPORT), {"user": bernd.pk, "action": "unlock"})
    assert "<strong>gesperrt</strong>" not in page_text(
        other_client.get(reverse(SUPPORT))
    )
    assert post_password(client, "bernd")["Location"] == reverse("accounts_login_setup")


def test_staff_of_another_body_can_neither_see_nor_reset(client, town):
    anna = member(body=town, username="anna")
    with_app(anna)
    client.force_login(staff_of(BodyFactory(name="Nachbarort")))
    assert anna.person.family_name not in page_text(client.get(reverse(SUPPORT)))
    client.post(reverse(SUPPORT), {"user": anna.pk, "action": "reset_app"})
    assert TOTPDevice.objects.filter(user=anna).exists()


def test_members_do_not_get_the_screen(client, town):
    anna = member(body=BodyFactory(), username="anna")
    sign_in(client, anna)
    assert client.get(reverse(SUPPORT)).status_code in (302, 403)


def test_the_command_line_resets_an_app(town, capsys):
    anna = member(body=town, username="anna")
    device = with_app(anna)
    call_command("twofactor_reset", "anna")
    assert "anna" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

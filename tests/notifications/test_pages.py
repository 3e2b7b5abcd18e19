"""The member's pages: the list (``/mitglieder/benachrichtigungen/``) and
the settings; each user sees and changes only their own."""

import pytest
from django.urls import reverse

from gremien.models import Membership
from notifications import selectors
from notifications.models import Notification, NotificationPreference
from sessions.services.lifecycle import meeting_cancel

from .conftest import client_for
from .helpers import invite, planned

pytestmark = pytest.mark.django_db

LIST = "/mitglieder/benachrichtigungen/"
SETTINGS = "/mitglieder/benachrichtigungen/einstellungen/"


@pytest.fixture
def noticed(world, people, clock, capture):
    """Hans and Erika were invited to a Bauausschuss meeting, which was
    then called off."""
    meeting = planned(world)
    invite(world, meeting, capture)
    clock.advance(hours=1)
    with capture():
        meeting_cancel(actor=world.clerk, meeting=meeting, reason="Keine Vorlagen")
    return meeting


def test_the_urls_have_their_names():
    assert reverse("notifications_list") == LIST
    assert reverse("notifications_settings") == SETTINGS


def test_the_list_shows_my_notifications_newest_first_unread_marked(
    world, people, noticed
):
    response = client_for(people.hans).get(LIST)

    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    html = response.content.decode()
    cancellation = html.index("Absage: 5. Sitzung des Bauausschusses")
    invitation = html.index("Einladung: 5. Sitzung des Bauausschusses")
    assert cancellation < invitation
    assert html.count(">ungelesen<") == 2
    assert "2 ungelesene Benachrichtigungen" in html
    assert "Alle als gelesen markieren" in html
    mine = Notification.objects.filter(user=people.hans)
    for notification in mine:
        assert f'href="/mitglieder/benachrichtigungen/{notification.pk}/"' in html
    erikas = Notification.objects.filter(user=people.erika).first()
    assert f"/mitglieder/benachrichtigungen/{erikas.pk}/" not in html


def test_opening_a_notification_marks_it_read_and_leads_to_the_meeting(
    world, people, noticed
):
    client = client_for(people.hans)
    notification = Notification.objects.filter(user=people.hans).last()

    response = client.get(f"{LIST}{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/mitglieder/sitzungen/{noticed.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    html = client.get(LIST).content.decode()
    assert html.count(">ungelesen<") == 1
    assert "1 ungelesene Benachrichtigung" in html


def test_someone_elses_notification_is_not_found_and_stays_unread(
    world, people, noticed
):
    erikas = Notification.objects.filter(user=people.erika).first()

    for user in (people.hans, people.sina):
        response = client_for(user).get(f"{LIST}{erikas.pk}/")
        assert response.status_code == 404
    assert client_for(people.hans).get(f"{LIST}999999/").status_code == 404
    erikas.refresh_from_db()
    assert erikas.read_at is None


def test_mark_all_read(world, people, noticed):
    client = client_for(people.hans)

    response = client.post(reverse("notifications_mark_all_read"), follow=True)

    html = response.content.decode()
    assert "2 Benachrichtigungen als gelesen markiert." in html
    assert ">ungelesen<" not in html
    assert selectors.unread_count(user=people.hans) == 0
    # Erika's stay unread.
    assert selectors.unread_count(user=people.erika) == 2


def test_mark_all_read_needs_a_post(world, people, noticed):
    response = client_for(people.hans).get(reverse("notifications_mark_all_read"))

    assert response.status_code == 405
    assert selectors.unread_count(user=people.hans) == 2


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for url in (LIST, SETTINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_selectors_for_the_lead(world, people, noticed):
    latest = selectors.latest(user=people.hans, limit=1)

    assert [n.kind for n in latest] == ["cancellation"]
    assert latest[0].unread
    assert latest[0].url == f"/mitglieder/sitzungen/{noticed.pk}/"
    assert selectors.unread_count(user=people.hans) == 2
    assert selectors.unread_count(user=people.gerda) == 0


def test_a_seat_deleted_as_entered_in_error_takes_its_notifications_along(
    world, people, noticed, clock
):
    Membership.objects.filter(person=world.member, organization=world.bau).update(
        deleted_at=clock.now
    )

    html = client_for(people.hans).get(LIST).content.decode()

    assert "5. Sitzung des Bauausschusses" not in html
    assert "Sie haben keine Benachrichtigungen." in html
    assert selectors.unread_count(user=people.hans) == 0


def test_the_empty_list_says_what_will_appear(world, people):
    html = client_for(people.sina).get(LIST).content.decode()

    assert "Sie haben keine Benachrichtigungen." in html


# --- settings ------------------------------------------------------------------


def test_settings_offer_a_checkbox_per_topic_and_channel(world, people):
    response = client_for(people.hans).get(SETTINGS)

    assert response.status_code == 200
    html = response.content.decode()
    for topic in ("invitation", "addendum", "change", "minutes", "documents"):
        assert f'name="{topic}_in_app"' in html
    assert 'name="minutes_email"' in html and 'name="documents_email"' in html
    # The formal notices' e-mail is not the member's to switch off.
    for topic in ("invitation", "addendum", "change"):
        assert f'name="{topic}_email"' not in html
    assert "Einladungen" in html
    assert "Veröffentlichte Niederschriften" in html
    assert "Im Mitgliederbereich anzeigen" in html
    assert "Per E-Mail benachrichtigen" in html
    assert "E-Mails gehen an geheim-7q3x@example.org." in html
    assert "Per E-Mail: immer, als förmliche Mitteilung des Sitzungsdienstes." in html


def test_settings_are_saved_with_a_german_message(world, people):
    client = client_for(people.hans)

    response = client.post(
        SETTINGS,
        {
            "invitation_in_app": "on",
            "addendum_in_app": "on",
            "minutes_in_app": "on",
            "documents_email": "on",
        },
        follow=True,
    )

    assert response.redirect_chain == [(SETTINGS, 302)]
    html = response.content.decode()
    assert "Ihre Einstellungen der Benachrichtigungen sind gespeichert." in html
    chosen = selectors.preferences(user=people.hans)
    assert chosen["invitation"].in_app and chosen["addendum"].in_app
    assert not chosen["change"].in_app
    assert chosen["change"].email  # the formal notice: always
    assert chosen["minutes"].in_app and not chosen["minutes"].email
    assert not chosen["documents"].in_app and chosen["documents"].email
    assert 'name="change_in_app" id="id_change_in_app"' in html
    assert 'name="change_in_app" id="id_change_in_app" checked' not in html
    assert 'name="documents_email" id="id_documents_email" checked' in html
    # Someone else's settings are untouched.
    assert not NotificationPreference.objects.filter(user=people.erika).exists()


def test_a_forged_formal_email_opt_out_is_ignored(world, people):
    client_for(people.hans).post(SETTINGS, {"invitation_email": ""})

    assert selectors.preferences(user=people.hans)["invitation"].email


def test_choosing_mail_without_an_address_warns(world, people):
    world.member.email = []
    world.member.save(update_fields=["email"])
    people.hans.email = ""
    people.hans.save(update_fields=["email"])

    response = client_for(people.hans).post(
        SETTINGS, {"minutes_email": "on"}, follow=True
    )

    html = response.content.decode()
    assert "Ihre Einstellungen der Benachrichtigungen sind gespeichert." in html
    assert "daher kann keine E-Mail versandt werden" in html


def test_settings_apply_to_the_next_notice(world, people, capture):
    client_for(people.hans).post(SETTINGS, {"minutes_email": "on"})  # no invitations
    meeting = planned(world)

    invite(world, meeting, capture)

    assert not Notification.objects.filter(user=people.hans).exists()
    assert Notification.objects.filter(user=people.erika).count() == 1
    # The formal notice still reached Hans.
    assert meeting.dispatches.get().deliveries.get(person=world.member).status == "sent"


def test_the_badge_and_the_dashboard_include_for_the_lead(world, people, noticed, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from notifications.context_processors import unread

    request = rf.get("/mitglieder/")
    request.user = people.hans
    assert unread(request)["notifications_unread"] == 2
    request.user = AnonymousUser()
    assert unread(request)["notifications_unread"] == 0

    latest = selectors.latest(user=people.hans, limit=5)
    html = render_to_string("notifications/_latest.html", {"notifications": latest})
    assert "Absage: 5. Sitzung des Bauausschusses" in html
    assert f'href="/mitglieder/benachrichtigungen/{latest[0].pk}/"' in html
    assert "Alle Benachrichtigungen" in html
    empty = render_to_string("notifications/_latest.html", {"notifications": []})
    assert "Sie haben keine Benachrichtigungen." in empty

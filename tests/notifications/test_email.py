"""The e-mails members choose (minutes, documents): one per recipient, only
when chosen, never twice, never to someone no longer entitled."""

import pytest
from django.core import mail

from gremien.models import Membership
from notifications.mail import send_queued
from notifications.models import Notification
from notifications.services import notify_minutes, preferences_update
from notifications.topics import Choice
from sessions.services.minutes import minutes_publish

from .helpers import (
    attach,
    invite,
    mails_to,
    planned,
    publish_minutes,
    sign_minutes,
)

pytestmark = pytest.mark.django_db

HANS = "geheim-7q3x@example.org"
ERIKA = "erika.mustermann@example.org"


def test_published_minutes_are_mailed_to_each_member_once(
    world, people, clock, capture
):
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([HANS, ERIKA])
    message = mails_to(ERIKA)[0]
    assert (
        message.subject == "Niederschrift veröffentlicht: 5. Sitzung des Bauausschusses"
    )
    assert message.body.startswith("Guten Tag Frau Erika Mustermann,")
    assert "(Bauausschuss)" in message.body
    assert f"/mitglieder/sitzungen/{meeting.pk}/" in message.body
    assert "/mitglieder/benachrichtigungen/einstellungen/" in message.body
    sent = Notification.objects.get(user=people.erika, kind="minutes")
    assert sent.email_status == "sent"
    assert sent.email_address == ERIKA
    assert sent.emailed_at is not None


def test_a_member_who_declined_gets_no_minutes_mail_but_the_portal_notice(
    world, people, clock, capture
):
    preferences_update(
        actor=people.hans,
        choices={"minutes": Choice(in_app=True, email=False)},
    )
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    assert mails_to(HANS) == []
    assert len(mails_to(ERIKA)) == 1
    hans = Notification.objects.get(user=people.hans, kind="minutes")
    assert hans.email_status == "none"
    assert hans.in_app


def test_mail_only_is_recorded_but_not_listed(world, people, clock, capture):
    preferences_update(
        actor=people.hans,
        choices={"minutes": Choice(in_app=False, email=True)},
    )
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    hans = Notification.objects.get(user=people.hans, kind="minutes")
    assert not hans.in_app
    assert hans.email_status == "sent"
    assert len(mails_to(HANS)) == 1


def test_neither_channel_means_nothing_at_all(world, people, clock, capture):
    preferences_update(
        actor=people.hans,
        choices={"minutes": Choice(in_app=False, email=False)},
    )
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    assert not Notification.objects.filter(user=people.hans, kind="minutes").exists()
    assert mails_to(HANS) == []


def test_without_any_address_nothing_is_sent_and_that_is_recorded(
    world, people, clock, capture
):
    world.member.email = []
    world.member.save(update_fields=["email"])
    people.hans.email = ""
    people.hans.save(update_fields=["email"])
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    hans = Notification.objects.get(user=people.hans, kind="minutes")
    assert hans.email_status == "no_address"
    assert [m.to for m in mail.outbox] == [[ERIKA]]


def test_the_account_address_serves_when_the_person_has_none(
    world, people, clock, capture
):
    world.member.email = []
    world.member.save(update_fields=["email"])
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    assert len(mails_to(people.hans.email)) == 1


def test_documents_are_mailed_only_to_who_chose_them_one_mail_per_batch(
    world, people, clock, capture
):
    preferences_update(
        actor=people.erika,
        choices={"documents": Choice(in_app=True, email=True)},
    )
    meeting = planned(world)
    invite(world, meeting, capture)
    clock.advance(hours=1)
    mail.outbox.clear()

    with capture():
        attach(meeting, "Stellungnahme des Ortsbeirats")
        attach(meeting, "Lärmgutachten")

    assert [m.to for m in mail.outbox] == [[ERIKA]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Neue Unterlagen: 5. Sitzung des Bauausschusses"
    assert "Stellungnahme des Ortsbeirats" in body and "Lärmgutachten" in body


def test_sending_again_sends_nothing_twice(world, people, clock, capture):
    meeting = planned(world)
    publish_minutes(world, meeting, clock, capture)
    assert len(mail.outbox) == 2

    send_queued(f"minutes:{meeting.pk}")
    with capture():
        notify_minutes(meeting_id=meeting.pk)

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="minutes").count() == 2


def test_no_mail_to_whoever_lost_the_seat_before_it_went_out(
    world, people, clock, django_capture_on_commit_callbacks
):
    """The e-mail task checks access again: a seat deleted as entered in
    error between the publication and the sending gets no e-mail, so not
    even the meeting's name reaches that person."""
    meeting = planned(world)
    sign_minutes(world, meeting, clock)
    minutes_publish(actor=world.clerk, meeting=meeting)
    # The notifications are written; the mail task has not run yet.
    with django_capture_on_commit_callbacks(execute=False):
        notify_minutes(meeting_id=meeting.pk)
    assert Notification.objects.get(user=people.hans).email_status == "queued"
    Membership.objects.filter(person=world.member, organization=world.bau).update(
        deleted_at=clock.now
    )
    mail.outbox.clear()

    send_queued(f"minutes:{meeting.pk}")

    assert [m.to for m in mail.outbox] == [[ERIKA]]
    assert Notification.objects.get(user=people.hans).email_status == "skipped"

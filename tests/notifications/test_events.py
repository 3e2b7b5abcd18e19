"""Each event notifies in the portal exactly the members entitled to the
meeting who have a login: never a former member, a member of another
committee or of another town, and never before the formal notice."""

import pytest
from django.core import mail

from notifications.models import Notification
from sessions.models import Delivery
from sessions.services.agenda import agenda_item_add
from sessions.services.invitations import meeting_send_addendum
from sessions.services.lifecycle import meeting_cancel, meeting_reschedule
from tests.publicportal.world import berlin

from .helpers import attach, invite, notified, planned, publish_minutes

pytestmark = pytest.mark.django_db


def names(*users) -> set[str]:
    return {user.username for user in users}


def test_invitation_notifies_the_committees_members_with_a_login(
    world, people, capture
):
    meeting = planned(world)

    invite(world, meeting, capture)

    assert notified(meeting) == names(people.hans, people.erika)
    notification = Notification.objects.get(meeting=meeting, user=people.hans)
    assert notification.kind == "invitation"
    assert (
        notification.title == "Einladung: 5. Sitzung des Bauausschusses am 10.12.2026"
    )
    assert "10. Dezember 2026" in notification.text
    assert "Rathaus, Ratssaal" in notification.text
    assert notification.url == f"/mitglieder/sitzungen/{meeting.pk}/"
    assert notification.read_at is None


def test_the_invitation_is_mailed_once_by_the_sitzungsdienst_and_logged_truthfully(
    world, people, capture
):
    meeting = planned(world)

    dispatch = invite(world, meeting, capture)

    deliveries = {d.person_id: d for d in dispatch.deliveries.all()}
    assert deliveries[world.member.pk].status == Delivery.Status.SENT
    assert deliveries[world.chair.pk].status == Delivery.Status.SENT
    # One e-mail per recipient: the formal notice, nothing from notifications.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        d.email for d in deliveries.values() if d.status == Delivery.Status.SENT
    )
    assert all(m.subject.startswith("Einladung:") for m in mail.outbox)
    assert set(
        Notification.objects.filter(dispatch=dispatch).values_list(
            "email_status", flat=True
        )
    ) == {"none"}
    hans = Notification.objects.get(dispatch=dispatch, user=people.hans)
    assert "geheim-7q3x@example.org" in hans.text


def test_a_member_without_address_learns_that_the_notice_comes_by_other_means(
    world, people, capture
):
    world.member.email = []
    world.member.save(update_fields=["email"])
    meeting = planned(world)

    dispatch = invite(world, meeting, capture)

    delivery = dispatch.deliveries.get(person=world.member)
    assert delivery.status == Delivery.Status.NO_ADDRESS
    assert mail.outbox and not [m for m in mail.outbox if people.hans.email in m.to]
    hans = Notification.objects.get(dispatch=dispatch, user=people.hans)
    assert "E-Mail-Adresse" in hans.text
    assert "auf anderem Weg" in hans.text


def test_addendum_rescheduling_and_cancellation_reach_the_council(
    world, people, clock, capture
):
    council = world.council_meeting
    clock.advance(hours=2)
    agenda_item_add(actor=world.clerk, meeting=council, name="Dringlichkeitsantrag")
    with capture():
        meeting_send_addendum(actor=world.clerk, meeting=council)
    with capture():
        meeting_reschedule(
            actor=world.clerk,
            meeting=council,
            start=berlin(12, 10, 18),
            reason="Terminkollision",
        )
    with capture():
        meeting_cancel(actor=world.clerk, meeting=council, reason="Keine Vorlagen")

    entitled = names(people.hans, people.erika)
    assert notified(council, "addendum") == entitled
    assert notified(council, "reschedule") == entitled
    assert notified(council, "cancellation") == entitled
    cancelled = Notification.objects.get(
        meeting=council, kind="cancellation", user=people.erika
    )
    assert cancelled.title.startswith("Absage:")
    assert "Keine Vorlagen" in cancelled.text
    moved = Notification.objects.get(
        meeting=council, kind="reschedule", user=people.hans
    )
    assert "10. Dezember 2026" in moved.text
    # Gerda left the council in 2025: no notice, no notification.
    assert not Notification.objects.filter(user=people.gerda).exists()


def test_minutes_published_notify_the_members_on_the_meeting_day(
    world, people, clock, capture
):
    meeting = planned(world)

    publish_minutes(world, meeting, clock, capture)

    assert notified(meeting, "minutes") == names(people.hans, people.erika)
    notification = Notification.objects.get(
        meeting=meeting, kind="minutes", user=people.erika
    )
    assert (
        notification.title
        == "Niederschrift veröffentlicht: 5. Sitzung des Bauausschusses"
    )


def test_a_non_public_fraction_meeting_is_told_only_to_the_fraction(
    world, people, capture
):
    closed = world.closed_meeting
    agenda_item_add(
        actor=world.clerk, meeting=closed, name=f"Haushalt {world.marker}", public=False
    )

    invite(world, closed, capture)

    assert notified(closed) == names(people.hans)
    for user in (people.erika, people.gerda, people.sina, people.otto):
        assert not Notification.objects.filter(user=user).exists()
    assert [m.to for m in mail.outbox] == [["geheim-7q3x@example.org"]]


def test_nobody_outside_the_body_or_committee_hears_anything(
    world, people, clock, capture
):
    meeting = planned(world)
    invite(world, meeting, capture)
    with capture():
        attach(meeting)
    council = world.council_meeting
    with capture():
        meeting_cancel(actor=world.clerk, meeting=council, reason="Keine Vorlagen")

    for user in (people.gerda, people.sina, people.otto):
        assert not Notification.objects.filter(user=user).exists()
    assert not [
        m
        for m in mail.outbox
        if {"sina.sozial@example.org", "otto.anderswo@example.org"} & set(m.to)
    ]


def test_staff_work_before_the_invitation_notifies_nobody(world, people, capture):
    with capture():
        meeting = planned(world)
        agenda_item_add(
            actor=world.clerk, meeting=meeting, name=f"Vorentwurf {world.marker}"
        )
        attach(meeting, f"Entwurf {world.marker}")
        meeting_reschedule(actor=world.clerk, meeting=meeting, start=berlin(12, 11, 17))
    with capture():
        meeting_cancel(actor=world.clerk, meeting=meeting, reason="Entfällt")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_new_documents_after_the_invitation_are_announced_once_per_meeting(
    world, people, clock, capture
):
    meeting = planned(world)
    with capture():
        before = attach(meeting, "Lageplan")
    invite(world, meeting, capture)
    assert notified(meeting, "documents") == set()  # part of the invitation
    clock.advance(hours=2)
    mail.outbox.clear()

    with capture():
        attach(meeting, "Stellungnahme des Ortsbeirats")
        attach(meeting.agenda_items.first(), "Anlage zu TOP 1")

    documents = Notification.objects.filter(meeting=meeting, kind="documents")
    assert {n.user.username for n in documents} == names(people.hans, people.erika)
    assert documents.count() == 2  # one per member for both files
    text = documents.get(user=people.hans).text
    assert "Stellungnahme des Ortsbeirats" in text and "Anlage zu TOP 1" in text
    assert before.name not in text
    # Documents are not mailed unless a member chose so.
    assert mail.outbox == []


def test_a_file_of_a_paper_reaches_only_its_coming_meetings(
    world, people, clock, capture
):
    clock.advance(hours=2)
    # The Bebauungsplan is on the held Bauausschuss and the invited council.
    with capture():
        attach(world.public_paper, "Ergänzung zur Begründung")

    assert notified(world.council_meeting, "documents") == names(
        people.hans, people.erika
    )
    assert notified(world.held_meeting) == set()


def test_running_an_event_twice_notifies_nobody_twice(world, people, capture):
    from notifications.services import notify_notice

    meeting = planned(world)
    dispatch = invite(world, meeting, capture)

    with capture():
        notify_notice(dispatch_id=dispatch.pk)

    assert Notification.objects.filter(dispatch=dispatch).count() == 2

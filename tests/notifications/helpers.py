"""Building the events of the notification tests through the services, as
the Sitzungsdienst would."""

from django.core import mail

from documents.services import file_attach
from notifications.models import Notification
from sessions.services.agenda import agenda_item_add
from sessions.services.invitations import meeting_invite
from sessions.services.lifecycle import meeting_create
from sessions.services.minutes import (
    item_minutes_update,
    minutes_mark_drafted,
    minutes_open,
    minutes_publish,
    minutes_sign,
)
from tests.gremien.factories import staff_of
from tests.publicportal.world import berlin, pdf_upload
from tests.sessions.agenda_factories import hold


def planned(world, organization=None, *, name="5. Sitzung des Bauausschusses", day=10):
    """A planned meeting in December with one item; nobody is invited yet."""
    meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[organization or world.bau],
        name=name,
        start=berlin(12, day, 17),
        location=world.location,
    )
    agenda_item_add(actor=world.clerk, meeting=meeting, name="Mitteilungen")
    return meeting


def invite(world, meeting, capture):
    mail.outbox.clear()
    with capture():
        dispatch = meeting_invite(
            actor=world.clerk, meeting=meeting, urgent_reason="Eilbedürftig"
        )
    meeting.refresh_from_db()
    return dispatch


def publish_minutes(world, meeting, clock, capture):
    """Hold ``meeting`` (invited without running the notices), sign and
    publish its minutes; only the publication's events run."""
    sign_minutes(world, meeting, clock)
    mail.outbox.clear()
    with capture():
        minutes_publish(actor=world.clerk, meeting=meeting)
    meeting.refresh_from_db()


def sign_minutes(world, meeting, clock):
    """Hold ``meeting`` and sign its minutes (the notices' events do not
    run)."""
    hold(world.clerk, meeting, clock)
    minutes_open(
        actor=world.clerk, meeting=meeting, chair=world.chair, clerk=world.member
    )
    for item in meeting.agenda_items.all():
        item_minutes_update(actor=world.clerk, agenda_item=item, done=True)
    minutes_mark_drafted(actor=world.clerk, meeting=meeting)
    minutes_sign(actor=staff_of(world.body), meeting=meeting, as_role="chair")
    minutes_sign(actor=world.clerk, meeting=meeting, as_role="clerk")


def attach(owner, name="Ergänzende Stellungnahme"):
    return file_attach(
        actor=None, owner=owner, upload=pdf_upload(name, "stellungnahme.pdf"), name=name
    )


def notified(meeting, kind=None) -> set[str]:
    """Usernames notified of ``meeting`` (of ``kind``)."""
    notifications = Notification.objects.filter(meeting=meeting)
    if kind:
        notifications = notifications.filter(kind=kind)
    return set(notifications.values_list("user__username", flat=True))


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]

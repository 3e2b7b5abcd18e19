"""Helpers for the meeting lifecycle and invitation tests: a frozen clock,
staff users, committees with members, and meetings planned through the
services."""

import datetime as dt
import email
from zoneinfo import ZoneInfo

import icalendar
from django.contrib.auth.models import Permission
from django.core import mail

from gremien.models import Membership, Organization
from sessions.services.lifecycle import meeting_create
from tests.gremien.factories import (
    BodyFactory,
    LocationFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffAccessFactory,
    UserFactory,
)
from tests.sessions.factories import AgendaItemFactory

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int = 18, minute: int = 0) -> dt.datetime:
    """A moment in March 2026, local time."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


#: "Now" in these tests: Monday, 2 March 2026, 10:00 in Berlin.
NOW = berlin(2, 10)


def staff_user(body, *codenames: str):
    """An administration user with access to ``body`` and the given permissions
    of the meetings app (default: add and change meetings)."""
    user = UserFactory()
    StaffAccessFactory(user=user, body=body)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="meetings",
            codename__in=codenames or ("add_meeting", "change_meeting"),
        )
    )
    return user


def committee(body, **fields) -> Organization:
    return OrganizationFactory(body=body, kind=Organization.Kind.COMMITTEE, **fields)


def seat(
    organization: Organization,
    *,
    email_address: str | None = "",
    kind: str = Membership.Kind.MEMBER,
    person=None,
    **fields,
) -> Membership:
    """A membership; ``email_address=None`` gives a person without e-mail,
    ``""`` an address derived from the person's name."""
    if person is not None:
        return MembershipFactory(
            organization=organization, person=person, kind=kind, **fields
        )
    membership = MembershipFactory(organization=organization, kind=kind, **fields)
    person = membership.person
    if email_address is None:
        person.email = []
    else:
        person.email = [email_address or f"{person.given_name.lower()}@example.org"]
    person.save(update_fields=["email"])
    return membership


def plan(actor, organizations, start: dt.datetime, **fields):
    """A planned meeting, created through ``meeting_create``."""
    organizations = list(organizations)
    body = organizations[0].body
    fields.setdefault("location", LocationFactory(body=body))
    fields.setdefault("end", start + dt.timedelta(hours=3))
    return meeting_create(
        actor=actor,
        body=body,
        organizations=organizations,
        name=fields.pop("name", "Sitzung des Bauausschusses"),
        start=start,
        **fields,
    )


def add_item(meeting, name: str, *, public: bool = True, number: str = "", **fields):
    """An agenda item as the agenda builder stores it."""
    count = meeting.agenda_items.count() + 1
    return AgendaItemFactory(
        meeting=meeting,
        name=name,
        public=public,
        order=count,
        number=number or (f"Ö {count}" if public else f"N {count}"),
        **fields,
    )


def setup_committee(municipal_code: str = "hessen", **body_fields):
    """A body with one committee of two members with e-mail, and a staff user."""
    body = BodyFactory(municipal_code=municipal_code, **body_fields)
    organization = committee(body)
    seat(organization, email_address="anna@example.org")
    seat(organization, email_address="bert@example.org", kind=Membership.Kind.DEPUTY)
    return body, organization, staff_user(body)


def calendar_of(message) -> icalendar.Calendar:
    """Parse the ``einladung.ics`` attachment of a sent message."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    for part in parsed.walk():
        if part.get_filename() == "einladung.ics":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no einladung.ics attached")


def attachment_type(message) -> tuple[str, str]:
    """Content type and calendar method of the ``einladung.ics`` part."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    for part in parsed.walk():
        if part.get_filename() == "einladung.ics":
            return part.get_content_type(), part.get_param("method")
    raise AssertionError("no einladung.ics attached")


def mails_to(address: str):
    return [m for m in mail.outbox if address in m.to]


def error_codes(excinfo) -> set[str]:
    exc = excinfo.value
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}

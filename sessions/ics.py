"""Calendar entries (RFC 5545/5546) for invitations, changes and cancellations.

One meeting is one calendar event for its whole life: the UID never changes,
SEQUENCE rises with every rescheduling (and with the cancellation), so a
calendar client updates or removes the entry it already has instead of adding
a second one.
"""

import datetime as dt
import enum

import icalendar
from django.conf import settings

from gremien.rules import LOCAL_TIME

from .models import Meeting

PRODID = "-//Gremienportal//Sitzungsdienst//DE"
TZID = "Europe/Berlin"
#: Meetings without an end are entered with this length.
DEFAULT_DURATION = dt.timedelta(hours=2)


class Method(enum.StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def event_uid(meeting: Meeting) -> str:
    """The stable calendar UID of ``meeting``."""
    return f"{meeting.uid}@gremienportal"


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TIME)


def meeting_event(
    meeting: Meeting,
    *,
    sequence: int,
    cancelled: bool = False,
    attendee: str = "",
    stamp: dt.datetime | None = None,
) -> icalendar.Event:
    start = _local(meeting.start)
    end = _local(meeting.end) if meeting.end else start + DEFAULT_DURATION
    event = icalendar.Event.new(
        uid=event_uid(meeting),
        sequence=sequence,
        stamp=stamp,
        start=start,
        end=end,
        summary=meeting.name,
        location=str(meeting.location) if meeting.location_id else None,
        organizer=f"mailto:{settings.DEFAULT_FROM_EMAIL}",
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def meeting_calendar(
    meeting: Meeting,
    *,
    method: Method,
    sequence: int | None = None,
    attendee: str = "",
) -> bytes:
    """The iCalendar file for one notice about ``meeting``.

    ``method`` REQUEST (invitation, rescheduling) or CANCEL; ``sequence``
    defaults to the meeting's current one. Times are local (TZID
    Europe/Berlin) with the VTIMEZONE the file needs.
    """
    calendar = icalendar.Calendar.new(prodid=PRODID, method=str(method))
    # ``Calendar.new`` adds a random calendar UID (RFC 7986); the identity that
    # matters to clients is the event's, so leave the calendar without one.
    calendar.pop("UID", None)
    calendar.add_component(
        meeting_event(
            meeting,
            sequence=meeting.sequence if sequence is None else sequence,
            cancelled=method == Method.CANCEL,
            attendee=attendee,
        )
    )
    first = _local(meeting.start).date()
    calendar.add_missing_timezones(
        first_date=first - dt.timedelta(days=366),
        last_date=first + dt.timedelta(days=366),
    )
    return calendar.to_ical()

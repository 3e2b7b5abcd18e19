"""Calendar subscriptions (RFC 5545) of a body's public meetings.

One VEVENT per public meeting, with the identity the invitations use
(``sessions.ics.event_uid``: ``<meeting.uid>@gremienportal``) and the
meeting's SEQUENCE, so a calendar that got the e-mail invitation and also
subscribes sees one entry, updated on rescheduling and marked CANCELLED when
the meeting is called off. Times are local (``TZID=Europe/Berlin``) with the
VTIMEZONE the file needs.

The events are written here rather than through ``icalendar.Event``: for the
few hundred meetings of a body's calendar the library needs over a second
(its line folding runs per character), the target is 300 ms. The VTIMEZONE
still comes from icalendar, and the tests parse every feed with it.
"""

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable

import icalendar
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Body, Location, Organization
from gremien.rules import LOCAL_TIME
from sessions.ics import DEFAULT_DURATION, TZID, event_uid
from sessions.models import AgendaItem, Meeting

from .. import visibility
from ..links import PortalLinks

PRODID = "-//Gremienportal//Ratsinformationssystem//DE"
#: How far back the calendar of a body reaches; every future meeting is in it.
PAST = dt.timedelta(days=365)
#: How often subscribed calendars should fetch the feed again (RFC 7986).
REFRESH_INTERVAL = "PT6H"
#: RFC 5545 3.1: lines longer than 75 octets are folded.
LINE_OCTETS = 75
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def calendar_meetings(
    body: Body, organization: Organization | None = None
) -> QuerySet[Meeting]:
    """The meetings of a body's calendar feed: public ones of the last
    twelve months and all future ones, optionally of one organization."""
    meetings = visibility.public_meetings(body).filter(start__gte=timezone.now() - PAST)
    if organization is not None:
        meetings = meetings.filter(organizations=organization)
    return meetings


def meetings_calendar(
    meetings: QuerySet[Meeting], *, links: PortalLinks, name: str
) -> bytes:
    """The iCalendar file of ``meetings`` (a queryset from
    ``publicportal.visibility``) called ``name`` in calendar apps. Four
    queries however many meetings: meetings with their location, their
    organization links, the body's public organizations, the public agenda
    items of all of them."""
    rows = list(meetings.select_related("location").order_by("start", "pk"))
    ids = [meeting.pk for meeting in rows]
    organizations = _public_organization_names(ids)
    agendas = _public_agendas([m.pk for m in rows if visibility.agenda_published(m)])
    lines = _calendar_head(name)
    lines.append(_vtimezone(*_year_range(rows)))
    for meeting in rows:
        lines.extend(
            _event(
                meeting,
                organizations.get(meeting.pk, []),
                agendas.get(meeting.pk, []),
                links,
            )
        )
    lines.append(b"END:VCALENDAR\r\n")
    return b"".join(lines)


# --- the parts -----------------------------------------------------------


# The queries below select rows by meeting id and then check each against
# the visibility queryset (``Exists`` on its primary key). Filtering the
# visibility queryset by meeting directly lets SQLite (without statistics)
# pick the ``deleted_at`` index and scan every agenda item of the
# installation: 0.4 s instead of 0.03 s on the large demo.


def _public_organization_names(meeting_ids: list[int]) -> dict[int, list[str]]:
    if not meeting_ids:
        return {}
    links = (
        Meeting.organizations.through.objects.filter(meeting_id__in=meeting_ids)
        .filter(
            Exists(
                visibility.public_organizations().filter(pk=OuterRef("organization"))
            )
        )
        .order_by("organization__name")
        .values_list("meeting_id", "organization__name")
    )
    names = defaultdict(list)
    for meeting_id, name in links:
        names[meeting_id].append(name)
    return names


def _public_agendas(meeting_ids: list[int]) -> dict[int, list[dict]]:
    """Public agenda items of the meetings, by meeting id, in agenda order."""
    if not meeting_ids:
        return {}
    public = visibility.public_agenda_items().filter(pk=OuterRef("pk"))
    items = (
        AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        .filter(Exists(public))
        .order_by("meeting_id", "order")
        .values("meeting_id", "number", "name", "modified")
    )
    agendas = defaultdict(list)
    for item in items:
        agendas[item["meeting_id"]].append(item)
    return agendas


def _calendar_head(name: str) -> list[bytes]:
    return [
        b"BEGIN:VCALENDAR\r\n",
        b"VERSION:2.0\r\n",
        _line("PRODID", PRODID),
        b"CALSCALE:GREGORIAN\r\n",
        _line("NAME", _text(name)),
        _line("X-WR-CALNAME", _text(name)),
        _line("X-WR-TIMEZONE", TZID),
        _line("REFRESH-INTERVAL;VALUE=DURATION", REFRESH_INTERVAL),
        _line("X-PUBLISHED-TTL", REFRESH_INTERVAL),
    ]


def _year_range(meetings: list[Meeting]) -> tuple[int, int]:
    if not meetings:
        year = timezone.now().astimezone(LOCAL_TIME).year
        return year, year
    return meetings[0].start.year - 1, meetings[-1].start.year + 1


@functools.lru_cache(maxsize=16)
def _vtimezone(first_year: int, last_year: int) -> bytes:
    """VTIMEZONE of Europe/Berlin covering the given years (cached: the
    library needs ~0.1 s to compute the transitions)."""
    zone = icalendar.Timezone.from_tzid(
        TZID,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 12, 31),
    )
    return zone.to_ical()


def _event(
    meeting: Meeting, organizations: list[str], agenda: list[dict], links: PortalLinks
) -> list[bytes]:
    start = meeting.start.astimezone(LOCAL_TIME)
    end = (
        meeting.end.astimezone(LOCAL_TIME) if meeting.end else start + DEFAULT_DURATION
    )
    # Without METHOD REQUEST, DTSTAMP is the time of the last revision
    # (RFC 5545 3.8.7.2): the same file for the same data, so ETags hold.
    modified = max([meeting.modified, *(item["modified"] for item in agenda)])
    lines = [
        b"BEGIN:VEVENT\r\n",
        _line("UID", _text(event_uid(meeting))),
        _line("DTSTAMP", _utc(modified)),
        _line("LAST-MODIFIED", _utc(modified)),
        _line("SEQUENCE", str(meeting.sequence)),
        _line(f"DTSTART;TZID={TZID}", _local(start)),
        _line(f"DTEND;TZID={TZID}", _local(end)),
        _line("SUMMARY", _text(meeting.name)),
    ]
    if meeting.location_id:
        lines.append(_line("LOCATION", _text(address(meeting.location))))
    lines += [
        _line("URL;VALUE=URI", _uri(links.absolute(links.meeting(meeting)))),
        _line("DESCRIPTION", _text(_description(meeting, organizations, agenda))),
        b"CLASS:PUBLIC\r\n",
        _line("STATUS", "CANCELLED" if meeting.cancelled else "CONFIRMED"),
        b"END:VEVENT\r\n",
    ]
    return lines


def address(location: Location) -> str:
    """One-line address: "Rathaus, Ratssaal, Marktplatz 1, 12345 Neuhausen"."""
    town = " ".join(p for p in (location.postal_code, location.locality) if p)
    parts = (location.description, location.room, location.street_address, town)
    return ", ".join(p for p in parts if p)


def _description(
    meeting: Meeting, organizations: list[str], agenda: Iterable[dict]
) -> str:
    lines = []
    if meeting.cancelled:
        lines += [_("This meeting has been cancelled."), ""]
    lines.append(", ".join(organizations))
    agenda = list(agenda)
    if agenda:
        lines += ["", _("Agenda (public part):")]
        lines += [
            f"{item['number']} {item['name']}" if item["number"] else item["name"]
            for item in agenda
        ]
    return "\n".join(lines)


# --- RFC 5545 content lines ----------------------------------------------


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    value = _CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _uri(value: str) -> str:
    return _CONTROL_CHARACTERS.sub("", value).replace("\n", "").replace("\r", "")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _line(name: str, value: str) -> bytes:
    """One content line, folded after 75 octets without splitting a UTF-8
    character (RFC 5545 3.1)."""
    data = f"{name}:{value}".encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    chunks, start, limit = [], 0, LINE_OCTETS
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        chunks.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1
    return b"\r\n ".join(chunks) + b"\r\n"

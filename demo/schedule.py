"""The meeting calendar of one body over ``MEETING_YEARS``.

Councils meet on the third Thursday of a month; the main committee a week and
a half before, the specialist committees two to three weeks before, so that a
paper can pass its consultation path within one cycle, as in real councils.
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from gremien.models import Location, Organization
from sessions.models import Meeting

from .spec import (
    DEMO_TODAY,
    INVITATION_HORIZON,
    MEETING_YEARS,
    TERMS,
    BodySpec,
    OrgSpec,
    Scale,
)

BERLIN = ZoneInfo("Europe/Berlin")
#: months in the order they are filled: budget sessions in spring and autumn first
MONTH_ORDER = [3, 6, 9, 12, 2, 5, 11, 1, 4, 10, 7, 8]
MINOR_MONTHS = [5, 11, 2, 9, 6, 3, 10, 1, 4, 12, 7, 8]
COMMITTEE_OFFSETS = [14, 15, 16, 17, 21, 22]
DURATION_MINUTES = {"council": 180, "hfa": 150, "committee": 135, "minor": 90}
MINUTES_DELAY = datetime.timedelta(days=14)
INVITATION_LEAD = datetime.timedelta(days=14, hours=7)
#: calendar UIDs derived from the data, so that a seed gives the same UIDs
DEMO_NAMESPACE = uuid.UUID("5d1c9a52-8f0e-4c43-9a3e-6f1b2f0c7a11")


@dataclass
class PlannedMeeting:
    meeting: Meeting
    org_key: str
    org: Organization
    spec: OrgSpec
    #: (paper plan, consultation step) pairs placed on this meeting
    entries: list = field(default_factory=list)

    @property
    def day(self) -> datetime.date:
        return self.meeting.start.astimezone(BERLIN).date()

    @property
    def has_agenda(self) -> bool:
        return self.meeting.was_held or self.meeting.state == Meeting.State.INVITED


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    shift = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=shift + 7 * (n - 1))


def council_days(year: int, count: int) -> list[datetime.date]:
    months = sorted(MONTH_ORDER[:count])
    return [_nth_weekday(year, month, 3, 3) for month in months]


def constituent_day() -> datetime.date:
    """The new council meets within days of the term's start."""
    start = TERMS[1][1] + datetime.timedelta(days=3)
    return start + datetime.timedelta(days=(3 - start.weekday()) % 7)


def _days_for(spec: OrgSpec, index: int, year: int, scale: Scale):
    per_year = scale.meetings_per_year[spec.rhythm]
    councils = council_days(year, scale.meetings_per_year["council"])
    if spec.rhythm == "council":
        days = list(councils)
        if year == constituent_day().year:
            days.append(constituent_day())
        return sorted(days)
    if spec.rhythm == "hfa":
        chosen = sorted(councils, key=lambda d: MONTH_ORDER.index(d.month))[:per_year]
        return sorted(day - datetime.timedelta(days=9) for day in chosen)
    if spec.rhythm == "committee":
        rotated = councils[index % len(councils) :] + councils[: index % len(councils)]
        offset = COMMITTEE_OFFSETS[index % len(COMMITTEE_OFFSETS)]
        return sorted(
            day - datetime.timedelta(days=offset) for day in rotated[:per_year]
        )
    months = sorted(MINOR_MONTHS[index % 3 : index % 3 + per_year])
    return [_nth_weekday(year, month, 2, 2) for month in months]


def _state(day: datetime.date, rng: random.Random) -> str:
    if day < DEMO_TODAY:
        if rng.random() < 0.03:
            return Meeting.State.CANCELLED
        # minutes are signed and published about two weeks after the meeting
        if day + MINUTES_DELAY <= DEMO_TODAY:
            return Meeting.State.PUBLISHED
        return Meeting.State.HELD
    if day <= DEMO_TODAY + INVITATION_HORIZON:
        return Meeting.State.INVITED
    return Meeting.State.PLANNED


def _term_index(day: datetime.date) -> int:
    return 0 if day <= TERMS[0][2] else 1


def plan_meetings(
    *,
    rng: random.Random,
    spec: BodySpec,
    body,
    orgs: dict[str, Organization],
    rooms: dict[str, Location],
    scale: Scale,
) -> list[PlannedMeeting]:
    planned: list[PlannedMeeting] = []
    org_specs = {s.key: s for s in spec.organizations}
    for index, (key, org) in enumerate(orgs.items()):
        org_spec = org_specs[key]
        days = [
            day
            for year in MEETING_YEARS
            for day in _days_for(org_spec, index, year, scale)
            if org.is_active_on(day)
        ]
        per_year = scale.meetings_per_year[org_spec.rhythm]
        # meetings of the first term before the demo period still count
        numbers = [round(per_year * 2.17) if org_spec.start == TERMS[0][1] else 0, 0]
        for day in days:
            term = _term_index(day)
            numbers[term] += 1
            planned.append(
                _meeting(rng, body, org, org_spec, rooms, day, numbers[term], key)
            )
    planned.sort(key=lambda p: (p.meeting.start, p.org_key))
    return planned


def _meeting(rng, body, org, org_spec, rooms, day, number, key) -> PlannedMeeting:
    start = datetime.datetime(
        day.year, day.month, day.day, org_spec.hour, org_spec.minute, tzinfo=BERLIN
    )
    state = _state(day, rng)
    minutes = DURATION_MINUTES[org_spec.rhythm]
    if state in Meeting.HELD_STATES:
        minutes += rng.randint(-40, 50)
    constituent = key == "council" and day == constituent_day()
    label = (
        f"{number}. (konstituierende) Sitzung" if constituent else f"{number}. Sitzung"
    )
    meeting = Meeting(
        body=body,
        name=f"{label} {org_spec.genitive}",
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        location=rooms[org_spec.room],
        state=state,
        public=org_spec.public_meetings,
        uid=uuid.uuid5(DEMO_NAMESPACE, f"{body.slug}/{key}/{start.isoformat()}"),
        invitation_sent_at=(
            start - INVITATION_LEAD if state != Meeting.State.PLANNED else None
        ),
        created=start - datetime.timedelta(weeks=8),
    )
    return PlannedMeeting(meeting, key, org, org_spec)

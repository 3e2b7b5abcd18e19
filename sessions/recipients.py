"""Who is invited to a meeting: the one place that decides."""

import datetime as dt

from django.db.models import Q

from gremien.models import Membership, Person
from gremien.rules import LOCAL_TIME

from .models import Meeting

#: Where the recipient's name goes in a form letter; each e-mail replaces it.
RECIPIENT_PLACEHOLDER = "[Empfänger/in]"

#: Seats that receive the invitation. Administration staff (``staff``) are not
#: members of the organization in the sense of the municipal code.
INVITED_KINDS = (
    Membership.Kind.MEMBER,
    Membership.Kind.DEPUTY,
    Membership.Kind.CITIZEN_MEMBER,
    Membership.Kind.ADVISORY,
)

# When a person holds several seats in a joint meeting, the letter names the
# strongest one.
_KIND_RANK = {kind: rank for rank, kind in enumerate(INVITED_KINDS)}


def meeting_day(meeting: Meeting) -> dt.date:
    """The local calendar day of the meeting (memberships are dated by day)."""
    return meeting.start.astimezone(LOCAL_TIME).date()


def invitation_recipients(meeting: Meeting) -> list[tuple[Person, Membership]]:
    """Every person with a seat in one of the meeting's organizations on its day.

    Members, deputies, citizen members and advisory members whose membership
    is active on the meeting day; each person once (with their highest-ranking
    seat), ordered by family and given name. Deleted memberships and persons
    are left out.
    """
    day = meeting_day(meeting)
    memberships = (
        Membership.objects.alive()
        .filter(
            organization__in=meeting.organizations.all(),
            kind__in=INVITED_KINDS,
            person__deleted_at__isnull=True,
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "organization")
    )
    best: dict[int, Membership] = {}
    for membership in memberships:
        current = best.get(membership.person_id)
        if current is None or _KIND_RANK[membership.kind] < _KIND_RANK[current.kind]:
            best[membership.person_id] = membership
    chosen = sorted(
        best.values(),
        key=lambda m: (m.person.family_name, m.person.given_name, m.person_id),
    )
    return [(membership.person, membership) for membership in chosen]


def email_address(person: Person) -> str:
    """The first e-mail address on record for ``person``, or ``""``."""
    for address in person.email or []:
        if isinstance(address, str) and address.strip():
            return address.strip()
    return ""


def salutation_name(person: Person) -> str:
    """How a letter addresses the person, e.g. ``Frau Dr. Erika Mustermann``."""
    return f"{person.form_of_address} {person.name}".strip()

"""Who is notified of a meeting's events: members with a login who may read
the meeting's non-public part.

The seats come from ``sessions``: the recipients of a formal notice are its
deliveries (exactly the persons the Sitzungsdienst sent it to,
``sessions.recipients.invitation_recipients`` at the time of sending); for
minutes and documents they are the meeting's invitation recipients. Each
person's login must then pass ``sessions.access.may_read_non_public`` — the
one rule of member access — so a former member, a member of another
committee or body, a deleted person and an inactive account are never told
about a meeting, not even its name.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from gremien.models import Person
from sessions.access import may_read_non_public
from sessions.models import Dispatch, Meeting
from sessions.recipients import email_address, invitation_recipients


@dataclass(frozen=True)
class Recipient:
    user: object
    person: Person

    @property
    def email(self) -> str:
        """The address the Sitzungsdienst uses for the person, else the
        account's."""
        return email_address(self.person) or (self.user.email or "").strip()


def _entitled(meeting: Meeting, persons) -> list[Recipient]:
    recipients, seen = [], set()
    for person in persons:
        user = person.user
        if user is None or user.pk in seen or person.deleted_at is not None:
            continue
        if may_read_non_public(user, meeting):
            seen.add(user.pk)
            recipients.append(Recipient(user=user, person=person))
    return recipients


def notice_recipients(dispatch: Dispatch) -> list[Recipient]:
    """The recipients of ``dispatch`` who have a login and may read the
    meeting."""
    persons = [
        delivery.person
        for delivery in dispatch.deliveries.select_related("person__user").order_by(
            "pk"
        )
    ]
    return _entitled(dispatch.meeting, persons)


def seat_recipients(meeting: Meeting) -> list[Recipient]:
    """The members (any seat entitled to attend) of ``meeting``'s
    organizations on its day who have a login and may read the meeting."""
    persons = [person for person, _membership in invitation_recipients(meeting)]
    users = get_user_model().objects.in_bulk(
        [person.user_id for person in persons if person.user_id]
    )
    for person in persons:
        if person.user_id:
            person.user = users.get(person.user_id)
    return _entitled(meeting, persons)

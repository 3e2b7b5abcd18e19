"""Who may read the non-public part of a meeting: the one place that decides.

Used by the member pack downloads and, later, by the member portal. Two
groups may:

- staff of the meeting's body (``gremien.access.staff_bodies``: the
  Sitzungsdienst, superusers);
- council members whose person (``Person.user``) holds a membership in one
  of the meeting's organizations on the day of the meeting: members,
  deputies, citizen members and advisory members, not the administration's
  staff memberships (those reach the data as staff, through their body).

A membership that ended before the meeting or starts after it, one in
another committee or another body, and anything deleted give no access. For
a past meeting, whoever was a member on its day keeps access to it: that is
the meeting they were entitled to attend.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from gremien.access import staff_bodies
from gremien.models import Membership

from .models import Meeting

#: Kinds of membership that entitle to the non-public part.
ENTITLED_KINDS = (
    Membership.Kind.MEMBER,
    Membership.Kind.DEPUTY,
    Membership.Kind.CITIZEN_MEMBER,
    Membership.Kind.ADVISORY,
)


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.start)


def is_staff_of(user, meeting: Meeting) -> bool:
    return staff_bodies(user).filter(pk=meeting.body_id).exists()


def seats_on_meeting_day(meeting: Meeting):
    """Memberships in the meeting's organizations (of its body, not
    deleted) that are valid on the meeting day, of persons not deleted: of
    every kind; callers narrow them (entitled to attend, with a vote)."""
    day = meeting_day(meeting)
    return Membership.objects.alive().filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        person__deleted_at__isnull=True,
        organization__in=meeting.organizations.filter(deleted_at__isnull=True),
        organization__body_id=meeting.body_id,
    )


def entitled_memberships(user, meeting: Meeting):
    """The user's memberships that entitle them to ``meeting``."""
    return seats_on_meeting_day(meeting).filter(
        person__user=user,
        person__body_id=meeting.body_id,
        kind__in=ENTITLED_KINDS,
    )


def meetings_entitled(user) -> QuerySet[Meeting]:
    """The meetings (not deleted) whose non-public part ``user`` may read as
    a member: the rule of :func:`entitled_memberships` for every meeting at
    once, for lists such as the member portal's dashboard. Staff access by
    body is not included: it is not a seat."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    day = OuterRef("day")
    seats = Membership.objects.alive().filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        person__user=user,
        person__deleted_at__isnull=True,
        person__body_id=OuterRef("body_id"),
        organization__meetings=OuterRef("pk"),
        organization__deleted_at__isnull=True,
        organization__body_id=OuterRef("body_id"),
        kind__in=ENTITLED_KINDS,
    )
    return (
        Meeting.objects.alive()
        .annotate(day=TruncDate("start", tzinfo=timezone.get_current_timezone()))
        .filter(Exists(seats))
    )


def may_read_non_public(
    user: AbstractBaseUser | AnonymousUser, meeting: Meeting
) -> bool:
    """Whether ``user`` may read the non-public items, papers and files of
    ``meeting`` (and download its member pack)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_staff_of(user, meeting):
        return True
    if meeting.deleted_at is not None:
        return False
    return entitled_memberships(user, meeting).exists()

"""Helpers for the agenda and consultation tests: staff, released papers, meetings."""

import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from documents.services import paper_create, paper_release
from sessions.models import Meeting
from sessions.services.invitations import meeting_invite
from sessions.services.lifecycle import meeting_end, meeting_start
from tests.gremien.factories import (
    MembershipFactory,
    OrganizationFactory,
)
from tests.sessions.factories import MeetingFactory


def released_paper(body, name="Bebauungsplan Nr. 12", *, public=True):
    paper = paper_create(
        actor=None, body=body, name=name, date=datetime.date(2026, 11, 2), public=public
    )
    return paper_release(actor=None, paper=paper)


def committee(body, name, kind="committee", **fields):
    return OrganizationFactory(body=body, name=name, kind=kind, **fields)


def meeting_of(body, *organizations, days=14, name=None):
    """A planned meeting of ``organizations`` ``days`` from now."""
    return MeetingFactory(
        body=body,
        name=name or f"Sitzung {organizations[0].name}",
        start=timezone.now() + datetime.timedelta(days=days),
        organizations=list(organizations),
    )


# Meeting states through the lifecycle services -----------------------------


class Clock:
    """Stands in for ``django.utils.timezone.now``; tests move it on, e.g. to
    the day of a meeting to open it (``meeting_start`` refuses it earlier)."""

    def __init__(self, monkeypatch, now: datetime.datetime | None = None) -> None:
        self.now = now or timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, now: datetime.datetime) -> None:
        self.now = now

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


def frozen_clock(monkeypatch) -> Clock:
    """A :class:`Clock` that also stands for ``created`` (``default=timezone.now``
    holds the real function, which the clock does not replace): for tests that
    compare ``created`` with the clock's times ("new since")."""
    real_now = timezone.now
    clock = Clock(monkeypatch)
    for model in apps.get_models():
        try:
            created = model._meta.get_field("created")
        except FieldDoesNotExist:
            continue
        if created.default is real_now:
            # Django caches the default's callable on the field.
            monkeypatch.setattr(created, "_get_default", lambda: clock.now)
    return clock


def _seat_members(meeting) -> None:
    """Invitations need recipients: one member with e-mail per organization."""
    for organization in meeting.organizations.all():
        if not organization.memberships.exists():
            membership = MembershipFactory(organization=organization)
            membership.person.email = [f"{membership.person.given_name}@example.org"]
            membership.person.save(update_fields=["email"])


def invite(actor, meeting):
    """Send the invitation through ``meeting_invite``."""
    _seat_members(meeting)
    meeting_invite(actor=actor, meeting=meeting, urgent_reason="Eilbedürftig")
    meeting.refresh_from_db()
    return meeting


def run(actor, meeting, clock):
    """Invite if need be, go to the meeting's start and open it."""
    meeting.refresh_from_db()
    if meeting.state == Meeting.State.RUNNING:
        return meeting
    if meeting.state == Meeting.State.PLANNED:
        invite(actor, meeting)
    clock.set(meeting.start)
    meeting_start(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def hold(actor, meeting, clock):
    """Open and close the meeting: it is held."""
    run(actor, meeting, clock)
    meeting_end(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting

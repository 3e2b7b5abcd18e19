"""Meeting lifecycle: create, reschedule, cancel, start, end; refused transitions."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from gremien.models import Organization
from sessions.models import Dispatch, Meeting
from sessions.services.invitations import meeting_invite
from sessions.services.lifecycle import (
    meeting_cancel,
    meeting_create,
    meeting_end,
    meeting_reschedule,
    meeting_start,
)
from tests.gremien.factories import LocationFactory, OrganizationFactory

from .agenda_factories import Clock
from .lifecycle_factories import (
    NOW,
    add_item,
    attachment_type,
    berlin,
    calendar_of,
    error_codes,
    mails_to,
    plan,
    setup_committee,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, NOW)


@pytest.fixture
def invited(clock, django_capture_on_commit_callbacks):
    """An invited Hessen committee meeting on Friday 20 March, 18:00–21:00."""
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20))
    add_item(meeting, "Eröffnung der Sitzung")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=actor, meeting=meeting)
    mail.outbox.clear()
    return actor, meeting


def state_of(meeting) -> str:
    return Meeting.objects.get(pk=meeting.pk).state


# --- Create -------------------------------------------------------------------


def test_create_plans_a_meeting_and_logs_it(clock):
    body, organization, actor = setup_committee("nrw")
    location = LocationFactory(body=body)
    meeting = meeting_create(
        actor=actor,
        body=body,
        organizations=[organization],
        name="3. Sitzung des Bauausschusses",
        start=berlin(20),
        end=berlin(20, 21),
        location=location,
    )
    assert meeting.state == Meeting.State.PLANNED
    assert list(meeting.organizations.all()) == [organization]
    assert meeting.sequence == 0
    assert ModelLogEntry.objects.filter(
        object_id=str(meeting.pk), action="wagtail.create", user=actor
    ).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"organizations": []}, "organizations_required"),
        ({"organizations": "department"}, "organization_not_deliberative"),
        ({"organizations": "other_body"}, "organization_other_body"),
        ({"end": berlin(20, 17)}, "end_before_start"),
        ({"location": "other_body"}, "location_other_body"),
    ],
)
def test_create_refuses_bad_input(clock, change, code):
    body, organization, actor = setup_committee("nrw")
    fields = {
        "actor": actor,
        "body": body,
        "organizations": [organization],
        "name": "Sitzung",
        "start": berlin(20),
    }
    if change.get("organizations") == "department":
        change = {
            "organizations": [
                OrganizationFactory(body=body, kind=Organization.Kind.DEPARTMENT)
            ]
        }
    elif change.get("organizations") == "other_body":
        change = {"organizations": [OrganizationFactory()]}
    elif change.get("location") == "other_body":
        change = {"location": LocationFactory()}
    fields.update(change)
    with pytest.raises(ValidationError) as excinfo:
        meeting_create(**fields)
    assert error_codes(excinfo) == {code}
    assert not Meeting.objects.exists()


def test_a_fractions_meeting_is_never_public(clock):
    body, _organization, actor = setup_committee("nrw")
    fraction = OrganizationFactory(body=body, kind=Organization.Kind.FRACTION)

    meeting = meeting_create(
        actor=actor,
        body=body,
        organizations=[fraction],
        name="Fraktionssitzung",
        start=berlin(20),
        public=True,
    )

    assert meeting.public is False


def test_create_needs_add_permission(clock):
    body, organization, _actor = setup_committee("nrw")
    for user in (staff_user(body, "change_meeting"), setup_committee("nrw")[2]):
        with pytest.raises(PermissionDenied):
            meeting_create(
                actor=user,
                body=body,
                organizations=[organization],
                name="Sitzung",
                start=berlin(20),
            )
    assert not Meeting.objects.exists()


# --- Reschedule ---------------------------------------------------------------


def test_reschedule_planned_meeting_raises_sequence_without_notice(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20))
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_reschedule(actor=actor, meeting=meeting, start=berlin(27, 17))
    meeting.refresh_from_db()
    assert meeting.start == berlin(27, 17)
    assert meeting.end == berlin(27, 20)  # the length is kept
    assert meeting.sequence == 1
    assert meeting.state == Meeting.State.PLANNED
    assert not Dispatch.objects.exists()
    assert mail.outbox == []


def test_reschedule_invited_meeting_notifies_with_same_uid_and_next_sequence(
    invited, django_capture_on_commit_callbacks
):
    actor, meeting = invited
    first_uid = f"{meeting.uid}@gremienportal"
    new_room = LocationFactory(body=meeting.body, description="Bürgerhaus, Saal 2")

    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(
            actor=actor,
            meeting=meeting,
            start=berlin(24, 19),
            location=new_room,
            reason="Der Ratssaal wird renoviert.",
        )

    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED
    assert meeting.sequence == 1
    dispatch = meeting.dispatches.get(kind=Dispatch.Kind.RESCHEDULE)
    assert dispatch.sequence == 1
    assert "Der Ratssaal wird renoviert." in dispatch.text
    assert "Bürgerhaus, Saal 2" in dispatch.text
    assert len(mail.outbox) == 2
    (letter,) = mails_to("anna@example.org")
    assert attachment_type(letter) == ("text/calendar", "REQUEST")
    calendar = calendar_of(letter)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == first_uid
    assert event["SEQUENCE"] == 1
    assert event.start == berlin(24, 19)
    assert "Bürgerhaus, Saal 2" in str(event["LOCATION"])


def test_reschedule_of_invited_meeting_keeps_the_deadline(
    invited, django_capture_on_commit_callbacks
):
    actor, meeting = invited
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=berlin(4))
    assert error_codes(excinfo) == {"invitation_too_late"}
    meeting.refresh_from_db()
    assert (meeting.start, meeting.sequence) == (berlin(20), 0)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(
            actor=actor, meeting=meeting, start=berlin(4), urgent_reason="Eilt sehr"
        )
    meeting.refresh_from_db()
    assert meeting.urgent_reason == "Eilt sehr"
    assert all("Eilt sehr" in m.body for m in mail.outbox)


def test_reschedule_to_the_same_date_is_refused(invited):
    actor, meeting = invited
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=meeting.start)
    assert error_codes(excinfo) == {"unchanged"}


def test_reschedule_into_the_past_is_refused(invited):
    actor, meeting = invited
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=berlin(1))
    assert error_codes(excinfo) == {"start_in_past"}


# --- Cancel -------------------------------------------------------------------


def test_cancel_planned_meeting_needs_reason_and_sends_nothing(clock):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20))
    with pytest.raises(ValidationError) as excinfo:
        meeting_cancel(actor=actor, meeting=meeting, reason="  ")
    assert error_codes(excinfo) == {"reason_required"}
    assert state_of(meeting) == Meeting.State.PLANNED

    meeting_cancel(actor=actor, meeting=meeting, reason="Keine Beratungsgegenstände")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    assert meeting.cancellation_reason == "Keine Beratungsgegenstände"
    assert not Dispatch.objects.exists()


def test_cancel_invited_meeting_sends_calendar_cancel(
    invited, django_capture_on_commit_callbacks
):
    actor, meeting = invited
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=actor, meeting=meeting, reason="Beschlussunfähigkeit")

    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    dispatch = meeting.dispatches.get(kind=Dispatch.Kind.CANCELLATION)
    assert "Beschlussunfähigkeit" in dispatch.text
    assert len(mail.outbox) == 2
    (letter,) = mails_to("bert@example.org")
    assert attachment_type(letter) == ("text/calendar", "CANCEL")
    calendar = calendar_of(letter)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.events
    assert str(event["UID"]) == f"{meeting.uid}@gremienportal"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == meeting.sequence == 1


# --- Start and end ------------------------------------------------------------


def test_meeting_runs_and_is_held(invited, clock):
    actor, meeting = invited
    clock.set(berlin(20, 17, 0))
    meeting_start(actor=actor, meeting=meeting)
    assert state_of(meeting) == Meeting.State.RUNNING
    clock.set(berlin(20, 21, 30))
    meeting_end(actor=actor, meeting=meeting)
    assert state_of(meeting) == Meeting.State.HELD
    states = [
        entry.data.get("state")
        for entry in ModelLogEntry.objects.filter(object_id=str(meeting.pk)).order_by(
            "pk"
        )
    ]
    assert states[-2:] == [Meeting.State.RUNNING, Meeting.State.HELD]


def test_meeting_cannot_start_more_than_an_hour_early(invited, clock):
    actor, meeting = invited
    clock.set(berlin(20, 16, 59))
    with pytest.raises(ValidationError) as excinfo:
        meeting_start(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"too_early"}
    assert state_of(meeting) == Meeting.State.INVITED


# --- Refused transitions ------------------------------------------------------


def test_planned_meeting_cannot_start(clock):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(2, 10, 30))
    with pytest.raises(ValidationError) as excinfo:
        meeting_start(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"illegal_transition"}
    with pytest.raises(ValidationError) as excinfo:
        meeting_end(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"illegal_transition"}
    assert state_of(meeting) == Meeting.State.PLANNED


def test_running_meeting_cannot_be_cancelled_or_rescheduled(invited, clock):
    actor, meeting = invited
    clock.set(berlin(20, 18))
    meeting_start(actor=actor, meeting=meeting)
    with pytest.raises(ValidationError) as excinfo:
        meeting_cancel(actor=actor, meeting=meeting, reason="Stromausfall")
    assert error_codes(excinfo) == {"illegal_transition"}
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=berlin(27))
    assert error_codes(excinfo) == {"illegal_transition"}
    assert state_of(meeting) == Meeting.State.RUNNING


def test_held_meeting_cannot_be_rescheduled_or_invited(
    invited, clock, django_capture_on_commit_callbacks
):
    actor, meeting = invited
    clock.set(berlin(20, 18))
    meeting_start(actor=actor, meeting=meeting)
    meeting_end(actor=actor, meeting=meeting)
    clock.set(berlin(21, 9))
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=berlin(27))
    assert error_codes(excinfo) == {"illegal_transition"}
    with pytest.raises(ValidationError) as excinfo:
        meeting_invite(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"illegal_transition"}
    meeting.refresh_from_db()
    assert (meeting.state, meeting.start, meeting.sequence) == (
        Meeting.State.HELD,
        berlin(20),
        0,
    )


def test_cancelled_meeting_stays_cancelled(clock):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20))
    meeting_cancel(actor=actor, meeting=meeting, reason="Entfällt")
    with pytest.raises(ValidationError) as excinfo:
        meeting_cancel(actor=actor, meeting=meeting, reason="Nochmal")
    assert error_codes(excinfo) == {"illegal_transition"}
    with pytest.raises(ValidationError) as excinfo:
        meeting_reschedule(actor=actor, meeting=meeting, start=berlin(27), end=None)
    assert error_codes(excinfo) == {"illegal_transition"}
    assert Meeting.objects.get(pk=meeting.pk).cancellation_reason == "Entfällt"


def test_lifecycle_needs_change_permission(invited, clock):
    actor, meeting = invited
    reader = staff_user(meeting.body, "view_meeting")
    clock.set(berlin(20, 18))
    for service, kwargs in (
        (meeting_start, {}),
        (meeting_cancel, {"reason": "x"}),
        (meeting_reschedule, {"start": berlin(27)}),
    ):
        with pytest.raises(PermissionDenied):
            service(actor=reader, meeting=meeting, **kwargs)
    assert state_of(meeting) == Meeting.State.INVITED

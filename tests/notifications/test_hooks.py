"""``sessions.hooks``: the Sitzungsdienst's events reach the apps to its
right after the commit, never for work that was rolled back, and a failing
subscriber does not undo or stop what staff did."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from notifications.models import Notification
from sessions import hooks
from sessions.models import Delivery, Meeting
from sessions.services.invitations import meeting_invite

from .helpers import invite, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []
    hooks.subscribe("test-recorder", events.append)
    yield events
    hooks.unsubscribe("test-recorder")


def test_the_notifications_app_subscribes_when_it_starts():
    from notifications.subscriptions import SUBSCRIPTION, on_meeting_event

    assert hooks._subscribers[SUBSCRIPTION] is on_meeting_event


def test_an_invitation_is_heard_once_after_the_commit(world, people, heard, capture):
    meeting = planned(world)

    with capture():
        dispatch = meeting_invite(
            actor=world.clerk, meeting=meeting, urgent_reason="Eilbedürftig"
        )
        assert heard == []  # not before the commit

    assert heard == [hooks.MeetingEvent(hooks.NOTICE_SENT, meeting.pk, dispatch.pk)]


def test_a_rolled_back_invitation_announces_nothing(world, people, heard, capture):
    meeting = planned(world)

    with capture(), pytest.raises(RuntimeError), transaction.atomic():
        meeting_invite(actor=world.clerk, meeting=meeting, urgent_reason="Eilbedürftig")
        raise RuntimeError("the request failed later")

    assert heard == []
    assert not Notification.objects.exists()
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED


def test_a_refused_invitation_announces_nothing(world, people, heard, capture):
    meeting = planned(world)
    meeting.agenda_items.all().delete()

    with capture(), pytest.raises(ValidationError):
        meeting_invite(actor=world.clerk, meeting=meeting, urgent_reason="Eilbedürftig")

    assert heard == []
    assert not Notification.objects.exists()


def test_a_failing_subscriber_stops_neither_the_invitation_nor_the_others(
    world, people, capture, caplog
):
    def broken(event):
        raise RuntimeError("subscriber broken")

    hooks.subscribe("test-broken", broken)
    try:
        meeting = planned(world)
        dispatch = invite(world, meeting, capture)
    finally:
        hooks.unsubscribe("test-broken")

    assert meeting.state == Meeting.State.INVITED
    assert set(dispatch.deliveries.values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }
    assert Notification.objects.filter(dispatch=dispatch).count() == 2
    assert "subscriber broken" in caplog.text

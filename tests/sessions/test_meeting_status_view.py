"""The invitation and status screen of a meeting, used as staff would."""

import pytest
from django.core import mail
from django.urls import reverse

from sessions.models import Meeting
from sessions.services.agenda import agenda_item_add
from tests.gremien.factories import BodyFactory, MembershipFactory, staff_of
from tests.sessions.agenda_factories import meeting_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(body, bau, staff):
    meeting = meeting_of(body, bau, days=20)
    agenda_item_add(actor=staff, meeting=meeting, name="Eröffnung")
    with_mail = MembershipFactory(organization=bau, person__family_name="Brandt")
    with_mail.person.email = ["brandt@example.org"]
    with_mail.person.save(update_fields=["email"])
    MembershipFactory(organization=bau, person__family_name="Ohnemail")
    return meeting


def url(meeting):
    return reverse("meetings_status", args=[meeting.pk])


def test_invitation_sent_from_the_screen_shows_every_delivery(
    client, staff, meeting, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(meeting), {"action": "invite"})

    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED
    assert [m.to for m in mail.outbox] == [["brandt@example.org"]]
    page = client.get(url(meeting)).text
    assert "brandt@example.org" in page
    assert "Ohnemail" in page and "meeting-status__problem" in page


def test_cancelling_without_a_reason_is_refused_on_the_screen(client, staff, meeting):
    client.force_login(staff)

    response = client.post(
        url(meeting), {"action": "cancel", "reason": ""}, follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED


def test_staff_of_another_body_cannot_use_the_screen(client, meeting):
    client.force_login(staff_of(BodyFactory(slug="nachbarort")))

    assert client.get(url(meeting)).status_code == 404
    assert client.post(url(meeting), {"action": "invite"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED

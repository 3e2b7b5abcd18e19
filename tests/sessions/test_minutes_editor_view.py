"""The minutes screen, from opening the minutes to publishing them."""

import datetime

import pytest
from django.urls import reverse

from documents.models import Paper
from sessions.models import Attendance, Consultation, Meeting
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import consultation_path_set
from tests.sessions.agenda_factories import (
    hold,
    meeting_of,
    released_paper,
    staff_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(body, bau, staff, clock):
    paper = released_paper(body, "Neubau der Feuerwache Nord")
    consultation_path_set(
        actor=staff, paper=paper, steps=[([bau], Consultation.Role.DECIDING)]
    )
    meeting = meeting_of(body, bau, days=10)
    agenda_item_add(actor=staff, meeting=meeting, name="Eröffnung")
    agenda_item_add(actor=staff, meeting=meeting, paper=paper)
    hold(staff, meeting, clock)
    clock.set(meeting.start + datetime.timedelta(days=1))
    return meeting, paper


def url(meeting):
    return reverse("meetings_minutes", args=[meeting.pk])


def post(client, meeting, **data):
    return client.post(url(meeting), data, follow=True)


def errors(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_clerk_writes_signs_and_publishes_the_minutes(client, body, staff, held):
    meeting, paper = held
    client.force_login(staff)

    post(client, meeting, action="open")
    attendance = meeting.attendances.get()
    post(
        client, meeting, action="attendance", attendance=attendance.pk, status="present"
    )
    opening, item = meeting.agenda_items.order_by("order")
    post(client, meeting, action="item", item=opening.pk, discussion="Eröffnet.")
    post(client, meeting, action="drafted")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_DRAFTED

    unfinished = post(client, meeting, action="sign", as_role="chair")
    assert len(errors(unfinished)) == 1  # no item is finished yet
    post(client, meeting, action="item", item=opening.pk, done="on")
    post(
        client,
        meeting,
        action="item",
        item=item.pk,
        discussion="Aussprache über den Standort.",
        resolution_text="Der Ausschuss beschließt den Neubau.",
        votes_yes="7",
        votes_no="2",
        votes_abstain="1",
        result="accepted",
        done="on",
    )
    post(client, meeting, action="sign", as_role="chair")
    client.force_login(staff_of(body))
    post(client, meeting, action="sign", as_role="clerk")
    post(client, meeting, action="publish")

    meeting.refresh_from_db()
    paper.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED
    assert paper.state == Paper.State.DECIDED
    assert meeting.attendances.get().status == Attendance.Status.PRESENT
    item.refresh_from_db()
    assert item.item_minutes.votes_yes == 7
    assert "Der Ausschuss beschließt den Neubau." in item.resolution_text
    page = client.get(url(meeting)).text
    assert "Aussprache über den Standort." in page


def test_the_same_user_cannot_sign_twice(client, staff, held):
    meeting, _ = held
    client.force_login(staff)
    post(client, meeting, action="open")
    for item in meeting.agenda_items.all():
        post(client, meeting, action="item", item=item.pk, done="on")
    post(client, meeting, action="drafted")
    post(client, meeting, action="sign", as_role="chair")

    refused = post(client, meeting, action="sign", as_role="clerk")

    assert len(errors(refused)) == 1
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_DRAFTED

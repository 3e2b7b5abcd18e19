"""The minutes screen, from opening the minutes to publishing them."""

import datetime

import pytest
from django.urls import reverse

from documents.models import Paper
from sessions.models import Attendance, Consultation, Meeting
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import consultation_path_set
from tests.gremien.factories import MembershipFactory, staff_of
from tests.sessions.agenda_factories import (
    hold,
    meeting_of,
    released_paper,
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


def finish_and_sign(client, body, staff, meeting):
    client.force_login(staff)
    post(client, meeting, action="open")
    for item in meeting.agenda_items.all():
        post(client, meeting, action="item", item=item.pk, done="on")
    post(client, meeting, action="drafted")
    post(client, meeting, action="sign", as_role="chair")
    client.force_login(staff_of(body))
    post(client, meeting, action="sign", as_role="clerk")


def test_signed_minutes_change_only_by_a_recorded_correction(client, body, staff, held):
    meeting, _ = held
    finish_and_sign(client, body, staff, meeting)
    opening = meeting.agenda_items.order_by("order").first()

    edit = post(client, meeting, action="item", item=opening.pk, discussion="Neu.")
    assert len(errors(edit)) == 1
    without_reason = post(
        client,
        meeting,
        action="correct",
        item=opening.pk,
        field="discussion",
        new_value="Eröffnet um 17:05 Uhr.",
        reason="",
    )
    assert len(errors(without_reason)) == 1
    post(
        client,
        meeting,
        action="correct",
        item=opening.pk,
        field="discussion",
        new_value="Eröffnet um 17:05 Uhr.",
        reason="Uhrzeit berichtigt",
    )

    correction = meeting.minutes.corrections.get()
    assert correction.reason == "Uhrzeit berichtigt"
    opening.item_minutes.refresh_from_db()
    assert "17:05" in opening.item_minutes.discussion


def test_resolution_extract_is_downloaded_for_the_department(client, staff, held):
    meeting, paper = held
    client.force_login(staff)
    post(client, meeting, action="open")
    item = meeting.agenda_items.get(consultation__isnull=False)
    post(
        client,
        meeting,
        action="item",
        item=item.pk,
        resolution_text="Der Ausschuss beschließt den Neubau.",
        result="accepted",
    )

    response = client.post(url(meeting), {"action": "extract", "item": item.pk})

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert paper.reference in text
    assert "Der Ausschuss beschließt den Neubau." in text


def test_roll_call_bias_officers_and_late_arrival_are_recorded(
    client, bau, staff, held
):
    meeting, _ = held
    MembershipFactory(organization=bau, person__family_name="Befangen")
    client.force_login(staff)
    post(client, meeting, action="open")
    first, second = meeting.attendances.order_by("person__family_name")
    opening, item = meeting.agenda_items.order_by("order")
    post(
        client,
        meeting,
        action="attendance",
        attendance=first.pk,
        status="present",
        arrived_before=item.pk,
    )
    post(client, meeting, action="attendance", attendance=second.pk, status="present")
    post(
        client,
        meeting,
        action="officers",
        chair=second.person.pk,
        clerk=first.person.pk,
    )

    post(
        client,
        meeting,
        action="item",
        item=item.pk,
        **{f"vote-{second.person.pk}": "yes", f"biased-{first.person.pk}": "on"},
    )

    record = item.item_minutes
    record.refresh_from_db()
    assert record.roll_call[0]["vote"] == "yes" and record.votes_yes == 1
    assert list(record.biased.all()) == [first.person]
    first.refresh_from_db()
    assert first.arrived_before == item
    minutes = meeting.minutes
    minutes.refresh_from_db()
    assert (minutes.chair, minutes.clerk) == (second.person, first.person)
    late = client.get(url(meeting)).context["items"][0]["present"]
    assert [entry["person"] for entry in late] == [second.person]  # not yet arrived


def test_a_deputy_appears_only_when_standing_in(client, bau, staff, held):
    meeting, _ = held
    member = bau.memberships.get()
    deputy = MembershipFactory(
        organization=bau, kind="deputy", deputy_of=member, person__family_name="Ersatz"
    )
    client.force_login(staff)
    post(client, meeting, action="open")
    assert list(meeting.attendances.values_list("person", flat=True)) == [
        member.person_id
    ]

    post(
        client,
        meeting,
        action="deputy",
        deputy=deputy.pk,
        substitute_for=member.person_id,
    )

    row = meeting.attendances.get(person=deputy.person)
    assert (row.status, row.capacity) == ("present", "deputy")
    assert row.substitute_for == member.person

"""The agenda builder screen in the admin, used as Sitzungsdienst staff would."""

import pytest
from django.urls import reverse

from sessions.models import Consultation
from sessions.services.consultations import consultation_path_set
from tests.gremien.factories import BodyFactory, staff_of
from tests.sessions.agenda_factories import (
    committee,
    invite,
    meeting_of,
    released_paper,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    body = BodyFactory(name="Stadt Lindenfeld", slug="lindenfeld")
    bau = committee(body, "Bauausschuss")
    meeting = meeting_of(body, bau, days=20)
    user = staff_of(body)
    paper = released_paper(body, "Bebauungsplan Nr. 47 „Am Mühlenbach“")
    consultation_path_set(
        actor=user, paper=paper, steps=[([bau], Consultation.Role.DECIDING)]
    )
    return body, bau, meeting, user, paper


def url(meeting):
    return reverse("meetings_agenda_builder", args=[meeting.pk])


def numbers(client, meeting):
    return [
        (row["item"].number, row["item"].name)
        for row in client.get(url(meeting)).context["rows"]
    ]


def test_staff_builds_an_agenda_with_a_paper_and_free_items(client, setting):
    _, _, meeting, user, paper = setting
    client.force_login(user)

    page = client.get(url(meeting))
    assert page.status_code == 200
    assert paper.reference in page.text  # offered for scheduling

    client.post(
        url(meeting), {"action": "add_free", "name": "Eröffnung", "public": "on"}
    )
    step = paper.consultations.get()
    client.post(url(meeting), {"action": "add_paper", "consultation": step.pk})
    client.post(url(meeting), {"action": "add_free", "name": "Grundstücksverkauf"})

    assert numbers(client, meeting) == [
        ("Ö 1", "Eröffnung"),
        ("Ö 2", "Bebauungsplan Nr. 47 „Am Mühlenbach“"),
        ("N 1", "Grundstücksverkauf"),
    ]
    paper.refresh_from_db()
    assert paper.state == "in_consultation"


def test_moving_an_item_renumbers_the_agenda(client, setting):
    _, _, meeting, user, _ = setting
    client.force_login(user)
    for name in ("Eröffnung", "Mitteilungen"):
        client.post(url(meeting), {"action": "add_free", "name": name, "public": "on"})
    second = client.get(url(meeting)).context["rows"][1]

    client.post(
        url(meeting),
        {"action": "up", "item": second["item"].pk, "position": second["position"]},
    )

    assert numbers(client, meeting) == [("Ö 1", "Mitteilungen"), ("Ö 2", "Eröffnung")]


def test_removal_after_the_invitation_needs_a_reason(client, setting):
    _, _, meeting, user, _ = setting
    client.force_login(user)
    client.post(
        url(meeting), {"action": "add_free", "name": "Eröffnung", "public": "on"}
    )
    client.post(
        url(meeting), {"action": "add_free", "name": "Anfragen", "public": "on"}
    )
    invite(user, meeting)
    item = client.get(url(meeting)).context["rows"][1]["item"]

    refused = client.post(
        url(meeting), {"action": "remove", "item": item.pk}, follow=True
    )
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    assert ("Ö 2", "Anfragen") in numbers(client, meeting)

    client.post(
        url(meeting),
        {"action": "remove", "item": item.pk, "reason": "Antrag zurückgezogen"},
    )
    assert numbers(client, meeting) == [("Ö 1", "Eröffnung")]


def test_staff_of_another_body_cannot_open_the_agenda(client, setting):
    _, _, meeting, _, _ = setting
    client.force_login(staff_of(BodyFactory(slug="nachbarort")))

    assert client.get(url(meeting)).status_code == 404
    response = client.post(url(meeting), {"action": "add_free", "name": "Fremd"})
    assert response.status_code == 404
    assert not meeting.agenda_items.exists()

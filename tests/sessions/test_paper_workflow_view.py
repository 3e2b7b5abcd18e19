"""The workflow screen of a paper: sign-off, release, consultation path."""

import datetime

import pytest
from django.urls import reverse

from documents.models import Paper
from documents.services import paper_create
from gremien.models import Organization
from tests.gremien.factories import BodyFactory, staff_of
from tests.sessions.agenda_factories import committee, meeting_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(body):
    return paper_create(
        actor=None,
        body=body,
        name="Sanierung der Sporthalle Sonnenhang",
        date=datetime.date(2026, 11, 2),
    )


def url(paper):
    return reverse("papers_workflow", args=[paper.pk])


def post(client, paper, **data):
    return client.post(url(paper), data, follow=True)


def errors(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_staff_take_a_paper_from_draft_to_the_committee_agenda(
    client, body, bau, staff, paper
):
    finance = committee(body, "Kämmerei", kind=Organization.Kind.DEPARTMENT)
    legal = committee(body, "Rechtsamt", kind=Organization.Kind.DEPARTMENT)
    council = committee(body, "Rat", kind=Organization.Kind.COUNCIL)
    meeting = meeting_of(body, bau, days=21)
    client.force_login(staff)

    post(
        client,
        paper,
        action="request_sign_off",
        departments=[finance.pk, legal.pk],
    )
    first, second = paper.sign_offs.order_by("organization__name")
    post(client, paper, action="approve", sign_off=first.pk)
    refused = post(client, paper, action="refuse", sign_off=second.pk, comment="")
    assert len(errors(refused)) == 1  # a refusal needs a comment
    post(client, paper, action="approve", sign_off=second.pk)
    paper.refresh_from_db()
    assert paper.state == Paper.State.RELEASED

    post(client, paper, action="add_step", organizations=[bau.pk], role="preliminary")
    post(client, paper, action="add_step", organizations=[council.pk], role="deciding")
    step = paper.consultations.get(position=1)
    page = client.get(url(paper)).text
    assert meeting.name in page  # offered as the next suitable meeting

    post(client, paper, action="schedule", step=step.pk, meeting=meeting.pk)

    step.refresh_from_db()
    paper.refresh_from_db()
    assert step.meeting == meeting and step.agenda_item.number == "Ö 1"
    assert paper.state == Paper.State.IN_CONSULTATION
    assert list(paper.consultations.values_list("position", "role")) == [
        (1, "preliminary"),
        (2, "deciding"),
    ]


def test_withdrawal_needs_a_reason(client, staff, paper):
    client.force_login(staff)

    refused = post(client, paper, action="withdraw", reason="")
    assert len(errors(refused)) == 1
    post(client, paper, action="withdraw", reason="Antrag erledigt")

    paper.refresh_from_db()
    assert paper.state == Paper.State.WITHDRAWN


def test_staff_of_another_body_get_no_workflow_screen(client, paper):
    client.force_login(staff_of(BodyFactory(slug="nachbarort")))

    assert client.get(url(paper)).status_code == 404
    assert client.post(url(paper), {"action": "release"}).status_code == 404
    paper.refresh_from_db()
    assert paper.state == Paper.State.DRAFT


def test_the_paper_listing_links_to_the_workflow_screen(client, staff, paper):
    client.force_login(staff)

    assert url(paper) in client.get(reverse("papers:index")).text

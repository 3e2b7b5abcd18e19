"""A list page costs the same number of queries whatever its size: embedded
and referenced objects are fetched for the whole page at once.

The town grows by eight committees, each with a member, a paper (files,
consultation, location) and an invited meeting (items with files). The
first object of every list has each kind of related object the later ones
have, so the page of one object runs every query the page of all of them
does; a per-object query would make the large page dearer."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.services import file_attach, paper_create, paper_release
from sessions.models import Consultation
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import consultation_path_set
from sessions.services.lifecycle import meeting_create
from tests.gremien.factories import (
    LocationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.oparl.api import API
from tests.publicportal.world import berlin, pdf_upload
from tests.sessions.agenda_factories import invite

pytestmark = pytest.mark.django_db

LISTS = (
    "meeting",
    "paper",
    "person",
    "organization",
    "agendaitem",
    "file",
    "consultation",
    "membership",
    "location",
)


def grow(world, number: int) -> None:
    body, clerk = world.body, world.clerk
    place = LocationFactory(body=body, description=f"Bürgerhaus {number}")
    board = OrganizationFactory(
        body=body, name=f"Beirat {number}", kind="advisory_board", location=place
    )
    person = PersonFactory(body=body, location=place, location_public=True)
    MembershipFactory(person=person, organization=board, on_behalf_of=world.fraction)
    paper = paper_create(
        actor=None, body=body, name=f"Antrag {number}", date=dt.date(2026, 11, 2)
    )
    paper.locations.add(place)
    consultation_path_set(
        actor=clerk, paper=paper, steps=[([board], Consultation.Role.DECIDING)]
    )
    file_attach(
        actor=None,
        owner=paper,
        upload=pdf_upload(f"Antrag {number}", "antrag.pdf"),
        role="main",
    )
    paper = paper_release(actor=None, paper=paper)
    meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[board],
        name=f"{number}. Sitzung des Beirats",
        start=berlin(12, 1 + number, 17),
        location=place,
    )
    item = agenda_item_add(actor=clerk, meeting=meeting, paper=paper)
    agenda_item_add(actor=clerk, meeting=meeting, name="Mitteilungen")
    file_attach(
        actor=None, owner=item, upload=pdf_upload("Anlage", "anlage.pdf"), name="Anlage"
    )
    file_attach(
        actor=None,
        owner=meeting,
        upload=pdf_upload("Hinweise", "hinweise.pdf"),
        name="Hinweise",
    )
    invite(clerk, meeting)


@pytest.fixture
def town(world):
    # the first meeting gets a meeting file, the first person a fraction
    file_attach(
        actor=None,
        owner=world.held_meeting,
        upload=pdf_upload("Anwesenheitsliste", "anwesenheit.pdf"),
        name="Anwesenheitsliste",
    )
    first = world.chair.memberships.order_by("pk").first()
    first.on_behalf_of = world.fraction
    first.save()
    for number in range(8):
        grow(world, number)
    return world


def queries(client, address: str) -> tuple[int, int]:
    """Queries and entries of one list page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured), len(response.json()["data"])


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("query", ["", "&modified_since=2000-01-01T00:00:00Z"])
def test_a_list_page_costs_the_same_queries_for_one_object_and_for_all(
    client, town, name, query
):
    address = f"{API}body/{town.body.pk}/{name}?{query}"
    client.get(address)  # the portal's site and the like, once per process

    small, one = queries(client, f"{address}&limit=1")
    large, many = queries(client, f"{address}&limit=500")

    assert one == 1
    assert many >= 8
    assert small == large, f"{name}: {small} queries for 1, {large} for {many}"


def test_an_organizations_meetings_cost_the_same_for_one_and_for_all(client, town):
    address = f"{API}organization/{town.bau.pk}/meeting?"
    client.get(address)

    small, one = queries(client, f"{address}&limit=1")
    large, many = queries(client, f"{address}&limit=500")

    assert (one, many) == (1, 3)
    assert small == large

"""The world of the OParl tests: the portal tests' town with every non-public
twin (each carrying the marker), and what only the API shows: a legislative
term, locations with GeoJSON, files in every role, an imported file whose
content stayed at its source, and a deleted public file (a tombstone)."""

import datetime as dt

import pytest

from documents.models import File
from documents.services import file_attach
from gremien.services import object_soft_delete
from tests.gremien.factories import LegislativeTermFactory, LocationFactory
from tests.publicportal.world import build_world, pdf_upload
from tests.sessions.agenda_factories import Clock

MILL = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [7.1, 50.7]},
    "properties": {"name": "Mühlenbach"},
}


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(db, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(clock, more_twins=True)
        add_api_things(world)
    return world


def add_api_things(world) -> None:
    body = world.body
    world.term = LegislativeTermFactory(body=body, name="Wahlperiode 2025–2030")
    body.location = world.location
    body.ags = "05334002"
    body.save()
    world.mill = LocationFactory(
        body=body,
        description="Bebauungsplangebiet Am Mühlenbach",
        street_address="",
        locality="Neuhausen",
        geojson=MILL,
    )
    world.public_paper.locations.add(world.mill)
    opening = world.held_meeting.agenda_items.get(order=1)
    world.opening_file = file_attach(
        actor=None,
        owner=opening,
        upload=pdf_upload("Tagesordnung mit Änderungen", "tagesordnung.pdf"),
        name="Geänderte Tagesordnung",
    )
    world.resolution_file = file_attach(
        actor=None,
        owner=world.public_item,
        upload=pdf_upload("Beschluss Bebauungsplan", "beschluss.pdf"),
        name="Beschluss",
        role=File.Role.RESOLUTION,
    )
    world.invitation_file = file_attach(
        actor=None,
        owner=world.council_meeting,
        upload=pdf_upload("Einladung zur 5. Sitzung des Rates", "einladung.pdf"),
        name="Einladung",
        role=File.Role.INVITATION,
        date=dt.date(2026, 11, 13),
    )
    # as the importer leaves a file whose content it did not download
    world.imported_file = File.objects.create(
        body=body,
        paper=world.public_paper,
        name="Lageplan",
        file_name="lageplan.pdf",
        size=0,
        source_url="https://alt.example.org/dokumente/lageplan.pdf",
        external_id="https://alt.example.org/oparl/file/77",
    )
    world.gone_file = file_attach(
        actor=None,
        owner=world.public_paper,
        upload=pdf_upload("Erste Stellungnahme", "stellungnahme.pdf"),
        name="Stellungnahme",
    )
    object_soft_delete(actor=world.clerk, obj=world.gone_file)
    world.gone_file.refresh_from_db()

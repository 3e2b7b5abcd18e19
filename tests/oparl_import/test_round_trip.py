"""Round trip: our own OParl API, served by a live server, imported by our
importer into a new body, gives the same public data.

The town of the OParl tests (every non-public twin included) is served by
``live_server``; ``oparl_import`` reads it over HTTP like any foreign system
and creates a second body. Both bodies are then read through the API again
and compared object by object: every property is equal once the ids of the
copy are translated back to the originals (the importer keeps each original
id as ``external_id``). What differs by nature is left out: ``modified`` (our
own clock), ``web`` (the copy has no portal yet) and the file addresses (the
copy's files point to their source until their content is taken over).
"""

import json

import pytest

from documents.models import File, Paper
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from publicportal import visibility
from sessions.models import AgendaItem, Consultation, Meeting
from tests.oparl.api import API, get_json, list_entries
from tests.oparl.conftest import add_api_things
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock

from .conftest import oparl_import

#: OParl address segment of each model.
SEGMENTS = {
    Body: "body",
    LegislativeTerm: "legislativeterm",
    Location: "location",
    Organization: "organization",
    Person: "person",
    Membership: "membership",
    Meeting: "meeting",
    AgendaItem: "agendaitem",
    Paper: "paper",
    Consultation: "consultation",
    File: "file",
}
BODY_LISTS = (
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "locationList",
    "legislativeTermList",
    "membership",
)
#: Properties that differ between an object and its imported copy by nature.
NATURAL = {"modified", "web", "accessUrl", "downloadUrl"}
LOCAL = "http://testserver" + API


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def served_world(transactional_db, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(clock, more_twins=True)
        add_api_things(world)
    return world


def crawl_body(client, body: Body) -> dict[str, dict]:
    """Every object of ``body`` from its lists, by id, as a client sees it."""
    body_object = get_json(client, f"{API}body/{body.pk}")
    found = {body_object["id"]: body_object}
    for name in BODY_LISTS:
        for entry in list_entries(client, body_object[name]):
            found[entry["id"]] = entry
    return found


def original_ids(copy: Body, source_base: str) -> dict[str, str]:
    """Address of every object of the copy → address of its original, both
    as the test client sees them."""
    mapping = {f"{LOCAL}body/{copy.pk}": copy.external_id.replace(source_base, LOCAL)}
    for model, segment in SEGMENTS.items():
        if model is Body:
            continue
        rows = model.objects.for_bodies([copy.pk]).exclude(external_id="")
        for pk, external_id in rows.values_list("pk", "external_id"):
            mapping[f"{LOCAL}{segment}/{pk}"] = external_id.replace(source_base, LOCAL)
    return mapping


def translated(value, mapping: dict[str, str]):
    """``value`` with the copy's addresses replaced by the originals' and the
    properties that differ by nature left out."""
    if isinstance(value, dict):
        return {
            key: translated(item, mapping)
            for key, item in value.items()
            if key not in NATURAL
        }
    if isinstance(value, list):
        return [translated(item, mapping) for item in value]
    if isinstance(value, str):
        if value in mapping:
            return mapping[value]
        owner, _slash, rest = value.rpartition("/")
        if (
            owner in mapping
        ):  # a list of an object: body/1/paper, organization/2/meeting
            return f"{mapping[owner]}/{rest}"
    return value


def without_natural(value):
    return translated(value, {})


def differences(source: dict, copy: dict) -> list[str]:
    found = []
    for oid in sorted(set(source) | set(copy)):
        if oid not in copy:
            found.append(f"missing in the copy: {oid}")
        elif oid not in source:
            found.append(f"only in the copy: {oid}")
        elif source[oid] != copy[oid]:
            a = json.dumps(source[oid], ensure_ascii=False, sort_keys=True)
            b = json.dumps(copy[oid], ensure_ascii=False, sort_keys=True)
            found.append(f"{oid}:\n  source {a}\n  copy   {b}")
    return found


def test_our_api_imported_by_our_importer_gives_the_same_public_data(
    client, served_world, live_server
):
    source = served_world.body
    source_base = f"{live_server.url}{API}"

    oparl_import(f"{source_base}body/{source.pk}")

    copy = Body.objects.exclude(pk=source.pk).get()
    assert copy.external_id == f"{source_base}body/{source.pk}"

    # the same public objects, property by property
    mapping = original_ids(copy, source_base)
    source_objects = {
        oid: without_natural(obj) for oid, obj in crawl_body(client, source).items()
    }
    copy_objects = {
        mapping.get(oid, oid): translated(obj, mapping)
        for oid, obj in crawl_body(client, copy).items()
    }
    kinds = {obj["type"].rsplit("/", 1)[1] for obj in source_objects.values()}
    assert kinds == {model.__name__ for model in SEGMENTS}, "a type is not covered"
    found = differences(source_objects, copy_objects)
    assert found == [], "\n".join(found)

    # nothing that was not public came over: the copy holds exactly the
    # public objects of the source, as the visibility module counts them
    for model, public in (
        (Paper, visibility.public_papers),
        (Meeting, visibility.public_meetings),
        (
            AgendaItem,
            lambda body: visibility.public_agenda_items().filter(meeting__body=body),
        ),
        (File, visibility.public_files),
    ):
        assert model.objects.for_bodies([copy.pk]).alive().count() == (
            public(source).count()
        ), model.__name__
    assert served_world.marker not in json.dumps(
        list(Paper.objects.filter(body=copy).values("name", "keywords")),
        ensure_ascii=False,
    )

    # a file whose content stayed behind still leads to it
    for file in File.objects.filter(body=copy):
        original = File.objects.get(
            pk=int(file.external_id.rstrip("/").rsplit("/", 1)[1])
        )
        assert file.source_url.endswith(f"{API}file/{original.pk}/access")

    # a second run over the unchanged API changes nothing
    stamps = {
        model: dict(model.objects.for_bodies([copy.pk]).values_list("pk", "modified"))
        for model in SEGMENTS
        if model is not Body
    }
    oparl_import(f"{source_base}body/{source.pk}")
    for model, before in stamps.items():
        after = dict(model.objects.for_bodies([copy.pk]).values_list("pk", "modified"))
        assert after == before, model.__name__

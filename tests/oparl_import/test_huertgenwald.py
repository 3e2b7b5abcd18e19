"""The Hürtgenwald crawl (a real OParl 1.0 endpoint, vendor STERNBERG)
imports completely, publicly, and a second run changes nothing.

The sample is imported twice per module: a first run, then ``--full`` (all
objects compared again). Both happen in one transaction that is rolled back
after the module, so the tests read the same database state."""

import json
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction

from gremien.models import Body, Location, Person
from publicportal import visibility
from publicportal.oparl_import.models import ImportRun

from .conftest import oparl_import
from .server import SAMPLE, SAMPLE_BASE, serve_sample, unpack_sample
from .snapshots import counts, stamps

#: Object counts of the sample as its README states them (embedded objects
#: included; Locations counted once per embedding).
README = {
    "Paper": 2097,
    "Meeting": 346,
    "AgendaItem": 5106,
    "Consultation": 2228,
    "File": 6947,
    "Person": 49,
    "Membership": 533,
    "Organization": 22,
}
#: Properties of the sample that hold embedded objects of a type.
EMBEDDED = {
    "membership": "Membership",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "location": "Location",
    "mainFile": "File",
    "auxiliaryFile": "File",
    "invitation": "File",
    "resultsProtocol": "File",
    "verbatimProtocol": "File",
    "resolutionFile": "File",
}
LISTS = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
}


@dataclass
class Expected:
    """What the sample contains, counted from its files."""

    objects: dict[str, set]
    tombstones: Counter
    person_locations: int


def _walk(value, type_name, expected: Expected):
    if isinstance(value, list):
        for item in value:
            _walk(item, type_name, expected)
        return
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return
    type_name = (value.get("type") or "").rsplit("/", 1)[-1] or type_name
    expected.objects.setdefault(type_name, set()).add(value["id"])
    for key, child in value.items():
        if key in EMBEDDED and not isinstance(child, str):
            _walk(child, EMBEDDED[key], expected)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("The Hürtgenwald sample is not available.")
    return unpack_sample(tmp_path_factory.mktemp("huertgenwald"))


@pytest.fixture(scope="module")
def expected(sample_dir) -> Expected:
    result = Expected({}, Counter(), 0)
    for body in json.loads((sample_dir / "body.json").read_text())["data"]:
        _walk(body, "Body", result)
    for path in sorted((sample_dir / "body" / "1").glob("*.json")):
        list_type = LISTS[re.match(r"[a-z]+", path.name)[0]]
        for item in json.loads(path.read_text())["data"]:
            if item.get("deleted"):
                result.tombstones[list_type] += 1
                continue
            _walk(item, list_type, result)
    locations = result.objects["Location"]
    for path in (sample_dir / "body" / "1").glob("person*.json"):
        for person in json.loads(path.read_text())["data"]:
            address = person.get("location")
            if isinstance(address, str) and address not in locations:
                result.person_locations += 1
    return result


@dataclass
class Imported:
    body: Body
    first: str
    second: str
    runs: list
    counts_after_first: dict
    counts_after_second: dict
    stamps_after_first: dict
    stamps_after_second: dict
    requests: list


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, sample_dir):
    with django_db_blocker.unblock(), transaction.atomic():
        with serve_sample(sample_dir) as server:
            first = oparl_import(server.url + "system")
            body = Body.objects.get(external_id=server.url + "body/1")
            counts_after_first, stamps_after_first = counts(body), stamps(body)
            second = oparl_import(server.url + "system", "--full")
            result = Imported(
                body=body,
                first=first,
                second=second,
                runs=list(ImportRun.objects.filter(source__body=body).order_by("pk")),
                counts_after_first=counts_after_first,
                counts_after_second=counts(body),
                stamps_after_first=stamps_after_first,
                stamps_after_second=stamps(body),
                requests=list(server.requests),
            )
        yield result
        transaction.set_rollback(True)


def row(output: str, label: str) -> list[int]:
    """The figures of the summary row ``label`` (new, updated, unchanged,
    deleted, skipped)."""
    for line in output.splitlines():
        if line.startswith(label + " "):
            return [int(cell) for cell in line[len(label) :].split()]
    raise AssertionError(f"no row {label!r} in:\n{output}")


def test_the_sample_is_what_its_readme_says(expected):
    assert {t: len(expected.objects[t]) for t in README} == README
    assert expected.tombstones == {"Meeting": 21, "Paper": 18}


def test_every_object_of_the_sample_is_imported(db, imported, expected):
    wanted = {t: len(ids) for t, ids in expected.objects.items()}
    assert imported.counts_after_first == {
        "Location": wanted["Location"],
        "LegislativeTerm": 0,
        **{t: wanted[t] for t in README},
    }
    # The objects are the sample's own, found again by their original ids.
    base = imported.body.external_id.removesuffix("body/1")
    assert set(
        Person.objects.filter(body=imported.body).values_list("external_id", flat=True)
    ) == {id.replace(SAMPLE_BASE, base) for id in expected.objects["Person"]}
    assert row(imported.first, "Sitzungen") == [README["Meeting"], 0, 0, 0, 21]
    assert row(imported.first, "Vorlagen") == [README["Paper"], 0, 0, 0, 18]
    assert row(imported.first, "Tagesordnungspunkte")[0] == README["AgendaItem"]


def test_a_second_run_changes_nothing(db, imported):
    assert imported.counts_after_second == imported.counts_after_first
    assert imported.stamps_after_second == imported.stamps_after_first
    summary = imported.runs[-1].summary["types"]
    changes = {t: (s["new"], s["updated"], s["deleted"]) for t, s in summary.items()}
    assert changes == dict.fromkeys(summary, (0, 0, 0))
    assert (
        sum(s["unchanged"] for s in summary.values())
        == sum(imported.counts_after_first.values()) + 1
    )  # the body
    assert row(imported.second, "Dateien") == [0, 0, README["File"], 0, 0]


def test_the_imported_data_is_public(db, imported):
    body = imported.body
    assert visibility.public_meetings(body).count() == README["Meeting"]
    assert visibility.public_papers(body).count() == README["Paper"]
    assert (
        visibility.public_agenda_items().filter(meeting__body=body).count()
        == README["AgendaItem"]
    )
    assert (
        visibility.public_consultations().filter(paper__body=body).count()
        == README["Consultation"]
    )
    assert visibility.public_files(body).count() == README["File"]
    assert visibility.public_persons(body).count() == README["Person"]
    assert visibility.public_memberships(body).count() == README["Membership"]
    # Past meetings with their minutes: published, results and texts public.
    meeting = visibility.public_meetings(body).filter(files__role="results_protocol")[0]
    assert visibility.minutes_published(meeting)


def test_vendor_quirks_are_taken_in_stride(db, imported, expected):
    body = imported.body
    assert body.name == "Gemeinde Hürtgenwald"
    assert body.ags == "05358016"  # the source sent 7 digits
    assert body.location.street_address == "August-Scholl-Straße 5"
    reasons = imported.runs[0].summary["reasons"]
    # Tombstones in the lists carry no type: the list tells it.
    assert reasons["tombstone_unknown|Meeting"] == expected.tombstones["Meeting"]
    assert reasons["tombstone_unknown|Paper"] == expected.tombstones["Paper"]
    # Persons' addresses are references the source cannot deliver.
    assert expected.person_locations == 35
    assert reasons["dangling|Person.location"] == expected.person_locations
    assert Location.objects.filter(body=body).count() == len(
        expected.objects["Location"]
    )
    # Each missing address was asked for once, in the first run only.
    asked = [path for path in imported.requests if "/location/" in path]
    assert len(asked) == len(set(asked)) * 2 == expected.person_locations * 2


def test_pages_follow_the_vendors_page_links(db, imported):
    pages = [p for p in imported.requests if p.startswith("/body/1/paper")]
    assert "/body/1/paper?page=85" in pages
    assert len(pages) == 2 * 85

"""Every object type, embedded objects, list pages and tombstones validate
against the OParl 1.1 schemas (``shared/oparl/spec-1.1/schema``).

The schemas are written in a JSON-Schema-like dialect: ``"schema":
"File.json"`` is taken as ``$ref`` (resolved within the schema folder),
``"format": "url"`` is dropped, the other extra keywords (``references``,
``backreference``, ``cardinality`` …) are annotations. Dates and times are
checked as ISO 8601 (with an offset for date-times)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.oparl.api import API, SCHEMA, Crawl

SCHEMA_DIR = (
    Path(__file__).resolve().parents[3] / "shared" / "oparl" / "spec-1.1" / "schema"
)
BASE = "https://schema.oparl.org/1.1/"
TYPES = (
    "System",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "Location",
)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SCHEMA_DIR.exists(), reason="shared/oparl is missing"),
]


def standard(node):
    """The dialect as standard JSON Schema."""
    if isinstance(node, dict):
        node = {key: standard(value) for key, value in node.items()}
        if "schema" in node:
            node["$ref"] = node.pop("schema")
        if node.get("format") == "url":
            del node["format"]
        return node
    if isinstance(node, list):
        return [standard(item) for item in node]
    return node


formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return dt.datetime.fromisoformat(value).tzinfo is not None


@formats.checks("date", raises=ValueError)
def _date(value) -> bool:
    return bool(dt.date.fromisoformat(value))


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = {
        name: standard(json.loads((SCHEMA_DIR / f"{name}.json").read_text()))
        for name in TYPES
    }
    registry = Registry().with_resources(
        (BASE + f"{name}.json", Resource(schema, DRAFT202012))
        for name, schema in schemas.items()
    )
    found = {}
    for name, schema in schemas.items():
        schema = {"$id": BASE + f"{name}.json", **schema}
        found[name] = Draft202012Validator(
            schema, registry=registry, format_checker=formats
        )
        # a deleted object needs only what every tombstone has
        tombstone = {**schema, "required": ["id", "type"]}
        found[f"{name}!deleted"] = Draft202012Validator(
            tombstone, registry=registry, format_checker=formats
        )
    return found


def problems(validators, obj: dict) -> list[str]:
    name = obj["type"].removeprefix(SCHEMA)
    if obj.get("deleted"):
        name += "!deleted"
    return [
        f"{obj['id']} {list(error.absolute_path)}: {error.message}"
        for error in validators[name].iter_errors(obj)
    ]


def test_the_mapped_schemas_still_check_something(validators):
    meeting = {"id": "x", "type": SCHEMA + "Meeting", "start": "12.03.2026"}
    paper = {
        "id": "x",
        "type": SCHEMA + "Paper",
        "mainFile": {"id": "y", "type": SCHEMA + "File"},
    }

    assert problems(validators, meeting)
    assert problems(validators, paper), "File.accessUrl is required inside"


@pytest.mark.parametrize("query", ["", "modified_since=2000-01-01T00:00:00Z"])
def test_every_answer_validates(client, world, validators, query):
    crawl = Crawl(client, query=query).run()

    assert crawl.failures == []
    seen_types, errors = set(), []
    for url, answer in crawl.answers.items():
        entries = answer["data"] if "data" in answer else [answer]
        for obj in entries:
            seen_types.add(obj["type"].removeprefix(SCHEMA))
            errors += problems(validators, obj)
        if "data" in answer:
            assert set(answer["pagination"]) == {
                "totalElements",
                "elementsPerPage",
                "currentPage",
                "totalPages",
            }
            assert {"first", "last", "self"} <= set(answer["links"]), url
    assert errors == []
    assert seen_types == set(TYPES)
    tombstones = [
        entry
        for url, entries in crawl.lists.items()
        if url.startswith(f"{API}body/")
        for entry in entries
        if entry.get("deleted")
    ]
    assert bool(tombstones) == bool(query)

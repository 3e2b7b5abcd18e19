"""Lists: order, pagination, filters, omit_internal, tombstones."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from documents.services import file_attach
from gremien.services import object_soft_delete
from sessions.services.agenda import agenda_item_update
from tests.oparl.api import (
    API,
    get_json,
    ids,
    list_entries,
    object_key,
    objects_in,
    walk_list,
)
from tests.publicportal.world import pdf_upload

pytestmark = pytest.mark.django_db


def body_list(world, name: str, **query) -> str:
    address = f"{API}body/{world.body.pk}/{name}"
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def test_pages_by_next_cover_the_list_in_id_order(client, world):
    everyone = get_json(client, body_list(world, "person"))
    pages = [
        page for page, _entry in walk_list(client, body_list(world, "person", limit=1))
    ]

    entries = everyone["data"]
    assert len(entries) == everyone["pagination"]["totalElements"] >= 3
    assert [object_key(e["id"])[1] for e in entries] == sorted(
        object_key(e["id"])[1] for e in entries
    )
    assert [page["data"][0]["id"] for page in pages] == [e["id"] for e in entries]
    last = len(entries)
    for number, page in enumerate(pages, start=1):
        assert page["pagination"] == {
            "totalElements": last,
            "elementsPerPage": 1,
            "currentPage": number,
            "totalPages": last,
        }
        links = page["links"]
        assert parse_qs(urlsplit(links["self"]).query)["page"] == [str(number)]
        assert parse_qs(urlsplit(links["first"]).query)["page"] == ["1"]
        assert parse_qs(urlsplit(links["last"]).query)["page"] == [str(last)]
        assert ("prev" in links) == (number > 1)
        assert ("next" in links) == (number < last)


def test_every_link_carries_the_filters_limit_and_omit_internal(client, world):
    query = {
        "created_since": "2020-01-01T00:00:00+01:00",
        "created_until": "2099-12-31T23:59:59Z",
        "modified_since": "2026-01-01T00:00:00+01:00",
        "modified_until": "2099-01-01T00:00:00+00:00",
        "limit": "1",
        "omit_internal": "true",
    }
    encoded = {k: v.replace("+", "%2B") for k, v in query.items()}
    page = get_json(client, body_list(world, "meeting", page=2, **encoded))

    assert set(page["links"]) == {"first", "prev", "next", "last", "self"}
    for name, link in page["links"].items():
        carried = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        assert carried.pop("page"), name
        assert carried == query, name


def test_the_limit_is_honoured_up_to_500(client, world):
    small = get_json(client, body_list(world, "agendaitem", limit=2))
    huge = get_json(client, body_list(world, "agendaitem", limit=100000))
    default = get_json(client, body_list(world, "agendaitem"))

    assert len(small["data"]) == 2
    assert small["pagination"]["elementsPerPage"] == 2
    assert huge["pagination"]["elementsPerPage"] == 500
    assert default["pagination"]["elementsPerPage"] == 100


def test_omit_internal_leaves_out_embedded_objects_but_keeps_references(client, world):
    full = get_json(client, body_list(world, "meeting"))["data"]
    bare = get_json(client, body_list(world, "meeting", omit_internal=1))["data"]

    assert any("agendaItem" in meeting for meeting in full)
    for meeting in bare:
        assert [obj["id"] for obj in objects_in(meeting)] == [meeting["id"]]
        assert meeting["organization"]
    assert [m["id"] for m in bare] == [m["id"] for m in full]
    assert [m["modified"] for m in bare] == [m["modified"] for m in full]


def test_tombstones_appear_only_with_modified_since(client, world, clock):
    gone = ("file", world.gone_file.pk)
    since = "2026-11-13T09:59:00%2B01:00"
    later = "2026-11-13T10:01:00%2B01:00"

    plain = list_entries(client, body_list(world, "file"))
    changes = list_entries(client, body_list(world, "file", modified_since=since))
    after = list_entries(client, body_list(world, "file", modified_since=later))

    assert gone not in ids(plain)
    assert gone not in ids(after)
    tombstone = next(e for e in changes if object_key(e["id"]) == gone)
    assert tombstone["deleted"] is True
    assert tombstone["modified"] == "2026-11-13T10:00:00+01:00"
    assert [object_key(e["id"])[1] for e in changes] == sorted(
        object_key(e["id"])[1] for e in changes
    )
    tombstones = ids(e for e in changes if e.get("deleted"))
    assert tombstones == {gone, ("file", world.deleted_file.pk)}
    assert ids(changes) - tombstones <= ids(plain)


def test_a_tombstone_is_never_embedded(client, world):
    paper = get_json(client, f"{API}paper/{world.public_paper.pk}")
    with_changes = get_json(
        client, body_list(world, "paper", modified_since="2000-01-01T00:00:00Z")
    )

    for found in (paper, *with_changes["data"]):
        embedded = [obj for obj in objects_in(found) if obj is not found]
        assert all("deleted" not in obj for obj in embedded)
        assert ("file", world.gone_file.pk) not in ids(embedded)


def test_tombstones_of_deleted_papers_within_their_pages(client, world):
    since = "2000-01-01T00:00:00Z"
    changes = get_json(client, body_list(world, "paper", modified_since=since))

    deleted = [e for e in changes["data"] if e.get("deleted")]
    assert ids(deleted) == {("paper", world.deleted_paper.pk)}
    assert changes["pagination"]["totalElements"] == len(changes["data"]) == 2


def test_a_changed_agenda_item_brings_its_meeting_into_modified_since(
    client, world, clock
):
    clock.set(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    since = "2026-11-20T12:00:00Z"
    assert list_entries(client, body_list(world, "meeting", modified_since=since)) == []

    agenda_item_update(actor=world.clerk, item=world.council_item, name="Bebauungsplan")

    changed = list_entries(client, body_list(world, "meeting", modified_since=since))
    assert ids(changed) == {("meeting", world.council_meeting.pk)}
    assert changed[0]["modified"] == "2026-11-20T13:00:00+01:00"
    before = list_entries(
        client, body_list(world, "meeting", modified_until="2026-11-20T11:00:00Z")
    )
    assert ("meeting", world.council_meeting.pk) not in ids(before)
    assert ("meeting", world.held_meeting.pk) in ids(before)


def test_a_new_file_brings_its_paper_and_a_deletion_its_tombstone(client, world, clock):
    clock.set(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    since = "2026-11-20T12:00:00Z"
    file_attach(
        actor=None,
        owner=world.public_paper,
        upload=pdf_upload("Ergänzung", "ergaenzung.pdf"),
        name="Ergänzung",
    )
    object_soft_delete(actor=world.clerk, obj=world.opening_file)

    papers = list_entries(client, body_list(world, "paper", modified_since=since))
    files = list_entries(client, body_list(world, "file", modified_since=since))
    meetings = list_entries(client, body_list(world, "meeting", modified_since=since))

    assert ids(papers) == {("paper", world.public_paper.pk)}
    assert {e["name"] for e in files if "name" in e} == {"Ergänzung"}
    assert [e["id"] for e in files if e.get("deleted")] == [
        f"http://testserver{API}file/{world.opening_file.pk}"
    ]
    assert ids(meetings) == {("meeting", world.held_meeting.pk)}


def test_created_filters(client, world):
    created = sorted(
        e["created"] for e in list_entries(client, body_list(world, "person"))
    )
    first = created[0].replace("+", "%2B")

    everything = list_entries(client, body_list(world, "person", created_since=first))
    nothing = list_entries(
        client, body_list(world, "person", created_until="2000-01-01T00:00:00Z")
    )
    assert len(everything) == len(created)
    assert nothing == []


def test_organization_lists_hold_its_public_meetings_only(client, world):
    fraction = get_json(client, f"{API}organization/{world.fraction.pk}")
    council = get_json(client, f"{API}organization/{world.council.pk}")

    assert list_entries(client, fraction["meeting"]) == []
    meetings = list_entries(client, council["meeting"] + "?limit=1")
    assert ids(meetings) == {
        ("meeting", world.council_meeting.pk),
        ("meeting", world.later_meeting.pk),
    }

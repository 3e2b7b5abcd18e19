"""The objects of the OParl API: what a client reads at each address."""

import json

import pytest

from tests.oparl.api import (
    API,
    JSON_TYPE,
    SCHEMA,
    empty_values,
    get,
    get_json,
    list_entries,
    objects_in,
)

pytestmark = pytest.mark.django_db

SIX_LISTS_OF_1_1 = (
    "agendaItem",
    "consultation",
    "file",
    "locationList",
    "legislativeTermList",
    "membership",
)


def url(path: str) -> str:
    return f"http://testserver{API}{path}"


def everything(client, world) -> list[dict]:
    """Every object at its own address and every entry of every body list."""
    body = get_json(client, url(f"body/{world.body.pk}"))
    found = [get_json(client, API), body]
    for prop in ("organization", "person", "meeting", "paper", *SIX_LISTS_OF_1_1):
        for entry in list_entries(client, body[prop]):
            found += [entry, get_json(client, entry["id"])]
    return found


def test_the_system_object_leads_to_the_bodies(client, world):
    system = get_json(client, API)

    assert system["id"] == url("")
    assert system["type"] == SCHEMA + "System"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["name"] == "Gremienportal"
    assert system["website"] == "http://testserver/"
    bodies = get_json(client, system["body"])["data"]
    assert [body["name"] for body in bodies] == ["Stadt Neuhausen"]


def test_the_system_names_its_contact_where_the_installation_sets_one(
    client, world, settings
):
    assert "contactEmail" not in get_json(client, API)
    settings.GREMIEN_OPARL_CONTACT_EMAIL = "oparl@krz.example.org"
    settings.GREMIEN_OPARL_CONTACT_NAME = "Kommunales Rechenzentrum"

    system = get_json(client, API)
    assert system["contactEmail"] == "oparl@krz.example.org"
    assert system["contactName"] == "Kommunales Rechenzentrum"


def test_a_body_names_all_its_lists_including_the_six_of_oparl_1_1(client, world):
    body = get_json(client, url(f"body/{world.body.pk}"))

    for prop in ("organization", "person", "meeting", "paper", *SIX_LISTS_OF_1_1):
        assert get_json(client, body[prop])["data"], prop
    assert body["system"] == url("")
    assert body["legislativeTerm"][0]["name"] == "Wahlperiode 2025–2030"
    assert body["location"]["streetAddress"] == "Marktplatz 1"
    assert body["ags"] == "05334002"
    assert body["web"] == "http://neuhausen.localhost/"


def test_every_object_and_every_embedded_one_has_created_and_modified(client, world):
    for found in everything(client, world):
        for obj in objects_in(found):
            assert obj["type"].startswith(SCHEMA), obj["id"]
            for prop in ("created", "modified"):
                assert obj[prop][10] == "T" and obj[prop][-6] in "+-", (obj, prop)


def test_no_property_is_null_or_empty(client, world):
    for found in everything(client, world):
        assert empty_values(found) == [], found["id"]


def test_text_is_utf_8_without_escapes(client, world):
    response = get(client, url(f"paper/{world.public_paper.pk}"))

    assert response["Content-Type"] == JSON_TYPE
    assert "Mühlenbach".encode() in response.content
    assert b"\\u" not in response.content


def test_a_meeting_embeds_location_agenda_and_files(client, world):
    held = get_json(client, url(f"meeting/{world.held_meeting.pk}"))
    council = get_json(client, url(f"meeting/{world.council_meeting.pk}"))

    assert held["location"]["id"] == url(f"location/{world.location.pk}")
    assert [item["name"] for item in held["agendaItem"]] == [
        "Eröffnung der Sitzung",
        "Bebauungsplan Nr. 12 Am Mühlenbach",
    ]
    opening, item = held["agendaItem"]
    assert opening["auxiliaryFile"][0]["name"] == "Geänderte Tagesordnung"
    assert item["resolutionFile"]["name"] == "Beschluss"
    assert council["invitation"]["name"] == "Einladung"
    assert council["invitation"]["date"] == "2026-11-13"
    assert held["organization"] == [url(f"organization/{world.bau.pk}")]
    assert held["web"] == (
        f"http://neuhausen.localhost/sitzungen/{world.held_meeting.slug}/"
    )
    assert item["web"].endswith(f"#top-{world.public_item.pk}")


def test_results_and_resolutions_only_as_far_as_they_are_public(client, world):
    held_item = get_json(client, url(f"agendaitem/{world.public_item.pk}"))
    invited_item = get_json(client, url(f"agendaitem/{world.council_item.pk}"))

    assert held_item["result"] == "empfohlen"
    assert held_item["resolutionText"] == (
        "Der Bauausschuss empfiehlt dem Rat den Beschluss."
    )
    assert held_item["consultation"].startswith(url("consultation/"))
    assert "result" not in invited_item
    assert "resolutionText" not in invited_item


def test_a_paper_embeds_files_locations_and_its_consultation_path(client, world):
    paper = get_json(client, url(f"paper/{world.public_paper.pk}"))

    assert paper["reference"] == world.public_paper.reference
    assert {file["name"] for file in paper["auxiliaryFile"]} == {
        "Begründung",
        "Lageplan",
    }
    assert paper["location"][0]["geojson"]["properties"]["name"] == "Mühlenbach"
    assert [c["role"] for c in paper["consultation"]] == [
        "Vorberatung",
        "Entscheidung",
    ]
    assert paper["consultation"][1]["organization"] == [
        url(f"organization/{world.council.pk}")
    ]
    assert paper["web"] == "http://neuhausen.localhost/vorlagen/VO-2026-0001/"


def test_a_file_has_its_content_addresses_and_its_owner(client, world):
    file = get_json(client, url(f"file/{world.resolution_file.pk}"))
    embedded = get_json(client, url(f"agendaitem/{world.public_item.pk}"))

    assert file["accessUrl"] == url(f"file/{world.resolution_file.pk}/access")
    assert file["downloadUrl"] == url(f"file/{world.resolution_file.pk}/download")
    assert file["agendaItem"] == [url(f"agendaitem/{world.public_item.pk}")]
    assert file["mimeType"] == "application/pdf"
    assert file["size"] == world.resolution_file.size
    assert "Beschluss Bebauungsplan" in file["text"]
    # back-references and the full text only where the file is not embedded
    assert "agendaItem" not in embedded["resolutionFile"]
    assert "text" not in embedded["resolutionFile"]


def test_a_person_shows_only_public_contact_data(client, world):
    chair = get_json(client, url(f"person/{world.chair.pk}"))
    member = get_json(client, url(f"person/{world.member.pk}"))

    assert chair["email"] == ["erika.mustermann@example.org"]
    assert "phone" not in chair
    assert "email" not in member
    roles = {m["organization"]: m["role"] for m in member["membership"]}
    assert roles[url(f"organization/{world.bau.pk}")] == "Mitglied"
    assert roles[url(f"organization/{world.fraction.pk}")] == ("Fraktionsvorsitzender")
    on_behalf = [m for m in member["membership"] if "onBehalfOf" in m]
    assert on_behalf[0]["onBehalfOf"] == url(f"organization/{world.fraction.pk}")


def test_a_location_names_the_public_things_that_use_it(client, world):
    hall = get_json(client, url(f"location/{world.location.pk}"))
    in_meeting = get_json(client, url(f"meeting/{world.held_meeting.pk}"))

    assert hall["bodies"] == [url(f"body/{world.body.pk}")]
    assert url(f"meeting/{world.held_meeting.pk}") in hall["meetings"]
    assert url(f"meeting/{world.closed_meeting.pk}") not in hall["meetings"]
    assert "meetings" not in in_meeting["location"]


def test_an_organization_links_its_meetings_and_members(client, world):
    bau = get_json(client, url(f"organization/{world.bau.pk}"))
    meetings = list_entries(client, bau["meeting"])

    assert bau["organizationType"] == "Gremium"
    assert bau["classification"] == "Ausschuss"
    assert {m["name"] for m in meetings} == {
        "3. Sitzung des Bauausschusses",
        "4. Sitzung des Bauausschusses",
        "Sondersitzung des Bauausschusses",
    }
    members = [get_json(client, address) for address in bau["membership"]]
    assert {m["person"] for m in members} == {
        url(f"person/{world.chair.pk}"),
        url(f"person/{world.member.pk}"),
    }
    consultations = list_entries(client, bau["consultation"])
    assert [c["paper"] for c in consultations] == [
        url(f"paper/{world.public_paper.pk}")
    ]


def test_a_deleted_object_that_was_public_is_a_tombstone(client, world):
    tombstone = get_json(client, url(f"file/{world.gone_file.pk}"))

    assert tombstone == {
        "id": url(f"file/{world.gone_file.pk}"),
        "type": SCHEMA + "File",
        "created": tombstone["created"],
        "modified": "2026-11-13T10:00:00+01:00",
        "deleted": True,
    }


@pytest.mark.parametrize(
    "address",
    [
        "paper/{w.secret_paper.pk}",
        "paper/{w.draft_paper.pk}",
        "paper/{w.withdrawn_draft.pk}",
        "file/{w.secret_file.pk}",
        "file/{w.restricted_file.pk}",
        "file/{w.hidden_item_file.pk}",
        "file/{w.early_minutes.pk}",
        "agendaitem/{w.secret_item.pk}",
        "agendaitem/{w.council_secret.pk}",
        "agendaitem/{w.hidden_parent.pk}",
        "agendaitem/{w.hidden_child.pk}",
        "meeting/{w.closed_meeting.pk}",
        "person/{w.clerk_person.pk}",
        "consultation/{w.secret_item.consultation.pk}",
        "body/{w.body.pk}/paper/{w.secret_paper.pk}",
        "paper/999999",
    ],
)
def test_non_public_objects_are_not_found(client, world, address):
    error = get_json(client, url(address.format(w=world)), status=404)

    assert error["type"] == SCHEMA + "Error"
    assert world.marker not in json.dumps(error)

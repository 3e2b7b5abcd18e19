"""The reader's JSON API: what each user sees and may change, the sync
contract (idempotent create, conflicts kept), limits, CSRF and caching."""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from reader.models import NOTE_MAX_CHARS, Annotation
from tests.reader.conftest import make_note
from tests.sessions.pack_world import client_for

pytestmark = pytest.mark.django_db


def list_url(world, meeting=None, file=None):
    meeting = meeting or world.held_meeting
    file = file or world.secret_file
    return f"/mitglieder/dokumente/api/{meeting.pk}/{file.pk}/notizen/"


def item_url(note_uuid):
    return f"/mitglieder/dokumente/api/notizen/{note_uuid}/"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def texts(response):
    return sorted(a["text"] for a in response.json()["annotations"])


def test_create_is_idempotent_and_listed(world, hans):
    client = client_for(hans)
    body = {"uuid": str(uuid.uuid4()), "page": 1, "kind": "note", "text": "Frage"}
    first = post(client, list_url(world), body)
    assert first.status_code == 201
    assert first.json()["status"] == "created"
    again = post(client, list_url(world), body)
    assert again.status_code == 200 and again.json()["status"] == "known"
    listed = client.get(list_url(world))
    assert listed.status_code == 200
    assert listed["Cache-Control"] == "private, no-store"
    [annotation] = listed.json()["annotations"]
    assert annotation["uuid"] == body["uuid"]
    assert annotation["own"] is True
    assert annotation["revision"] == 1
    assert listed.json()["document"]["sha256"] == world.secret_file.sha256


def test_update_and_conflict_answers(world, hans):
    client = client_for(hans)
    note = make_note(hans, world, text="eins")
    ok = patch(client, item_url(note.uuid), {"base_revision": 1, "text": "zwei"})
    assert ok.status_code == 200
    assert ok.json()["status"] == "updated"
    assert ok.json()["annotation"]["revision"] == 2
    stale = patch(client, item_url(note.uuid), {"base_revision": 1, "text": "drei"})
    answer = stale.json()
    assert stale.status_code == 200
    assert answer["status"] == "conflict"
    assert answer["annotation"]["text"] == "zwei"
    assert answer["copy"]["text"] == "drei"
    assert answer["copy"]["conflict_of"] == str(note.uuid)
    assert answer["message"]
    assert texts(client.get(list_url(world))) == ["drei", "zwei"]


def test_delete_answers_and_tombstone(world, hans):
    client = client_for(hans)
    note = make_note(hans, world, text="weg damit")
    deleted = client.delete(item_url(note.uuid) + "?revision=1")
    assert deleted.status_code == 200 and deleted.json()["status"] == "deleted"
    assert client.get(list_url(world)).json()["annotations"] == []
    again = client.delete(item_url(note.uuid))
    assert again.json()["status"] == "already_deleted"
    revived = post(
        client,
        list_url(world),
        {"uuid": str(note.uuid), "page": 1, "kind": "note", "text": "weg damit"},
    )
    assert revived.json()["annotation"]["deleted"] is True
    assert client.get(list_url(world)).json()["annotations"] == []


def test_an_oversized_note_is_refused_in_german_and_nothing_is_stored(world, hans):
    response = post(
        client_for(hans),
        list_url(world),
        {
            "uuid": str(uuid.uuid4()),
            "page": 1,
            "kind": "note",
            "text": "ä" * (NOTE_MAX_CHARS + 1),
        },
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "note_too_long"
    assert error["field"] == "text"
    assert "10.000" in error["message"] and "10.001" in error["message"]
    assert not Annotation.objects.exists()


def test_bad_requests_get_json_errors(world, hans):
    client = client_for(hans)
    broken = client.post(list_url(world), "{kaputt", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "invalid_json"
    huge = client.post(
        list_url(world), "x" * (300 * 1024), content_type="application/json"
    )
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"
    no_page = post(
        client,
        list_url(world),
        {"uuid": str(uuid.uuid4()), "kind": "note", "text": "x"},
    )
    assert no_page.status_code == 400
    assert no_page.json()["error"]["code"] == "invalid_page"
    unknown = patch(client, item_url(uuid.uuid4()), {"base_revision": 1, "text": "x"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert not Annotation.objects.exists()


def test_csrf_is_required_for_changes(world, hans):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hans)
    body = {"uuid": str(uuid.uuid4()), "page": 1, "kind": "note", "text": "x"}
    refused = post(client, list_url(world), body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    token = client.get("/mitglieder/dokumente/api/csrf/").json()["token"]
    accepted = client.post(
        list_url(world),
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_signed_out_clients_get_401_json(world):
    response = Client().get(list_url(world))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signed_out"


def test_no_one_else_reads_a_private_note(world, hans, erika, petra, superuser):
    make_note(hans, world, text="Hans privat")
    for user in (erika, petra, superuser, world.clerk):
        response = client_for(user).get(list_url(world))
        assert response.status_code == 200, user
        assert response.json()["annotations"] == []


def test_someone_without_access_gets_404(world, hans, gerda):
    note = make_note(hans, world, text="Hans privat")
    client = client_for(gerda)
    assert client.get(list_url(world)).status_code == 404
    assert patch(client, item_url(note.uuid), {"base_revision": 1}).status_code == 404
    assert client.delete(item_url(note.uuid)).status_code == 404


def test_a_shared_note_is_read_only_for_the_fraction(
    world, hans, petra, erika, otto, superuser
):
    note = make_note(
        hans, world, text="Für die Fraktion", shared_with=world.fraction.pk
    )
    [seen] = client_for(petra).get(list_url(world)).json()["annotations"]
    assert seen["text"] == "Für die Fraktion"
    assert seen["own"] is False
    assert seen["author"] == "Hans Beispiel"
    assert seen["shared_with"]["name"] == "Fraktion Bürgerliste"
    petra_client = client_for(petra)
    changed = patch(
        petra_client, item_url(note.uuid), {"base_revision": 1, "text": "x"}
    )
    assert changed.status_code == 404
    assert petra_client.delete(item_url(note.uuid)).status_code == 404
    note.refresh_from_db()
    assert note.text == "Für die Fraktion" and not note.deleted
    for user in (erika, otto, superuser, world.clerk):
        assert client_for(user).get(list_url(world)).json()["annotations"] == []


def test_sharing_with_a_foreign_fraction_is_refused(world, hans, other_fraction):
    response = post(
        client_for(hans),
        list_url(world),
        {
            "uuid": str(uuid.uuid4()),
            "page": 1,
            "kind": "note",
            "text": "x",
            "shared_with": other_fraction.pk,
        },
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Annotation.objects.exists()


def test_a_withdrawn_document_answers_410_with_the_own_notes(world, hans, petra):
    make_note(hans, world, text="meine Notiz")
    make_note(petra, world, text="Petras Notiz", shared_with=world.fraction.pk)
    world.secret_file.deleted_at = timezone.now()
    world.secret_file.save(update_fields=["deleted_at"])
    response = client_for(hans).get(list_url(world))
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "document_withdrawn"
    assert texts(response) == ["meine Notiz"]
    # A note made offline before the withdrawal is still taken.
    late = post(
        client_for(hans),
        list_url(world),
        {"uuid": str(uuid.uuid4()), "page": 1, "kind": "note", "text": "offline"},
    )
    assert late.status_code == 201
    assert late.json()["message"]


def test_a_shared_note_leaves_the_fraction_with_its_owner(world, hans, petra):
    from gremien.models import Membership

    make_note(petra, world, text="Petra teilt", shared_with=world.fraction.pk)
    assert texts(client_for(hans).get(list_url(world))) == ["Petra teilt"]
    Membership.objects.filter(person__user=petra, organization=world.fraction).update(
        end_date="2026-01-31"
    )
    assert texts(client_for(hans).get(list_url(world))) == []
    assert texts(client_for(petra).get(list_url(world))) == ["Petra teilt"]

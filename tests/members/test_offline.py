"""The installable web app: the offline set a member's device keeps, the
service worker and the manifest."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.sessions.pack_world import client_for, user_for

pytestmark = pytest.mark.django_db


def offline_set(client) -> dict:
    response = client.get(reverse("members_offline_data"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    return response.json()


def test_the_device_keeps_the_next_meetings_with_their_documents(world, hans):
    user, client = hans
    data = offline_set(client)

    assert data["user"] == user.pk
    kept = {m["id"]: m for m in data["meetings"]}
    assert set(kept) == {world.closed_meeting.pk, world.council_meeting.pk}
    council = kept[world.council_meeting.pk]
    assert council["page"] == reverse(
        "members_meeting", args=[world.council_meeting.pk]
    )
    urls = {d["url"] for d in council["documents"]}
    files = world.public_paper.files.filter(deleted_at__isnull=True)
    assert urls == {
        reverse("member_file", args=[world.council_meeting.pk, f.pk]) for f in files
    }
    assert all(d["version"] for d in council["documents"])
    assert "/mitglieder/" in data["pages"]
    assert any(url.endswith("members/offline.js") for url in data["assets"])


def test_every_document_in_the_set_is_one_the_member_may_download(world, hans):
    user, client = hans
    for meeting in offline_set(client)["meetings"]:
        for document in meeting["documents"]:
            assert client.get(document["url"]).status_code == 200


def test_a_cancelled_meeting_is_not_kept(world, hans):
    user, client = hans
    kept = {m["id"] for m in offline_set(client)["meetings"]}
    assert world.cancelled.pk not in kept


def test_without_a_seat_the_set_is_empty_so_the_device_deletes_what_it_kept(world):
    data = offline_set(client_for(user_for(world.former)))
    assert data["meetings"] == []
    assert world.marker not in json.dumps(data)


def test_signed_out_devices_get_no_set(world):
    response = Client().get(reverse("members_offline_data"))
    assert response.status_code == 302


def test_the_service_worker_is_served_for_the_portal_scope(world):
    response = Client().get(reverse("members_service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/mitglieder/"
    body = response.content.decode()
    assert "__VERSION__" not in body
    assert 'const VERSION = "' in body


def test_the_manifest_makes_the_portal_installable(world):
    response = Client().get(reverse("members_manifest"))
    data = json.loads(response.content)
    assert data["start_url"] == "/mitglieder/"
    assert data["scope"] == "/mitglieder/"
    assert data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        path = icon["src"].removeprefix(settings.STATIC_URL)
        with Image.open(finders.find(path)) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]

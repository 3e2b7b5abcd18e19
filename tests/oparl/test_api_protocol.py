"""The protocol: CORS, methods, the error object, file content, the cache."""

import pytest
from django.core.files.storage import default_storage

from tests.oparl.api import API, JSON_TYPE, SCHEMA, get, get_json
from tests.publicportal.test_page_cache import asgi, cached  # noqa: F401

pytestmark = pytest.mark.django_db


def error_of(client, address: str, status: int, method: str = "get") -> dict:
    response = getattr(client, method)(address)
    assert response.status_code == status, (address, response.status_code)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == JSON_TYPE
    error = response.json()
    assert error["type"] == SCHEMA + "Error"
    assert error["message"]
    return error


def test_objects_lists_and_errors_may_be_read_from_any_origin(client, world):
    for address in (
        API,
        f"{API}body",
        f"{API}body/{world.body.pk}/paper",
        f"{API}paper/{world.public_paper.pk}",
        f"{API}file/{world.resolution_file.pk}/access",
        f"{API}file/{world.resolution_file.pk}/download",
    ):
        get(client, address)
    for address in (f"{API}paper/{world.secret_paper.pk}", f"{API}nichts"):
        get(client, address, status=404)


def test_a_preflight_request_is_answered(client, world):
    response = client.options(
        f"{API}body",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept"


def test_head_is_answered_like_get(client, world):
    response = client.head(f"{API}body/{world.body.pk}/meeting")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == JSON_TYPE


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, world, method):
    error = error_of(client, f"{API}body", 405, method)

    assert error["message"] == "Die OParl-Schnittstelle kann nur gelesen werden (GET)."
    assert getattr(client, method)(f"{API}body")["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=zwei",
        "page=",
        "limit=0",
        "limit=viele",
        "modified_since=2026-11-01",
        "modified_since=2026-11-01T10:00:00",
        "created_until=gestern",
        "created_since=2026-13-01T00:00:00Z",
    ],
)
def test_bad_parameters_are_a_400_with_the_error_object(client, world, query):
    error = error_of(client, f"{API}body/{world.body.pk}/paper?{query}", 400)

    assert error["message"].startswith("Der Parameter ")
    assert query.split("=")[0] in error["debug"]


@pytest.mark.parametrize(
    "path",
    [
        "body/{w.body.pk}/sitzungen",
        "body/999/paper",
        "organization/{w.bau.pk}/person",
        "vorlage/1",
        "paper/abc",
        "paper/1.5",
        "paper/{w.public_paper.pk}/files",
        "file/{w.resolution_file.pk}/print",
        "body/{w.body.pk}/paper?page=2",
    ],
)
def test_unknown_addresses_are_a_404_with_the_error_object(client, world, path):
    error_of(client, API + path.format(w=world), 404)


def test_an_offset_whose_plus_became_a_space_is_read(client, world):
    page = get_json(
        client,
        f"{API}body/{world.body.pk}/paper?modified_since=2026-01-01T00:00:00+01:00",
    )

    assert "modified_since=2026-01-01T00:00:00%2B01:00" in page["links"]["self"]


def stored(file) -> bytes:
    with default_storage.open(file.content.name, "rb") as handle:
        return handle.read()


def test_access_shows_a_file_inline_and_download_attaches_it(client, world):
    file = world.resolution_file
    access = get(client, f"{API}file/{file.pk}/access")
    download = get(client, f"{API}file/{file.pk}/download")

    assert b"".join(access.streaming_content) == stored(file)
    assert b"".join(download.streaming_content) == stored(file)
    assert access["Content-Type"] == "application/pdf"
    assert access["Content-Disposition"].startswith("inline")
    assert download["Content-Disposition"] == 'attachment; filename="beschluss.pdf"'
    assert access["X-Content-Type-Options"] == "nosniff"
    assert access["ETag"] == f'"{file.sha256}"'
    again = get(
        client,
        f"{API}file/{file.pk}/access",
        304,
        HTTP_IF_NONE_MATCH=f'"{file.sha256}"',
    )
    assert again["ETag"] == f'"{file.sha256}"'


def test_file_content_of_deleted_imported_and_hidden_files(client, world):
    gone = error_of(client, f"{API}file/{world.gone_file.pk}/access", 410)
    imported = get(client, f"{API}file/{world.imported_file.pk}/download", 302)

    assert gone["message"] == "Diese Datei wurde gelöscht."
    assert imported["Location"] == "https://alt.example.org/dokumente/lageplan.pdf"
    for file in (world.secret_file, world.restricted_file, world.early_minutes):
        error = error_of(client, f"{API}file/{file.pk}/download", 404)
        assert world.marker not in str(error)


def test_ids_start_at_the_configured_base_url(client, world, settings):
    settings.GREMIEN_OPARL_BASE_URL = "https://ratsinfo.neuhausen.de"
    system = get_json(client, API)
    settings.GREMIEN_OPARL_BASE_URL = "https://daten.neuhausen.de/oparl/"
    moved = get_json(client, API)

    assert system["id"] == "https://ratsinfo.neuhausen.de/oparl/v1.1/"
    assert system["body"] == "https://ratsinfo.neuhausen.de/oparl/v1.1/body"
    assert moved["body"] == "https://daten.neuhausen.de/oparl/body"


def test_cached_answers_keep_cors_and_change_with_the_data(world, cached):  # noqa: F811
    address = f"{API}body/{world.body.pk}/organization"
    first = asgi(address)
    second = asgi(address)

    assert first["X-Portal-Cache"] == "miss"
    assert second["X-Portal-Cache"] == "hit"
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Content-Type"] == JSON_TYPE
    assert second.content == first.content
    world.bau.name = "Ausschuss für Bauen und Umwelt"
    world.bau.save()
    third = asgi(address)
    assert third["X-Portal-Cache"] == "miss"
    assert "Ausschuss für Bauen und Umwelt".encode() in third.content

"""Downloads of public files; everything else is a plain 404."""

from urllib.parse import quote

import pytest

from documents.models import File
from publicportal.links import file_name

pytestmark = pytest.mark.django_db


def path(file, name=None, lang="/en"):
    return f"{lang}/dateien/{file.pk}/{quote(name or file_name(file))}"


def public_file(world):
    return File.objects.get(paper=world.public_paper, restricted=False)


def test_public_file_is_served_inline_with_its_name(client, world):
    file = public_file(world)
    response = client.get(path(file))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert file.file_name in response["Content-Disposition"]
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, no-cache"


def test_an_unchanged_file_is_revalidated_cheaply(client, world):
    file = public_file(world)
    first = client.get(path(file))
    again = client.get(path(file), HTTP_IF_NONE_MATCH=first["ETag"])
    assert first["ETag"] == f'"{file.sha256}"'
    assert again.status_code == 304
    file.restricted = True
    file.save()
    assert client.get(path(file), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_download_parameter_makes_it_an_attachment(client, world):
    response = client.get(path(public_file(world)) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_wrong_file_name_redirects_to_the_right_address(client, world):
    file = public_file(world)
    response = client.get(path(file, "falsch.pdf"))
    assert response.status_code == 301
    assert response["Location"].endswith(f"/dateien/{file.pk}/{file_name(file)}")


def test_file_linked_from_the_meeting_page_downloads(client, world):
    html = client.get(f"/en/sitzungen/{world.held_meeting.slug}/").content.decode()
    file = public_file(world)
    link = f"/en/dateien/{file.pk}/"
    assert link in html
    assert client.get(path(file)).status_code == 200


@pytest.mark.parametrize("attr", ["restricted_file", "secret_file"])
def test_non_public_files_are_not_found(client, world, attr):
    file = getattr(world, attr)
    response = client.get(path(file))
    assert response.status_code == 404
    assert world.marker not in response.content.decode()
    # A guessed canonical name does not help either, nor a wrong one.
    assert client.get(path(file, "x.pdf")).status_code == 404


def test_deleted_file_is_not_found(client, world):
    file = public_file(world)
    file.deleted_at = world.held_meeting.start
    file.save(update_fields=["deleted_at"])
    assert client.get(path(file)).status_code == 404


def test_file_of_a_paper_made_non_public_is_not_found_at_once(client, world):
    file = public_file(world)
    assert client.get(path(file)).status_code == 200
    world.public_paper.public = False
    world.public_paper.save(update_fields=["public"])
    assert client.get(path(file)).status_code == 404


def test_unknown_file_is_not_found(client, world):
    assert client.get("/en/dateien/99999999/x.pdf").status_code == 404


def test_missing_blob_is_a_404_with_a_warning(client, world, caplog):
    file = public_file(world)
    file.content.storage.delete(file.content.name)
    with caplog.at_level("WARNING", logger="publicportal.views.files"):
        response = client.get(path(file))
    assert response.status_code == 404
    assert any("missing" in record.getMessage() for record in caplog.records)

"""The reader's pages: who opens a document (the meeting rule of the member
downloads), what a withdrawn document or a non-PDF shows, the pack, and
that PDF.js is served by the project."""

import mimetypes

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from documents.services import file_attach
from tests.reader.conftest import make_note
from tests.sessions.pack_world import client_for

pytestmark = pytest.mark.django_db


def reader_url(meeting, file):
    return f"/mitglieder/dokumente/{meeting.pk}/{file.pk}/"


def test_a_member_of_the_committee_opens_a_non_public_document(world, hans):
    response = client_for(hans).get(reader_url(world.held_meeting, world.secret_file))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    config = response.context["reader_config"]
    assert config["pdfUrl"] == (
        f"/mappe/{world.held_meeting.pk}/dateien/{world.secret_file.pk}/"
    )
    assert config["userId"] == hans.pk
    assert config["fractions"] == [
        {"id": world.fraction.pk, "name": "Fraktion Bürgerliste"}
    ]
    assert config["pdfjs"]["module"].endswith("pdfjs/legacy/build/pdf.min.mjs")
    html = response.content.decode()
    assert 'id="reader-config"' in html
    assert "csrftoken" in response.cookies


def test_the_page_carries_no_notes_and_no_per_request_secret(world, hans, petra):
    make_note(hans, world, text="Nur im API sichtbar")
    make_note(petra, world, text="Petra geteilt", shared_with=world.fraction.pk)
    html = (
        client_for(hans)
        .get(reader_url(world.held_meeting, world.secret_file))
        .content.decode()
    )
    assert "Nur im API sichtbar" not in html
    assert "Petra geteilt" not in html
    assert "csrfmiddlewaretoken" not in html.split('id="reader-config"')[1]


@pytest.mark.parametrize("who", ["gerda", "otto_other_body", "anonymous"])
def test_others_get_the_same_404_as_for_a_missing_file(world, gerda, who):
    from tests.gremien.factories import BodyFactory, staff_of

    url = reader_url(world.held_meeting, world.secret_file)
    if who == "anonymous":
        response = Client().get(url)
        assert response.status_code == 302
        assert "/konto/anmelden/" in response["Location"]
        return
    user = gerda if who == "gerda" else staff_of(BodyFactory())
    client = client_for(user)
    assert client.get(url).status_code == 404
    missing = client.get(reader_url(world.held_meeting, world.secret_file) + "0/")
    assert missing.status_code == 404


def test_a_file_of_another_meeting_is_not_found(world, hans):
    response = client_for(hans).get(
        reader_url(world.council_meeting, world.secret_file)
    )
    assert response.status_code == 404


def test_staff_open_the_document_but_see_no_member_notes(world, hans, superuser):
    make_note(hans, world, text="Hans privat")
    for user in (world.clerk, superuser):
        response = client_for(user).get(
            reader_url(world.held_meeting, world.secret_file)
        )
        assert response.status_code == 200
        assert "Hans privat" not in response.content.decode()


def test_a_withdrawn_document_says_so_and_keeps_the_notes(world, hans):
    make_note(hans, world, text="bleibt")
    world.secret_file.deleted_at = timezone.now()
    world.secret_file.save(update_fields=["deleted_at"])
    response = client_for(hans).get(reader_url(world.held_meeting, world.secret_file))
    assert response.status_code == 410
    html = response.content.decode()
    assert response.context["reason"] == "withdrawn"
    assert response.context["own_count"] == 1
    assert "/mitglieder/dokumente/export/" in html


def test_notes_stay_reachable_when_access_to_the_meeting_ends(world, hans):
    make_note(hans, world, text="bleibt")
    world.held_meeting.deleted_at = timezone.now()
    world.held_meeting.save(update_fields=["deleted_at"])
    response = client_for(hans).get(reader_url(world.held_meeting, world.secret_file))
    assert response.status_code == 403
    assert response.context["reason"] == "access"
    assert "/mitglieder/dokumente/export/" in response.content.decode()


def test_a_document_that_is_no_pdf_is_offered_for_download(world, hans):
    table = file_attach(
        actor=None,
        owner=world.secret_item,
        upload=SimpleUploadedFile("zahlen.csv", b"a;b\n1;2\n", content_type="text/csv"),
        name="Zahlen",
    )
    response = client_for(hans).get(reader_url(world.held_meeting, table))
    assert response.status_code == 200
    assert response.templates[0].name == "reader/download.html"
    assert f"/mappe/{world.held_meeting.pk}/dateien/{table.pk}/" in (
        response.content.decode()
    )


def test_the_pack_opens_read_only_with_the_documents_to_annotate(world, hans, gerda):
    url = f"/mitglieder/dokumente/mappe/{world.held_meeting.pk}/"
    response = client_for(hans).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"/mitglieder/dokumente/{world.held_meeting.pk}/{world.secret_file.pk}/" in html
    )
    assert client_for(gerda).get(url).status_code == 404


def test_pdfjs_is_served_by_the_project_as_javascript_modules():
    for path in (
        "pdfjs/legacy/build/pdf.min.mjs",
        "pdfjs/legacy/build/pdf.worker.min.mjs",
        "pdfjs/standard_fonts/FoxitSerif.pfb",
        "pdfjs/cmaps/78-EUC-H.bcmap",
    ):
        assert finders.find(path), path
    assert mimetypes.guess_type("pdf.min.mjs")[0] == "text/javascript"


def test_opening_a_document_indexes_its_pages_once(world, hans):
    from reader.models import DocumentPages

    client = client_for(hans)
    url = reader_url(world.held_meeting, world.secret_file)
    client.get(url)
    [pages] = DocumentPages.objects.filter(sha256=world.secret_file.sha256)
    assert pages.page_count == 1
    client.get(url)
    assert DocumentPages.objects.count() == 1

"""Export of the member's own notes: printable page, Markdown and PDF."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from documents.services import file_attach, file_replace
from reader.services import annotation_update
from tests.reader.conftest import make_note, pages_pdf
from tests.sessions.pack_world import client_for

pytestmark = pytest.mark.django_db

URL = "/mitglieder/dokumente/export/"


@pytest.fixture
def notes(world, hans, petra, clock):
    report = file_attach(
        actor=None,
        owner=world.secret_item,
        upload=pages_pdf("Seite eins", "Seite zwei", "Seite drei", name="bericht.pdf"),
        name="Bericht zum Verkauf",
    )
    make_note(
        hans,
        world,
        kind="highlight",
        quote="Wertgutachten GEHEIM",
        rects=[[0.1, 0.1, 0.3, 0.02]],
        text="Gutachter fragen",
    )
    make_note(hans, world, file=report, page=2, text="Seite zwei geändert?")
    make_note(hans, world, file=report, page=3, text="Seite drei weg?")
    conflicted = make_note(hans, world, file=report, page=1, text="Ursprung")
    annotation_update(
        actor=hans, uuid=conflicted.uuid, base_revision=1, changes={"text": "Tablet"}
    )
    annotation_update(
        actor=hans, uuid=conflicted.uuid, base_revision=1, changes={"text": "Handy"}
    )
    make_note(petra, world, text="Petras geteilte Notiz", shared_with=world.fraction.pk)
    file_replace(
        actor=world.clerk,
        file=report,
        upload=pages_pdf("Seite eins", "Seite ZWEI neu", name="bericht-v2.pdf"),
    )
    return report


def test_the_export_page_lists_my_notes_with_their_marks(world, hans, notes):
    response = client_for(hans).get(URL)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    html = response.content.decode()
    assert "3. Sitzung des Bauausschusses" in html
    assert "Bericht zum Verkauf" in html
    for text in (
        "Wertgutachten GEHEIM",
        "Gutachter fragen",
        "Seite zwei geändert?",
        "Seite drei weg?",
        "Tablet",
        "Handy",
    ):
        assert text in html
    assert "Petras geteilte Notiz" not in html
    groups = response.context["groups"]
    [meeting] = groups
    labels = {
        a.text: a.labels
        for document in meeting.documents
        for page in document.pages
        for a in page.annotations
    }
    assert labels["Seite zwei geändert?"] == ["Seite wurde geändert"]
    assert labels["Seite drei weg?"] == ["Seite gibt es nicht mehr"]
    assert len(labels["Handy"]) == 1  # conflict copy
    assert labels["Tablet"] == []


def test_the_markdown_download(world, hans, notes):
    response = client_for(hans).get(URL + "?format=md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "## 3. Sitzung des Bauausschusses" in text
    assert "### Bericht zum Verkauf" in text
    assert "> Wertgutachten GEHEIM" in text
    assert "Gutachter fragen" in text
    assert text.index("Seite zwei geändert?") < text.index("Seite drei weg?")
    assert "Petras geteilte Notiz" not in text


def test_the_pdf_download(world, hans, notes):
    response = client_for(hans).get(URL + "?format=pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Gutachter fragen" in text
    assert "Petras geteilte Notiz" not in text


def test_notes_on_a_withdrawn_document_stay_in_the_export(world, hans):
    make_note(hans, world, text="noch da")
    world.secret_file.deleted_at = timezone.now()
    world.secret_file.save(update_fields=["deleted_at"])
    response = client_for(hans).get(URL)
    assert "noch da" in response.content.decode()
    [[annotation]] = [
        page.annotations
        for document in response.context["groups"][0].documents
        for page in document.pages
    ]
    assert annotation.mark == "document_gone"


def test_someone_without_notes_gets_an_empty_export(world, erika):
    response = client_for(erika).get(URL + "?format=md")
    assert response.status_code == 200
    assert response.content.decode().count("##") == 0

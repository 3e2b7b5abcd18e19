"""A new version of a document (``documents.services.file_replace``): notes
are kept, marked when their page changed, listed when their page is gone."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from documents.services import file_attach, file_replace
from reader.models import Annotation
from reader.pages import pages_of
from reader.selectors import (
    MARK_PAGE_CHANGED,
    MARK_PAGE_GONE,
    annotations_of_file,
)
from tests.gremien.factories import BodyFactory, staff_of
from tests.reader.conftest import make_note, pages_pdf
from tests.sessions.pack_world import client_for


@pytest.fixture
def report(world):
    """A three-page report attached to the non-public item of the held
    Bauausschuss meeting."""
    return file_attach(
        actor=None,
        owner=world.secret_item,
        upload=pages_pdf(
            "Erste Seite: Lage des Grundstücks",
            "Zweite Seite: Kaufpreis 120000 Euro",
            "Dritte Seite: Empfehlung",
            name="bericht.pdf",
        ),
        name="Bericht zum Verkauf",
    )


def note_on(user, world, report, page, text):
    return make_note(user, world, file=report, page=page, text=text)


def test_file_replace_keeps_the_file_and_changes_its_content(
    world, report, django_capture_on_commit_callbacks
):
    old_sha = report.sha256
    with django_capture_on_commit_callbacks(execute=True):
        replaced = file_replace(
            actor=world.clerk,
            file=report,
            upload=pages_pdf("Neu", "Neuer", name="bericht-v2.pdf"),
        )
    assert replaced.pk == report.pk
    assert replaced.sha256 != old_sha
    assert replaced.file_name == "bericht-v2.pdf"
    assert replaced.content.name.endswith(f"{replaced.sha256}.pdf")
    replaced.refresh_from_db()
    assert "Neuer" in replaced.text  # extracted again
    [entry] = [
        e
        for e in ModelLogEntry.objects.filter(
            action="wagtail.edit", object_id=str(report.pk)
        )
        if "replaced" in e.data
    ]
    assert entry.data["replaced"] == {
        "old_sha256": old_sha,
        "new_sha256": replaced.sha256,
    }


def test_file_replace_checks_rights_and_the_upload(world, report, hans):
    other_clerk = staff_of(BodyFactory())
    for actor in (hans, other_clerk):
        with pytest.raises(PermissionDenied):
            file_replace(actor=actor, file=report, upload=pages_pdf("Neu"))
    broken = SimpleUploadedFile("kaputt.pdf", b"%PDF-1.7 kaputt")
    with pytest.raises(ValidationError):
        file_replace(actor=world.clerk, file=report, upload=broken)
    report.refresh_from_db()
    assert report.file_name == "bericht.pdf"


def test_notes_survive_a_new_version_with_marks(world, report, hans):
    same = note_on(hans, world, report, 1, "Lage prüfen")
    changed = note_on(hans, world, report, 2, "Preis zu niedrig?")
    gone = note_on(hans, world, report, 3, "Empfehlung folgen")
    file_replace(
        actor=world.clerk,
        file=report,
        upload=pages_pdf(
            "Erste Seite: Lage des Grundstücks",
            "Zweite Seite: Kaufpreis 150000 Euro",
            name="bericht-v2.pdf",
        ),
    )
    report.refresh_from_db()
    marks = {a.pk: a.mark for a in annotations_of_file(user=hans, file=report)}
    assert marks == {
        same.pk: "",
        changed.pk: MARK_PAGE_CHANGED,
        gone.pk: MARK_PAGE_GONE,
    }
    assert Annotation.objects.filter(owner=hans, deleted_at__isnull=True).count() == 3


def test_the_api_lists_a_note_on_a_page_that_is_gone(world, report, hans):
    note = note_on(hans, world, report, 3, "Empfehlung folgen")
    file_replace(actor=world.clerk, file=report, upload=pages_pdf("Nur eine Seite"))
    response = client_for(hans).get(
        f"/mitglieder/dokumente/api/{world.held_meeting.pk}/{report.pk}/notizen/"
    )
    [listed] = response.json()["annotations"]
    assert listed["uuid"] == str(note.uuid)
    assert listed["text"] == "Empfehlung folgen"
    assert listed["mark"] == MARK_PAGE_GONE


def test_a_note_made_offline_on_the_old_version_is_kept_and_marked(world, report, hans):
    old_sha = report.sha256
    pages_of(report)  # the reader opened the old version
    file_replace(
        actor=world.clerk,
        file=report,
        upload=pages_pdf("Ganz anderer Text", "Zweite Seite: Kaufpreis 120000 Euro"),
    )
    report.refresh_from_db()
    # Sent after the replacement, made on page 1 and 3 of the old version.
    first = make_note(
        hans, world, file=report, page=1, text="offline 1", file_sha256=old_sha
    )
    third = make_note(
        hans, world, file=report, page=3, text="offline 3", file_sha256=old_sha
    )
    second = make_note(
        hans, world, file=report, page=2, text="offline 2", file_sha256=old_sha
    )
    marks = {a.pk: a.mark for a in annotations_of_file(user=hans, file=report)}
    assert marks == {
        first.pk: MARK_PAGE_CHANGED,
        second.pk: "",
        third.pk: MARK_PAGE_GONE,
    }


def test_a_note_on_a_page_beyond_the_document_is_kept_and_marked(world, hans):
    note = make_note(hans, world, page=7, uuid=uuid.uuid4())
    [listed] = annotations_of_file(user=hans, file=world.secret_file)
    assert listed.pk == note.pk and listed.mark == MARK_PAGE_GONE

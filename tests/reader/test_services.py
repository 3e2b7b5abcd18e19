"""Annotation services: create (idempotent), update (no overwrite of a newer
revision), delete (tombstones), limits and sharing."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reader.models import NOTE_MAX_CHARS, Annotation
from reader.pages import pages_of
from reader.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
)
from tests.reader.conftest import make_note


def test_a_note_keeps_the_version_and_page_it_was_made_on(world, hans):
    note = make_note(hans, world, text="Wer hat das Gutachten beauftragt?")
    note.refresh_from_db()
    assert note.owner == hans
    assert note.file_sha256 == world.secret_file.sha256
    pages = pages_of(world.secret_file)
    assert pages.page_count == 1
    assert note.page_text_hash == pages.page_hash(1) != ""
    assert note.revision == 1
    assert note.document_name == world.secret_file.name


def test_create_sent_twice_stores_one_note(world, hans):
    client_id = uuid.uuid4()
    first = make_note(hans, world, uuid=client_id)
    again = annotation_create(
        actor=hans,
        meeting=world.held_meeting,
        file=world.secret_file,
        uuid=client_id,
        page=1,
        kind="note",
        text="Nachfragen zum Kaufpreis",
    )
    assert not again.created
    assert again.annotation.pk == first.pk
    assert Annotation.objects.filter(owner=hans).count() == 1


def test_an_oversized_note_is_refused_whole(world, hans):
    with pytest.raises(ValidationError) as refused:
        make_note(hans, world, text="x" * (NOTE_MAX_CHARS + 1))
    error = refused.value.error_dict["text"][0]
    assert error.code == "note_too_long"
    assert "10.000" in error.message
    assert not Annotation.objects.exists()
    note = make_note(hans, world, text="y" * NOTE_MAX_CHARS)
    assert len(note.text) == NOTE_MAX_CHARS


def test_an_oversized_change_leaves_the_note_as_it_was(world, hans):
    note = make_note(hans, world, text="kurz")
    with pytest.raises(ValidationError):
        annotation_update(
            actor=hans,
            uuid=note.uuid,
            base_revision=1,
            changes={"text": "z" * (NOTE_MAX_CHARS + 1)},
        )
    note.refresh_from_db()
    assert (note.text, note.revision) == ("kurz", 1)


def test_highlight_needs_a_marked_passage_and_a_note_needs_text(world, hans):
    with pytest.raises(ValidationError):
        make_note(hans, world, kind="highlight", text="", rects=[])
    with pytest.raises(ValidationError):
        make_note(hans, world, kind="note", text="   ")
    with pytest.raises(ValidationError):
        make_note(hans, world, kind="highlight", rects=[[0.1, 0.2, "breit", 0.1]])
    highlight = make_note(
        hans,
        world,
        kind="highlight",
        text="",
        quote="Wertgutachten",
        rects=[[0.1, 0.2, 0.3, 0.02], [-0.1, 0.3, 0.5, 0.02]],
    )
    # Clipped to the page.
    assert highlight.rects == [[0.1, 0.2, 0.3, 0.02], [0.0, 0.3, 0.4, 0.02]]


def test_someone_without_access_to_the_meeting_cannot_annotate(world, gerda):
    with pytest.raises(PermissionDenied):
        make_note(gerda, world)
    assert not Annotation.objects.exists()


def test_a_file_not_of_the_meeting_cannot_be_annotated(world, hans):
    with pytest.raises(PermissionDenied):
        make_note(hans, world, meeting=world.council_meeting, file=world.secret_file)


def test_update_with_the_current_revision_changes_the_note(world, hans):
    note = make_note(hans, world, text="erste Fassung")
    result = annotation_update(
        actor=hans,
        uuid=note.uuid,
        base_revision=1,
        changes={"text": "zweite Fassung", "color": "green"},
    )
    assert result.status == "updated"
    note.refresh_from_db()
    assert (note.text, note.color, note.revision) == ("zweite Fassung", "green", 2)


def test_a_change_based_on_an_old_revision_keeps_both_versions(world, hans, clock):
    note = make_note(hans, world, text="Fassung A")
    # Another device changes the note first ...
    annotation_update(
        actor=hans, uuid=note.uuid, base_revision=1, changes={"text": "Fassung Tablet"}
    )
    # ... then the phone, which had revision 1, sends its change.
    result = annotation_update(
        actor=hans, uuid=note.uuid, base_revision=1, changes={"text": "Fassung Handy"}
    )
    assert result.status == "conflict"
    note.refresh_from_db()
    assert note.text == "Fassung Tablet"
    copy = result.copy
    assert copy.text == "Fassung Handy"
    assert copy.conflict_of == note
    assert copy.page == note.page and copy.file == note.file
    assert copy.shared_with is None
    texts = set(Annotation.objects.filter(owner=hans).values_list("text", flat=True))
    assert texts == {"Fassung Tablet", "Fassung Handy"}


def test_an_update_sent_again_after_a_lost_answer_makes_no_copy(world, hans):
    note = make_note(hans, world, text="alt")
    for _ in range(2):
        result = annotation_update(
            actor=hans, uuid=note.uuid, base_revision=1, changes={"text": "neu"}
        )
    assert result.status == "merged"
    assert Annotation.objects.filter(owner=hans).count() == 1
    note.refresh_from_db()
    assert (note.text, note.revision) == ("neu", 2)


def test_delete_leaves_a_tombstone_that_a_repeated_create_does_not_revive(world, hans):
    note = make_note(hans, world, text="vertraulicher Gedanke")
    result = annotation_delete(actor=hans, uuid=note.uuid, base_revision=1)
    assert result.status == "deleted"
    note.refresh_from_db()
    assert note.deleted and note.text == "" and note.revision == 2
    again = make_note(hans, world, uuid=note.uuid, text="vertraulicher Gedanke")
    assert again.pk == note.pk and again.deleted
    assert annotation_delete(actor=hans, uuid=note.uuid).status == "already_deleted"


def test_a_note_changed_elsewhere_is_not_deleted_by_an_older_view(world, hans):
    note = make_note(hans, world, text="alt")
    annotation_update(
        actor=hans, uuid=note.uuid, base_revision=1, changes={"text": "neuer"}
    )
    result = annotation_delete(actor=hans, uuid=note.uuid, base_revision=1)
    assert result.status == "kept"
    note.refresh_from_db()
    assert not note.deleted and note.text == "neuer"


def test_a_change_to_a_note_deleted_elsewhere_is_kept_as_a_copy(world, hans):
    note = make_note(hans, world, text="alt", quote="Kaufpreis")
    annotation_delete(actor=hans, uuid=note.uuid, base_revision=1)
    result = annotation_update(
        actor=hans, uuid=note.uuid, base_revision=1, changes={"text": "offline"}
    )
    assert result.status == "conflict"
    assert result.copy.text == "offline"
    assert not result.copy.deleted


def test_nobody_else_changes_or_deletes_a_note(world, hans, petra, superuser):
    note = make_note(hans, world, text="meins", shared_with=world.fraction.pk)
    for user in (petra, superuser, world.clerk):
        with pytest.raises(Annotation.DoesNotExist):
            annotation_update(
                actor=user, uuid=note.uuid, base_revision=1, changes={"text": "x"}
            )
        with pytest.raises(Annotation.DoesNotExist):
            annotation_delete(actor=user, uuid=note.uuid)
    note.refresh_from_db()
    assert note.text == "meins" and not note.deleted


def test_sharing_only_with_a_fraction_one_belongs_to(world, hans, other_fraction):
    shared = make_note(hans, world, shared_with=world.fraction.pk)
    assert shared.shared_with == world.fraction
    with pytest.raises(PermissionDenied):
        make_note(hans, world, shared_with=other_fraction.pk)
    with pytest.raises(PermissionDenied):
        make_note(hans, world, shared_with=world.bau.pk)  # a committee
    with pytest.raises(PermissionDenied):
        annotation_update(
            actor=hans,
            uuid=shared.uuid,
            base_revision=1,
            changes={"shared_with": other_fraction.pk},
        )
    assert Annotation.objects.count() == 1
    result = annotation_update(
        actor=hans, uuid=shared.uuid, base_revision=1, changes={"shared_with": None}
    )
    assert result.annotation.shared_with is None


def test_a_member_who_left_the_fraction_can_no_longer_share_with_it(world, hans):
    from gremien.models import Membership

    Membership.objects.filter(person=world.member, organization=world.fraction).update(
        end_date="2026-01-31"
    )
    # His council seat is still held on behalf of the fraction.
    assert make_note(hans, world, shared_with=world.fraction.pk).shared_with
    Membership.objects.filter(person=world.member, on_behalf_of=world.fraction).update(
        on_behalf_of=None
    )
    with pytest.raises(PermissionDenied):
        make_note(hans, world, shared_with=world.fraction.pk)

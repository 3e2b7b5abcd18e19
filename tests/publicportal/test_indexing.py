"""The search index holds exactly the public objects (``publicportal.indexing``)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.search.models import IndexEntry

from documents.models import File
from publicportal import indexing, visibility
from publicportal.models import SearchEntry
from publicportal.search import Criteria, run_search, uses_postgres
from sessions.models import AgendaItem, Meeting

Kind = SearchEntry.Kind


def entries(kind):
    return set(
        SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True)
    )


def found(query, body):
    """What the portal's search engine finds (PostgreSQL: ``search_vector``;
    SQLite, Elasticsearch: Wagtail's backend), up to 100 entries."""
    results = run_search(Criteria(body_id=body.pk, query=query, page_size=100))
    return {(entry.kind, entry.object_id) for entry in results.entries}


def backend_rows(entry_pks) -> int:
    """Rows of Wagtail's database backend for these entries."""
    return IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SearchEntry),
        object_id__in=[str(pk) for pk in entry_pks],
    ).count()


def test_the_index_holds_every_public_object_and_nothing_else(world):
    expected = {
        Kind.PAPER: visibility.public_papers(world.body),
        Kind.MEETING: visibility.public_meetings(world.body),
        Kind.AGENDA_ITEM: visibility.public_agenda_items().filter(
            meeting__body=world.body
        ),
        Kind.ORGANIZATION: visibility.public_organizations(world.body),
        Kind.PERSON: visibility.public_persons(world.body),
        Kind.FILE: visibility.public_files(world.body),
    }
    for kind, queryset in expected.items():
        assert entries(kind) == set(queryset.values_list("pk", flat=True)), kind
    assert world.secret_paper.pk not in entries(Kind.PAPER)
    assert world.closed_meeting.pk not in entries(Kind.MEETING)
    assert world.clerk_person.pk not in entries(Kind.PERSON)


def test_no_entry_carries_the_marker(world):
    marker = world.marker
    assert not SearchEntry.objects.filter(title__icontains=marker).exists()
    assert not SearchEntry.objects.filter(text__icontains=marker).exists()
    assert found(marker, world.body) == set()


def test_file_text_extracted_after_upload_is_indexed(world):
    file = File.objects.get(paper=world.public_paper, restricted=False)
    assert "Mühlenbach" in file.text
    entry = SearchEntry.objects.get(kind=Kind.FILE, object_id=file.pk)
    assert "Begründung zum Bebauungsplan Mühlenbach" in entry.text
    assert (Kind.FILE, file.pk) in found("Begründung", world.body)


def test_paper_entry_has_its_text_date_and_deciding_committee(world):
    entry = SearchEntry.objects.get(kind=Kind.PAPER, object_id=world.public_paper.pk)
    assert entry.title == "Bebauungsplan Nr. 12 Am Mühlenbach"
    assert "Wohnungen am Mühlenbach" in entry.text
    assert "<p>" not in entry.text
    assert world.public_paper.reference in entry.text
    assert entry.year == 2026 and entry.date == world.public_paper.date
    assert entry.organization == world.council, "the deciding committee"


def test_resolution_text_is_indexed_only_with_published_minutes(world):
    held = SearchEntry.objects.get(
        kind=Kind.AGENDA_ITEM, object_id=world.public_item.pk
    )
    assert "empfiehlt dem Rat den Beschluss" in held.text
    invited = SearchEntry.objects.get(
        kind=Kind.AGENDA_ITEM, object_id=world.council_item.pk
    )
    assert invited.organization == world.council


def test_a_paper_made_non_public_leaves_the_index_and_the_backend(
    world, django_capture_on_commit_callbacks
):
    paper = world.public_paper
    entry = SearchEntry.objects.get(kind=Kind.PAPER, object_id=paper.pk)
    assert (Kind.PAPER, paper.pk) in found("Wohnungen", world.body)
    with django_capture_on_commit_callbacks(execute=True):
        paper.public = False
        paper.save()
    assert paper.pk not in entries(Kind.PAPER)
    assert not SearchEntry.objects.filter(pk=entry.pk).exists(), "its vector too"
    assert backend_rows([entry.pk]) == 0
    assert found("Wohnungen", world.body) == set()
    files = set(File.objects.filter(paper=paper).values_list("pk", flat=True))
    assert not files & entries(Kind.FILE), "its files went with it"


def test_a_soft_deleted_meeting_takes_its_items_and_files_along(
    world, django_capture_on_commit_callbacks, clock
):
    meeting = world.held_meeting
    items = set(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
    assert items & entries(Kind.AGENDA_ITEM)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.deleted_at = timezone.now()
        meeting.save()
    assert meeting.pk not in entries(Kind.MEETING)
    assert not items & entries(Kind.AGENDA_ITEM)
    assert not set(
        File.objects.filter(meeting=meeting).values_list("pk", flat=True)
    ) & entries(Kind.FILE)


def test_a_renamed_committee_is_found_by_its_new_name(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world.bau.name = "Ausschuss für Stadtentwicklung"
        world.bau.save()
    hits = found("Stadtentwicklung", world.body)
    assert (Kind.ORGANIZATION, world.bau.pk) in hits
    assert (Kind.MEETING, world.held_meeting.pk) in hits, "meetings show it"


def test_a_hard_deleted_file_loses_its_entry(world, django_capture_on_commit_callbacks):
    file = File.objects.get(paper=world.public_paper, restricted=False)
    with django_capture_on_commit_callbacks(execute=True):
        file.delete()
    assert file.pk not in entries(Kind.FILE)


def test_changes_of_one_transaction_become_one_task(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for name in ("Eins", "Zwei", "Drei"):
            world.public_paper.name = name
            world.public_paper.save()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert (
        SearchEntry.objects.get(kind=Kind.PAPER, object_id=world.public_paper.pk).title
        == "Drei"
    )


def test_index_related_names_what_depends_on_a_meeting(world):
    related = indexing.index_related(world.held_meeting)
    assert world.held_meeting.pk in related[Kind.MEETING]
    assert world.public_item.pk in related[Kind.AGENDA_ITEM]
    assert world.secret_item.pk in related[Kind.AGENDA_ITEM], "to be removed"


def test_rebuild_restores_a_damaged_index_and_drops_stale_entries(world):
    paper_entry = SearchEntry.objects.get(
        kind=Kind.PAPER, object_id=world.public_paper.pk
    )
    SearchEntry.objects.filter(kind=Kind.FILE).delete()
    stale = SearchEntry.objects.create(
        body=world.body, kind=Kind.PAPER, object_id=world.secret_paper.pk, title="x"
    )
    Meeting.objects.filter(pk=world.council_meeting.pk).update(public=False)

    counts = indexing.index_rebuild(world.body, log=lambda line: None)

    assert counts[Kind.FILE] == visibility.public_files(world.body).count()
    assert entries(Kind.FILE)
    assert not SearchEntry.objects.filter(pk=stale.pk).exists()
    assert world.council_meeting.pk not in entries(Kind.MEETING)
    assert world.council_item.pk not in entries(Kind.AGENDA_ITEM)
    same = SearchEntry.objects.get(kind=Kind.PAPER, object_id=world.public_paper.pk)
    assert same.pk == paper_entry.pk, "entries keep their ids"
    assert (Kind.PAPER, world.public_paper.pk) in found("Mühlenbach", world.body)
    pks = list(SearchEntry.objects.values_list("pk", flat=True))
    if uses_postgres():
        # The fast path replaces Wagtail's database backend: vectors, no rows.
        assert not SearchEntry.objects.filter(search_vector__isnull=True).exists()
        assert backend_rows(pks) == 0
    else:
        assert backend_rows(pks) == len(pks)


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL fast path"
)


@postgresql
def test_postgresql_finds_inflected_forms(world):
    assert uses_postgres()
    assert (Kind.PAPER, world.public_paper.pk) in found("Bebauungspläne", world.body)
    assert (Kind.PAPER, world.public_paper.pk) in found("Wohnung", world.body)


@postgresql
def test_postgresql_vector_follows_a_changed_title(
    world, django_capture_on_commit_callbacks
):
    paper = world.public_paper
    with django_capture_on_commit_callbacks(execute=True):
        paper.name = "Kita Sonnenblume"
        paper.save()
    assert (Kind.PAPER, paper.pk) in found("Sonnenblumen", world.body)
    entry = SearchEntry.objects.get(kind=Kind.PAPER, object_id=paper.pk)
    assert "'sonnenblum':2A" in entry.search_vector, "the title weighs A"

"""Non-public agenda items, papers, files and meetings do not exist for the
API: no id, no count, no reference, no embedded copy anywhere."""

import pytest

from tests.oparl.api import Crawl, object_key

pytestmark = pytest.mark.django_db


def hidden(world) -> set[tuple[str, int]]:
    w = world
    called_off_items = {
        ("agendaitem", item.pk) for item in w.called_off.agenda_items.all()
    }
    return called_off_items | {
        ("paper", w.secret_paper.pk),
        ("paper", w.draft_paper.pk),
        ("paper", w.withdrawn_draft.pk),
        ("file", w.secret_file.pk),
        ("file", w.restricted_file.pk),
        ("file", w.hidden_item_file.pk),
        ("file", w.early_minutes.pk),
        ("agendaitem", w.secret_item.pk),
        ("agendaitem", w.council_secret.pk),
        ("agendaitem", w.hidden_parent.pk),
        ("agendaitem", w.hidden_child.pk),
        ("meeting", w.closed_meeting.pk),
        ("person", w.clerk_person.pk),
        ("consultation", w.secret_item.consultation.pk),
    }


def deleted(world) -> set[tuple[str, int]]:
    return {
        ("paper", world.deleted_paper.pk),
        ("file", world.deleted_file.pk),
        ("file", world.gone_file.pk),
        ("agendaitem", world.removed_item.pk),
        ("person", world.deleted_person.pk),
        ("organization", world.deleted_organization.pk),
    }


def names(crawl: Crawl, world, path: str) -> set[str]:
    return {e["name"] for e in crawl.lists[f"/oparl/v1.1/body/{world.body.pk}/{path}"]}


def test_non_public_and_deleted_objects_are_never_named(client, world):
    crawl = Crawl(client).run()

    assert crawl.mentioned() & (hidden(world) | deleted(world)) == set()


def test_deleted_objects_are_named_only_as_tombstones_in_changes(client, world):
    crawl = Crawl(client, query="modified_since=2000-01-01T00:00:00Z").run()

    assert crawl.mentioned() & hidden(world) == set()
    assert deleted(world) <= crawl.mentioned()


def test_lists_and_their_counts_hold_only_public_objects(client, world):
    crawl = Crawl(client).run()

    for answer in crawl.answers.values():
        if "pagination" in answer:
            figures = answer["pagination"]
            on_page = min(
                figures["elementsPerPage"],
                figures["totalElements"]
                - (figures["currentPage"] - 1) * figures["elementsPerPage"],
            )
            assert len(answer["data"]) == on_page
    for url, entries in crawl.lists.items():
        first = crawl.answers[url]
        assert first["pagination"]["totalElements"] == len(entries), url
    assert names(crawl, world, "paper") == {"Bebauungsplan Nr. 12 Am Mühlenbach"}
    assert names(crawl, world, "meeting") == {
        "3. Sitzung des Bauausschusses",
        "4. Sitzung des Bauausschusses",
        "5. Sitzung des Rates",
        "6. Sitzung des Rates",
        "Sondersitzung des Bauausschusses",
    }
    assert names(crawl, world, "agendaitem") == {
        "Eröffnung der Sitzung",
        "Bebauungsplan Nr. 12 Am Mühlenbach",
        "Mitteilungen",
        "Einwohnerfragestunde",
    }
    assert names(crawl, world, "file") == {
        "Begründung",
        "Lageplan",
        "Geänderte Tagesordnung",
        "Beschluss",
        "Einladung",
    }
    assert names(crawl, world, "person") == {
        "Erika Mustermann",
        "Hans Beispiel",
        "Gerda Früher",
    }
    consultations = crawl.lists[f"/oparl/v1.1/body/{world.body.pk}/consultation"]
    assert {object_key(c["paper"]) for c in consultations} == {
        ("paper", world.public_paper.pk)
    }

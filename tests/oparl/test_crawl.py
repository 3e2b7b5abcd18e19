"""A client walks the whole API from the System object: every address it
finds answers, every object is in exactly one list (its type's list of its
body), and nothing of the non-public twins (all carrying the marker) ever
appears."""

from collections import Counter

import pytest

from tests.oparl.api import API, Crawl, contains, object_key

pytestmark = pytest.mark.django_db


def body_lists(crawl: Crawl) -> dict[str, list[dict]]:
    """The System's body list and the lists of the bodies (not the
    organizations' lists, which repeat a part of a body's list)."""
    return {
        url: entries
        for url, entries in crawl.lists.items()
        if url == f"{API}body" or url.startswith(f"{API}body/")
    }


def test_every_address_resolves_and_every_object_is_in_exactly_one_list(client, world):
    crawl = Crawl(client).run()

    assert crawl.failures == []
    listed = Counter()
    home = {}
    for url, entries in body_lists(crawl).items():
        keys = [object_key(entry["id"]) for entry in entries]
        assert len(keys) == len(set(keys)), f"{url} names an object twice"
        listed.update(keys)
        home.update(dict.fromkeys(keys, url))
    mentioned = crawl.mentioned()
    assert len(mentioned) > 30
    assert {key for key in mentioned if listed[key] != 1} == set()
    for (path, _pk), url in home.items():
        expected = f"{API}body" if path == "body" else f"/{path}"
        assert url.endswith(expected), (path, url)
    # an object in a list is the object at its address
    objects = crawl.objects()
    for entries in body_lists(crawl).values():
        for entry in entries:
            assert objects[object_key(entry["id"])] == entry
    for url, entries in crawl.lists.items():
        if url.startswith(f"{API}organization/"):
            assert {object_key(e["id"]) for e in entries} <= set(listed), url


def test_the_marker_of_the_non_public_twins_appears_in_no_answer(client, world):
    for query in ("", "modified_since=2000-01-01T00:00:00Z"):
        crawl = Crawl(client, query=query).run()

        assert crawl.failures == []
        assert len(crawl.raw) > 60
        leaks = [
            content[:300] for content in crawl.raw if contains(content, world.marker)
        ]
        assert leaks == []


def test_with_modified_since_the_deleted_objects_answer_as_tombstones(client, world):
    crawl = Crawl(client, query="modified_since=2000-01-01T00:00:00Z").run()

    tombstones = {
        object_key(entry["id"])
        for entries in body_lists(crawl).values()
        for entry in entries
        if entry.get("deleted")
    }
    assert tombstones == {
        ("paper", world.deleted_paper.pk),
        ("file", world.deleted_file.pk),
        ("file", world.gone_file.pk),
        ("agendaitem", world.removed_item.pk),
        ("organization", world.deleted_organization.pk),
        ("person", world.deleted_person.pk),
    }
    objects = crawl.objects()
    for key in tombstones:
        assert objects[key]["deleted"] is True
        assert set(objects[key]) == {"id", "type", "created", "modified", "deleted"}

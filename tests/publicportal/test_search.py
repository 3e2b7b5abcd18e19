"""The search page ``/suche/``: what a visitor finds, and what never."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from documents.models import File
from documents.services import paper_create, paper_release
from publicportal import indexing
from publicportal.models import SearchEntry
from publicportal.search import Criteria, uses_postgres
from publicportal.search.postgres import count_facets
from publicportal.views.search import MAX_QUERY_LENGTH, highlight, snippet, stems

Kind = SearchEntry.Kind


def search(client, **params):
    response = client.get("/en/suche/", params)
    assert response.status_code == 200
    return response


def hit_urls(response) -> list[str]:
    return [hit.url for hit in response.context["hits"]]


def paper_url(response, paper):
    return response.context["links"].paper(paper)


def test_a_paper_is_found_by_a_word_of_its_facts_and_its_file_by_its_text(
    client, world
):
    response = search(client, q="Wohnungen")
    assert paper_url(response, world.public_paper) in hit_urls(response)
    html = response.content.decode()
    assert "<mark>Wohnungen</mark>" in html
    assert 'role="status"' in html

    response = search(client, q="Begründung Mühlenbach", typ="file")
    file = File.objects.get(paper=world.public_paper, restricted=False)
    links = response.context["links"]
    [hit] = response.context["hits"]
    assert hit.url == links.file(file)
    assert hit.owner_url == links.paper(world.public_paper)
    assert links.paper(world.public_paper) in response.content.decode()


def test_the_marker_of_non_public_things_is_never_found(client, world):
    for query in (world.marker, "Kaufpreis", "Wertgutachten", "Personalangelegenheit"):
        response = search(client, q=query)
        assert response.context["total"] == 0, query
        assert response.context["hits"] == []
        assert 'class="card search-hit"' not in response.content.decode()


def test_a_paper_switched_to_non_public_disappears(
    client, world, django_capture_on_commit_callbacks
):
    paper = world.public_paper
    before = search(client, q="Wohnungen")
    assert paper_url(before, paper) in hit_urls(before)
    with django_capture_on_commit_callbacks(execute=True):
        paper.public = False
        paper.save()
    response = search(client, q="Wohnungen")
    assert response.context["total"] == 0
    assert not SearchEntry.objects.filter(kind=Kind.PAPER, object_id=paper.pk).exists()
    assert search(client, q="Mühlenbach", typ="file").context["total"] == 0


def test_a_deleted_paper_disappears(client, world, django_capture_on_commit_callbacks):
    paper = world.public_paper
    with django_capture_on_commit_callbacks(execute=True):
        paper.deleted_at = timezone.now()
        paper.save()
    assert search(client, q="Wohnungen").context["total"] == 0
    assert not SearchEntry.objects.filter(kind=Kind.PAPER, object_id=paper.pk).exists()


def test_a_stale_entry_is_filtered_out_at_query_time(client, world):
    stale = SearchEntry.objects.create(
        body=world.body,
        kind=Kind.PAPER,
        object_id=world.secret_paper.pk,
        title="Veraltet Eintrag",
    )
    get_search_backend().add(stale)
    indexing._write_vectors([stale.pk])  # PostgreSQL: findable through the vector
    response = search(client, q="Veraltet")
    assert response.context["hits"] == []
    assert "Grundstücksverkauf" not in response.content.decode()


def test_facets_count_by_type_committee_and_year(client, world):
    response = search(client, q="Bebauungsplan")
    facets = {facet.name: facet for facet in response.context["facets"]}
    kinds = {option.label: option.count for option in facets["typ"].options}
    assert kinds["Paper"] == 1
    assert kinds["File"] == 1
    assert kinds["Agenda item"] == 2, "held and invited meeting"
    years = {option.label: option.count for option in facets["jahr"].options}
    assert years == {"2026": response.context["total"]}
    committees = {option.label: option.count for option in facets["gremium"].options}
    assert committees["Rat der Stadt"] >= 2

    filtered = search(client, q="Bebauungsplan", gremium=world.bau.pk)
    assert filtered.context["total"] == committees.get("Bauausschuss", 0)
    assert "Remove all filters" in filtered.content.decode()
    only_papers = search(client, q="Bebauungsplan", typ="paper")
    assert only_papers.context["total"] == 1


def test_bad_parameters_are_ignored(client, world):
    response = search(
        client,
        q="Bebauungsplan",
        typ="nonsense",
        gremium="abc",
        jahr="99999",
        sortierung="x",
        seite="-4",
    )
    assert response.context["total"] >= 3
    for query in ('"', "AND OR * ( ) :", "-", "a" * 5000, "NEAR(x y)", "'", "a\x00b"):
        response = search(client, q=query, seite="999999")
        assert len(response.context["params"].query) <= MAX_QUERY_LENGTH


def test_empty_query_shows_help_and_no_results_show_ways_on(client, world):
    html = search(client).content.decode()
    assert "How to search" in html
    assert "/en/sitzungen/" in html and "/en/vorlagen/" in html

    response = search(client, q="Zebrastreifenkataster", typ="meeting")
    html = response.content.decode()
    assert "Nothing found" in html
    assert "Check the spelling" in html
    assert "Search again without filters" in html
    assert "/en/gremien/" in html


def test_german_page_by_default(client, world):
    response = client.get("/suche/", {"q": "Wohnungen"})
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()


@pytest.fixture
def many_papers(world, django_capture_on_commit_callbacks):
    papers = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(25):
            paper = paper_create(
                actor=None,
                body=world.body,
                name=f"Radweg Abschnitt {number + 1}",
                date=dt.date(2025, 1, 1) + dt.timedelta(days=10 * number),
                public=True,
                facts="<p>Ausbau des Radwegs.</p>",
            )
            papers.append(paper_release(actor=None, paper=paper))
    return papers


def test_results_come_in_pages_of_twenty(client, world, many_papers):
    first = search(client, q="Radweg")
    assert first.context["total"] == 25
    assert len(first.context["hits"]) == 20
    html = first.content.decode()
    assert 'aria-label="Result pages"' in html
    assert 'start="1"' in html

    second = search(client, q="Radweg", seite=2)
    assert len(second.context["hits"]) == 5
    html = second.content.decode()
    assert 'start="21"' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in html
    shown = set(hit_urls(first)) | set(hit_urls(second))
    assert len(shown) == 25


def test_date_sort_puts_the_newest_first(client, world, many_papers):
    response = search(client, q="Radweg", sortierung="datum")
    dates = [hit.entry.date for hit in response.context["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == many_papers[-1].date
    assert response.context["params"].sort == "datum"


def test_highlighting_matches_inflected_forms_and_escapes():
    prefixes = stems("Bebauungspläne")
    assert str(highlight("Der Bebauungsplan <b>", prefixes)) == (
        "Der <mark>Bebauungsplan</mark> &lt;b&gt;"
    )
    assert "<mark>Sitzungen</mark>" in str(highlight("Sitzungen", stems("Sitzung")))
    long_text = "Anfang " + "Füllwort " * 100 + "Radweg am Ende"
    text = str(snippet(long_text, stems("Radweg")))
    assert text.startswith("… ") and "<mark>Radweg</mark>" in text
    assert len(text) < 400


def test_facet_counts_drill_down_with_the_other_filters():
    groups = [
        ("paper", 1, 2026, 3),
        ("paper", 2, 2025, 1),
        ("file", 1, 2026, 2),
        ("meeting", None, 2026, 4),
    ]
    total, facets = count_facets(groups, Criteria(body_id=1, query="x"))
    assert total == 10
    assert facets["kind"] == {"paper": 4, "file": 2, "meeting": 4}
    assert facets["organization_id"] == {1: 5, 2: 1, None: 4}
    assert facets["year"] == {2026: 9, 2025: 1}

    criteria = Criteria(body_id=1, query="x", kind="paper", year=2026)
    total, facets = count_facets(groups, criteria)
    assert total == 3
    assert facets["kind"] == {"paper": 3, "file": 2, "meeting": 4}, "year applied"
    assert facets["year"] == {2026: 3, 2025: 1}, "type applied"
    assert facets["organization_id"] == {1: 3}, "type and year applied"

    assert count_facets([], Criteria(body_id=1, query="x")) == (0, {})
    assert count_facets([], criteria) == (
        0,
        {"kind": {}, "organization_id": {}, "year": {}},
    )


# --- the PostgreSQL fast path (``publicportal.search.postgres``) ---------------

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL fast path"
)


@postgresql
def test_postgresql_stems_german_words(client, world):
    assert uses_postgres()
    for query in ("Bebauungspläne", "Wohnung", "Bebauungsplans"):
        response = search(client, q=query)
        assert paper_url(response, world.public_paper) in hit_urls(response), query
    html = search(client, q="Wohnung").content.decode()
    assert "<mark>Wohnungen</mark>" in html


@postgresql
def test_postgresql_reads_phrases_or_and_exclusion(client, world):
    paper = world.public_paper
    phrase = search(client, q='"Wohnungen am Mühlenbach"')
    assert paper_url(phrase, paper) in hit_urls(phrase)
    assert search(client, q='"Mühlenbach Wohnungen"').context["total"] == 0
    either = search(client, q="Zebrastreifenkataster or Wohnungen")
    assert paper_url(either, paper) in hit_urls(either)
    assert search(client, q="Wohnungen -Mühlenbach").context["total"] == 0
    assert search(client, q="Zebrastreifenkataster Wohnungen").context["total"] == 0


@postgresql
def test_postgresql_never_finds_non_public_things(client, world):
    assert not SearchEntry.objects.filter(search_vector__isnull=True).exists()
    for query in (world.marker, "Kaufpreis", "Wertgutachten", "Personalangelegenheit"):
        for params in ({}, {"sortierung": "datum"}, {"typ": "paper"}):
            response = search(client, q=query, **params)
            assert response.context["total"] == 0, query
            assert not any(facet.options for facet in response.context["facets"])
            assert 'class="card search-hit"' not in response.content.decode()


@postgresql
def test_postgresql_facets_and_total_agree(client, world):
    response = search(client, q="Bebauungsplan")
    facets = {facet.name: facet for facet in response.context["facets"]}
    total = response.context["total"]
    assert sum(option.count for option in facets["typ"].options) == total
    for option in facets["typ"].options:
        narrowed = client.get(option.url)
        assert narrowed.context["total"] == option.count, option.label


@postgresql
def test_postgresql_date_sort_newest_first_then_undated(client, world, many_papers):
    first = search(client, q="Radweg", sortierung="datum")
    second = search(client, q="Radweg", sortierung="datum", seite=2)
    dates = [hit.entry.date for hit in first.context["hits"] + second.context["hits"]]
    assert dates == sorted((paper.date for paper in many_papers), reverse=True)

    mixed = search(client, q="Rat", sortierung="datum")
    dates = [hit.entry.date for hit in mixed.context["hits"]]
    assert None in dates, "the committee itself has no date"
    dated = dates[: dates.index(None)]
    assert dated and dated == sorted(dated, reverse=True)
    assert set(dates[len(dated) :]) == {None}, "undated entries last"

"""The search page ``/suche/``: what a visitor finds, and what never."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from documents.models import File
from documents.services import paper_create, paper_release
from publicportal.models import SearchEntry
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

"""Paper pages of the public portal: the list with its filters and one paper
with its text, files and whole consultation path."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import PaperType
from documents.services import file_attach, paper_create, paper_release
from publicportal.links import PortalLinks, paper_key
from sessions.models import Consultation
from sessions.services.consultations import (
    consultation_path_set,
    consultation_record_result,
)
from tests.gremien.factories import OrganizationFactory
from tests.publicportal.world import pdf_upload
from tests.sessions.agenda_factories import hold

pytestmark = pytest.mark.django_db


def paper_url(paper, language=""):
    return f"{language}/vorlagen/{paper_key(paper)}/"


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def released_paper(world, name, *, files=0, steps=(), **fields):
    paper = paper_create(
        actor=None, body=world.body, name=name, date=dt.date(2026, 10, 1), **fields
    )
    if steps:
        consultation_path_set(actor=world.clerk, paper=paper, steps=list(steps))
    for number in range(files):
        file_attach(
            actor=None,
            owner=paper,
            upload=pdf_upload("Anlage zur Vorlage", f"anlage-{number}.pdf"),
            name=f"Anlage {number + 1}",
        )
    return paper_release(actor=None, paper=paper)


# --- one paper ---------------------------------------------------------------


def test_paper_page_shows_text_and_public_files_only(client, world):
    html = get_html(client, paper_url(world.public_paper, "/en"))

    assert html.count("<h1") == 1
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in html
    assert world.public_paper.reference in html
    assert "Der Bebauungsplan ermöglicht Wohnungen am Mühlenbach." in html
    public_file = world.public_paper.files.get(restricted=False)
    links = PortalLinks(world.portal)
    assert links.file(public_file) in html
    assert "Begründung" in html and "PDF" in html
    assert f"/dateien/{world.restricted_file.pk}/" not in html
    assert world.marker not in html


def test_paper_page_shows_the_whole_consultation_path_with_outcomes(client, world):
    html = get_html(client, paper_url(world.public_paper, "/en"))
    path = html.split('id="paper-path"')[1]

    assert "<caption>" in path and 'scope="col"' in path
    bau_row, council_row = re.findall(r"<tr>\s*<td data-label.*?</tr>", path, re.S)
    assert "Bauausschuss" in bau_row and "Rat der Stadt" in council_row
    assert "preliminary consultation" in bau_row
    assert "deciding" in council_row
    # Held with published minutes: date, outcome and resolution text.
    assert f'/sitzungen/{world.held_meeting.slug}/"' in bau_row
    assert "Nov. 10, 2026" in bau_row, "English date format on /en/"
    assert "recommended" in bau_row
    assert "Der Bauausschuss empfiehlt dem Rat den Beschluss." in bau_row
    # Invited, not yet held: the date, but no outcome yet.
    assert f'/sitzungen/{world.council_meeting.slug}/"' in council_row
    assert "Dec. 3, 2026" in council_row
    assert "recommended" not in council_row and "open" in council_row


def test_result_shows_once_held_and_resolution_once_minutes_are_published(
    client, world, clock
):
    hold(world.clerk, world.council_meeting, clock)
    consultation_record_result(
        actor=world.clerk,
        agenda_item=world.council_item,
        result="accepted",
        resolution_text="<p>Der Rat beschließt den Bebauungsplan Nr. 12.</p>",
    )
    html = get_html(client, paper_url(world.public_paper, "/en"))
    council_row = html.split('id="paper-path"')[1].split("<tr>")[-1]
    assert "accepted" in council_row
    assert "Der Rat beschließt den Bebauungsplan" not in html


def test_german_paper_page_uses_the_dash_address(client, world):
    assert "/" in world.public_paper.reference
    html = get_html(client, paper_url(world.public_paper))
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in html
    assert 'aria-current="page">Papers<' in html or 'aria-current="page"' in html


def test_steps_without_a_meeting_are_listed_as_not_yet_scheduled(client, world):
    committee = OrganizationFactory(body=world.body, name="Umweltausschuss")
    paper = released_paper(
        world,
        "Baumschutzsatzung",
        steps=[
            ([committee], Consultation.Role.PRELIMINARY),
            ([world.council], Consultation.Role.DECIDING),
        ],
    )
    html = get_html(client, paper_url(paper, "/en"))
    path = html.split('id="paper-path"')[1]
    assert path.count("not yet scheduled") == 2
    assert "Umweltausschuss" in path and "Rat der Stadt" in path


@pytest.mark.parametrize("which", ["secret_paper", "draft_paper"])
def test_non_public_and_draft_papers_are_not_found(client, world, which):
    paper = getattr(world, which)
    response = client.get(paper_url(paper, "/en"))
    assert response.status_code == 404
    assert world.marker not in response.content.decode()


def test_unknown_paper_reference_is_not_found(client, world):
    assert client.get("/vorlagen/VO-1999-0001/").status_code == 404
    assert client.get("/vorlagen/nichts/").status_code == 404
    assert client.get("/vorlagen/99999999999999999999999/").status_code == 404


def test_paper_of_another_body_is_not_found(client, world):
    other = OrganizationFactory(name="Rat Anderswo", kind="council").body
    paper = paper_create(
        actor=None,
        body=other,
        name="Vorlage anderswo",
        date=dt.date(2026, 10, 1),
        reference="VO/2026/0999",
    )
    paper = paper_release(actor=None, paper=paper)
    assert client.get(paper_url(paper)).status_code == 404


def test_paper_page_queries_do_not_grow_with_files_and_steps(client, world):
    committee = OrganizationFactory(body=world.body, name="Umweltausschuss")
    small = released_paper(
        world,
        "Kleine Vorlage",
        files=1,
        steps=[([world.council], Consultation.Role.DECIDING)],
    )
    large = released_paper(
        world,
        "Große Vorlage",
        files=8,
        steps=[
            ([committee], Consultation.Role.PRELIMINARY),
            ([world.bau, committee], Consultation.Role.PRELIMINARY),
            ([world.council], Consultation.Role.DECIDING),
        ],
    )
    counts = []
    for paper in (small, large):
        client.get(paper_url(paper))  # warm caches (site, portal)
        with CaptureQueriesContext(connection) as queries:
            html = get_html(client, paper_url(paper))
        counts.append(len(queries))
    assert html.count("Anlage ") >= 8
    assert counts[0] == counts[1], counts


# --- the list ------------------------------------------------------------------


def test_paper_list_shows_public_papers_only(client, world):
    html = get_html(client, "/en/vorlagen/")
    assert html.count("<h1") == 1
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in html
    assert (
        PortalLinks(world.portal)
        .paper(world.public_paper)
        .replace("/vorlagen/", "/en/vorlagen/")
        in html
        or paper_url(world.public_paper, "/en") in html
    )
    assert world.marker not in html
    assert 'aria-current="page">Papers</a>' in html


def test_paper_list_has_labelled_filters_and_feed_links(client, world):
    html = get_html(client, "/en/vorlagen/")
    for name in ("typ", "jahr", "gremium", "status"):
        assert f'<label for="filter-{name}">' in html
        assert f'id="filter-{name}"' in html
    assert '<button type="submit">' in html
    assert "/feeds/vorlagen.rss" in html and "/feeds/vorlagen.atom" in html
    assert 'rel="alternate" type="application/rss+xml"' in html


def test_paper_list_filters(client, world):
    name = "Bebauungsplan Nr. 12 Am Mühlenbach"
    assert name in get_html(client, "/vorlagen/?typ=Beschlussvorlage&jahr=2026")
    assert name not in get_html(client, f"/vorlagen/?typ={PaperType.MOTION}")
    assert name in get_html(client, f"/vorlagen/?gremium={world.bau.pk}")
    assert name in get_html(client, "/vorlagen/?status=in_consultation")
    assert name not in get_html(client, "/vorlagen/?status=decided")
    idle = OrganizationFactory(body=world.body, name="Umweltausschuss")
    html = get_html(client, f"/en/vorlagen/?gremium={idle.pk}")
    assert name not in html and "No papers match these filters." in html


@pytest.mark.parametrize(
    "query",
    [
        "jahr=abc",
        "jahr=1999",
        "gremium=x",
        "gremium=999999",
        "typ=%00",
        "status=draft",
        "seite=999",
        "seite=-1",
        "seite=abc",
        "jahr=2026&jahr=2025&gremium=",
    ],
)
def test_bad_filter_values_are_ignored(client, world, query):
    html = get_html(client, f"/vorlagen/?{query}")
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in html
    assert world.marker not in html


def test_paper_list_is_paginated_newest_first(client, world):
    for number in range(26):
        paper = paper_create(
            actor=None,
            body=world.body,
            name=f"Anfrage Nummer {number}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=number),
            paper_type=PaperType.INQUIRY,
        )
        paper_release(actor=None, paper=paper)
    first = get_html(client, "/en/vorlagen/?typ=Anfrage")
    assert first.count('class="card"') == 25
    assert first.index("Anfrage Nummer 25") < first.index("Anfrage Nummer 24")
    assert "Anfrage Nummer 0<" not in first
    assert "typ=Anfrage&amp;seite=2" in first
    second = get_html(client, "/en/vorlagen/?typ=Anfrage&seite=2")
    assert second.count('class="card"') == 1
    assert "Anfrage Nummer 0<" in second

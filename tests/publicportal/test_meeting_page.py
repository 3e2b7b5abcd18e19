"""The page of one meeting: agenda, papers, files, results, minutes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.services import file_attach, paper_create, paper_release
from sessions.models import Consultation
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import consultation_path_set
from sessions.services.lifecycle import meeting_create
from tests.publicportal.world import berlin, pdf_upload
from tests.sessions.agenda_factories import invite

pytestmark = pytest.mark.django_db


def url(meeting, lang="/en"):
    return f"{lang}/sitzungen/{meeting.slug}/"


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_held_meeting_shows_agenda_results_resolutions_and_minutes(client, world):
    html = page(client, url(world.held_meeting))

    assert world.held_meeting.name in html
    assert "Bauausschuss" in html and "Rathaus, Ratssaal" in html
    assert world.public_paper.name in html and world.public_paper.reference in html
    assert "empfohlen" in html  # the result
    assert "Der Bauausschuss empfiehlt dem Rat den Beschluss." in html
    assert "Minutes (public part)" in html
    assert "Begründung" in html  # the paper's public file
    assert "/en/dateien/" in html
    assert 'datetime="2026-11-10T17:00:00+01:00"' in html
    assert world.marker not in html  # secret item, its resolution, restricted file


def test_invited_meeting_shows_agenda_without_results(client, world):
    html = page(client, url(world.council_meeting))

    assert world.public_paper.name in html
    assert "Result:" not in html and "Minutes (public part)" not in html
    assert f"/en/feeds/sitzung-{world.council_meeting.slug}.ics" in html
    assert world.marker not in html


def test_cancelled_meeting_says_so_with_reason(client, world):
    html = page(client, url(world.cancelled))
    assert "This meeting has been cancelled." in html
    assert "Keine Beratungsgegenstände" in html


def test_german_meeting_page(client, world):
    html = page(client, url(world.held_meeting, lang=""))
    assert world.held_meeting.name in html and world.marker not in html


def test_meeting_by_number(client, world):
    html = page(client, f"/en/sitzungen/{world.council_meeting.pk}/")
    assert world.council_meeting.name in html


@pytest.mark.parametrize("key", ["slug", "pk"])
def test_non_public_meeting_is_not_found(client, world, key):
    value = getattr(world.closed_meeting, key)
    response = client.get(f"/en/sitzungen/{value}/")
    assert response.status_code == 404
    assert world.marker not in response.content.decode()


def test_unknown_meeting_is_not_found(client, world):
    assert client.get("/en/sitzungen/2026-01-01-gibt-es-nicht/").status_code == 404
    assert client.get("/en/sitzungen/99999999/").status_code == 404


def test_planned_meeting_has_no_public_agenda_yet(client, world):
    meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name="5. Sitzung des Bauausschusses",
        start=berlin(12, 10, 17),
    )
    agenda_item_add(actor=world.clerk, meeting=meeting, name="Vorab-Thema Kanal")
    html = page(client, url(meeting))
    assert meeting.name in html
    assert "Vorab-Thema Kanal" not in html
    assert "will be published with the invitation" in html


def _meeting_with_items(world, count, name):
    meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name=name,
        start=berlin(12, 15, 17),
        location=world.location,
    )
    for number in range(count):
        paper = paper_create(
            actor=None,
            body=world.body,
            name=f"{name} Vorlage {number}",
            date=world.public_paper.date,
        )
        consultation_path_set(
            actor=world.clerk,
            paper=paper,
            steps=[([world.bau], Consultation.Role.DECIDING)],
        )
        file_attach(
            actor=None,
            owner=paper,
            upload=pdf_upload(f"Anlage {number}", f"anlage-{number}.pdf"),
            name=f"Anlage {number}",
        )
        paper = paper_release(actor=None, paper=paper)
        item = agenda_item_add(actor=world.clerk, meeting=meeting, paper=paper)
        file_attach(
            actor=None,
            owner=item,
            upload=pdf_upload(f"Tischvorlage {number}", f"tisch-{number}.pdf"),
            name=f"Tischvorlage {number}",
        )
    invite(world.clerk, meeting)
    meeting.refresh_from_db()
    return meeting


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_items_and_files(client, world):
    small = _meeting_with_items(world, 2, "Kleine Sitzung")
    large = _meeting_with_items(world, 12, "Große Sitzung")
    _queries(client, url(small))  # warm caches (site, content types)

    small_count, small_html = _queries(client, url(small))
    large_count, large_html = _queries(client, url(large))

    assert "Große Sitzung Vorlage 11" in large_html
    assert "Tischvorlage 11" in large_html and "Anlage 11" in large_html
    assert large_count == small_count


def test_published_minutes_query_count_does_not_grow(client, world):
    # The held meeting has published minutes; loading it twice costs the same.
    first, _ = _queries(client, url(world.held_meeting))
    second, _ = _queries(client, url(world.held_meeting))
    assert second <= first


def test_no_page_of_the_calendar_shows_anything_non_public(client, world):
    paths = [
        "/",
        "/en/",
        "/sitzungen/",
        "/sitzungen/?zeitraum=vergangen",
        "/sitzungen/?ansicht=monat&monat=2026-11",
        "/sitzungen/?ansicht=monat&monat=2026-12",
        *(
            f"/sitzungen/?gremium={org.pk}"
            for org in (world.bau, world.council, world.fraction, world.department)
        ),
        *(
            url(meeting, lang)
            for meeting in (world.held_meeting, world.council_meeting, world.cancelled)
            for lang in ("", "/en")
        ),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert world.marker not in html, path
        for link in set(html.split('href="')[1:]):
            target = link.split('"')[0]
            if "/dateien/" in target:
                file_response = client.get(target)
                assert file_response.status_code == 200, target
                content = b"".join(file_response.streaming_content)
                assert world.marker.encode() not in content, target


def test_published_minutes_show_discussion_and_votes_of_public_items(client, world):
    from sessions.models import ItemMinutes

    ItemMinutes.objects.filter(agenda_item=world.public_item).update(
        discussion="<p>Frau Mustermann erläutert den Plan.</p>",
        votes_yes=7,
        votes_no=1,
        votes_abstain=0,
    )
    ItemMinutes.objects.filter(agenda_item=world.secret_item).update(
        discussion=f"<p>Kaufpreis {world.marker}</p>"
    )
    html = page(client, url(world.held_meeting))

    minutes = html.split('id="minutes-heading"')[1]
    assert "Frau Mustermann erläutert den Plan." in minutes
    assert "7 yes, 1 no, 0 abstentions" in minutes
    assert world.marker not in html

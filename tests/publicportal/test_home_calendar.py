"""The start page and the meeting calendar as a citizen sees them."""

import pytest

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_shows_next_meetings_latest_papers_and_minutes(client, world):
    html = page(client, "/en/")

    assert world.council_meeting.name in html  # invited, ahead
    assert world.cancelled.name in html and "Cancelled" in html
    assert world.public_paper.name in html
    assert world.held_meeting.name in html  # its minutes are published
    assert 'href="/en/sitzungen/"' in html
    assert 'type="text/calendar"' in html  # <link rel=alternate> of the calendar
    assert world.marker not in html


def test_home_lists_no_past_meeting_as_upcoming(client, world):
    html = page(client, "/en/")
    upcoming = html.split('id="next-meetings"')[1].split("</section>")[0]
    assert world.held_meeting.name not in upcoming


def test_calendar_lists_upcoming_meetings_in_order(client, world):
    html = page(client, "/en/sitzungen/")

    cancelled, council = (
        html.find(world.cancelled.name),
        html.find(world.council_meeting.name),
    )
    assert 0 < cancelled < council  # 26 November before 3 December
    assert world.held_meeting.name not in html  # 10 November is past
    assert "Rathaus, Ratssaal" in html and "Marktplatz 1" in html
    assert '<label for="filter-gremium">' in html
    assert world.marker not in html


def test_calendar_past_meetings(client, world):
    html = page(client, "/en/sitzungen/?zeitraum=vergangen")
    assert world.held_meeting.name in html
    assert world.council_meeting.name not in html
    assert world.marker not in html


def test_calendar_filters_by_committee_and_offers_its_ical(client, world):
    html = page(client, f"/en/sitzungen/?gremium={world.bau.pk}")

    assert world.cancelled.name in html
    assert world.council_meeting.name not in html
    assert f"/en/feeds/sitzungen.ics?gremium={world.bau.pk}" in html


@pytest.mark.parametrize("value", ["xyz", "999999", "-1"])
def test_unknown_committee_is_ignored_with_a_notice(client, world, value):
    html = page(client, f"/en/sitzungen/?gremium={value}")
    assert "does not exist" in html
    assert world.council_meeting.name in html


def test_non_public_committee_cannot_be_used_to_find_meetings(client, world):
    html = page(client, f"/en/sitzungen/?gremium={world.fraction.pk}&zeitraum=")
    assert world.marker not in html


def test_month_view_is_a_table_with_weekday_headers(client, world):
    html = page(client, "/en/sitzungen/?ansicht=monat&monat=2026-11")

    assert "<table" in html and "<caption>" in html
    assert html.count('<th scope="col">') == 7
    first_header = html.split('<th scope="col">')[1]
    assert "Monday" in first_header  # the week starts on Monday
    assert world.held_meeting.name in html and world.cancelled.name in html
    assert world.council_meeting.name not in html  # December
    assert "monat=2026-10" in html and "monat=2026-12" in html
    assert 'aria-current="date"' in html  # today, 13 November 2026
    assert world.marker not in html


def test_month_view_across_the_year(client, world):
    html = page(client, "/en/sitzungen/?ansicht=monat&monat=2026-12")
    assert world.council_meeting.name in html
    assert "monat=2027-01" in html and "monat=2026-11" in html


@pytest.mark.parametrize(
    "query", ["monat=abc", "monat=2026-13", "monat=0-1", "monat=99999-01"]
)
def test_unreadable_month_shows_current_month_with_notice(client, world, query):
    html = page(client, f"/en/sitzungen/?ansicht=monat&{query}")
    assert "could not be read" in html
    assert world.cancelled.name in html  # November 2026, the current month


def test_bad_page_number_does_not_fail(client, world):
    html = page(client, "/en/sitzungen/?seite=abc")
    assert world.council_meeting.name in html


def test_calendar_pages_25_meetings(client, world):
    from sessions.services.lifecycle import meeting_create
    from tests.publicportal.world import berlin

    for day in range(1, 28):
        meeting_create(
            actor=world.clerk,
            body=world.body,
            organizations=[world.bau],
            name=f"Sondersitzung {day}",
            start=berlin(12, day, 10),
        )
    first = page(client, "/en/sitzungen/")
    second = page(client, "/en/sitzungen/?seite=2")
    assert first.count('<li class="card') == 25
    assert "Page 1 of 2" in first and "seite=2" in first
    assert "Page 2 of 2" in second


def test_german_start_page_works(client, world):
    html = page(client, "/")
    assert world.council_meeting.name in html
    assert world.marker not in html


def test_unknown_address_gets_the_portal_404_page(client, world):
    response = client.get("/en/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'name="q"' in html and 'href="/en/"' in html
    assert "Stadt Neuhausen" in html  # the portal's own layout


def test_a_district_start_page_links_the_portals_of_its_towns(world, client):
    from publicportal.setup import portal_create
    from tests.gremien.factories import BodyFactory

    town = BodyFactory(
        name="Gemeinde Talheim", slug="talheim", superordinate_body=world.body
    )
    portal_create(body=town, hostname="talheim.localhost")
    BodyFactory(name="Gemeinde Ohneportal", superordinate_body=world.body)

    page = client.get("/en/").content.decode()
    assert "Gemeinde Talheim" in page
    assert 'href="http://talheim.localhost/' in page
    assert "Gemeinde Ohneportal" not in page, "a town without a portal is not linked"

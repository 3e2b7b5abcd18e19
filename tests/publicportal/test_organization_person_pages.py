"""Organization and person pages of the public portal: committees with their
members, meetings and papers; persons with public data only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gremien.models import Membership
from publicportal.links import PortalLinks, organization_key, person_key
from tests.gremien.factories import (
    BodyFactory,
    LegislativeTermFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def org_url(organization, language=""):
    return f"{language}/gremien/{organization_key(organization)}/"


def person_url(person, language=""):
    return f"{language}/personen/{person.pk}-{person_key(person)}/"


# --- organizations --------------------------------------------------------------


def test_organization_list_groups_by_kind_and_keeps_former_ones_apart(client, world):
    OrganizationFactory(
        body=world.body,
        name="Ausschuss für Gebietsreform",
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    html = get_html(client, "/en/gremien/")

    assert html.count("<h1") == 1
    assert 'aria-current="page">Committees</a>' in html
    council = html.index('id="art-council"')
    committees = html.index('id="art-committee"')
    fractions = html.index('id="art-fraction"')
    former = html.index('<h2 id="frueher"')
    assert council < html.index("Rat der Stadt") < committees
    assert committees < html.index("Bauausschuss") < fractions
    assert fractions < html.index("Fraktion Bürgerliste") < former
    assert html.index("Ausschuss für Gebietsreform") > former
    assert world.marker not in html


def test_organization_page_lists_current_and_former_members(client, world):
    html = get_html(client, org_url(world.council, "/en"))

    assert html.count("<h1") == 1
    assert "Rat der Stadt" in html
    current = html.split('id="org-members"')[1].split('id="org-former"')[0]
    former = html.split('id="org-former"')[1].split('id="org-meetings"')[0]
    links = PortalLinks(world.portal)
    assert "Erika Mustermann" in current and "Vorsitzende" in current
    assert "Hans Beispiel" in current and "Fraktion Bürgerliste" in current
    assert "Gerda Früher" not in current
    assert "Gerda Früher" in former and 'datetime="2025-10-31"' in former
    assert "<caption>" in current and 'scope="col"' in current
    assert links.person(world.chair).removeprefix("/") in html
    assert world.marker not in html


def test_former_members_are_grouped_by_legislative_term(client, world):
    LegislativeTermFactory(
        body=world.body,
        name="Wahlperiode 2020–2025",
        start_date=dt.date(2020, 11, 1),
        end_date=dt.date(2025, 10, 31),
    )
    LegislativeTermFactory(
        body=world.body,
        name="Wahlperiode 2025–2030",
        start_date=dt.date(2025, 11, 1),
        end_date=dt.date(2030, 10, 31),
    )
    html = get_html(client, org_url(world.council, "/en"))
    former = html.split('id="org-former"')[1].split('id="org-meetings"')[0]
    assert "<h3" in former and "Wahlperiode 2020–2025" in former
    assert former.index("Wahlperiode 2020–2025") < former.index("Gerda Früher")
    assert "Wahlperiode 2025–2030" not in former


def test_organization_page_shows_public_meetings_papers_and_feeds(client, world):
    html = get_html(client, org_url(world.bau, "/en"))
    links = PortalLinks(world.portal)
    meetings = html.split('id="org-meetings"')[1].split('id="org-papers"')[0]
    papers = html.split('id="org-papers"')[1].split('id="org-subscribe"')[0]

    assert links.meeting(world.held_meeting).removeprefix("/") in meetings
    assert links.meeting(world.cancelled).removeprefix("/") in meetings
    assert "cancelled" in meetings
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in papers
    assert f"/feeds/sitzungen.ics?gremium={world.bau.pk}" in html
    assert f"/feeds/vorlagen.rss?gremium={world.bau.pk}" in html
    assert 'type="text/calendar"' in html
    assert world.marker not in html


def test_fraction_page_shows_members_and_seats_but_no_closed_meeting(client, world):
    html = get_html(client, org_url(world.fraction, "/en"))
    assert "Hans Beispiel" in html and "Fraktionsvorsitzender" in html
    seats = html.split('id="org-delegated"')[1]
    assert "Rat der Stadt" in seats
    # The fraction's own meeting is not public; it carries the marker.
    assert world.marker not in html


def test_wrong_name_part_redirects_to_the_organization_address(client, world):
    response = client.get(f"/gremien/{world.bau.pk}-falscher-name/")
    assert response.status_code == 301
    assert response["Location"] == org_url(world.bau)
    response = client.get(f"/en/gremien/{world.bau.pk}/")
    assert response.status_code == 301
    assert response["Location"] == org_url(world.bau, "/en")


def test_deleted_foreign_and_unknown_organizations_are_not_found(client, world):
    gone = OrganizationFactory(body=world.body, name="Altausschuss")
    gone.deleted_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    gone.save()
    foreign = OrganizationFactory(body=BodyFactory(), name="Rat Anderswo")
    for organization in (gone, foreign):
        assert client.get(org_url(organization)).status_code == 404
    assert client.get("/gremien/999999-nichts/").status_code == 404
    assert client.get("/gremien/nichts/").status_code == 404
    assert client.get("/gremien/99999999999999999999999-x/").status_code == 404


def _committee_with_members(world, name, count):
    committee = OrganizationFactory(body=world.body, name=name)
    for number in range(count):
        MembershipFactory(
            organization=committee,
            person=PersonFactory(body=world.body),
            on_behalf_of=world.fraction if number % 2 else None,
            kind=Membership.Kind.DEPUTY if number % 3 == 0 else Membership.Kind.MEMBER,
            end_date=dt.date(2025, 1, 1) if number % 4 == 0 else None,
        )
    return committee


def test_organization_page_queries_do_not_grow_with_members(client, world):
    LegislativeTermFactory(body=world.body, start_date=dt.date(2020, 1, 1))
    small = _committee_with_members(world, "Kleiner Ausschuss", 2)
    large = _committee_with_members(world, "Großer Ausschuss", 20)
    counts = []
    for committee in (small, large):
        client.get(org_url(committee))
        with CaptureQueriesContext(connection) as queries:
            get_html(client, org_url(committee))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- persons --------------------------------------------------------------------


def test_person_list_shows_public_persons_council_first(client, world):
    html = get_html(client, "/en/personen/")

    assert html.count("<h1") == 1
    assert 'aria-current="page">Members</a>' in html
    council = html.split('<h2 id="rat"')[1].split("<h2")[0]
    former = html.split('<h2 id="frueher"')[1].split("<h2")[0]
    assert "Mustermann, Erika" in council and "Beispiel, Hans" in council
    assert council.index("Beispiel, Hans") < council.index("Mustermann, Erika")
    assert "Früher, Gerda" in former
    assert "Fraktion Bürgerliste" in council
    # Sven <marker> has only a staff membership: not public.
    assert world.marker not in html


def test_person_page_shows_public_contact_data_only(client, world):
    html = get_html(client, person_url(world.chair, "/en"))
    assert html.count("<h1") == 1
    assert "Erika Mustermann" in html
    assert "erika.mustermann@example.org" in html
    assert world.marker not in html  # her phone number is private

    html = get_html(client, person_url(world.member, "/en"))
    assert "Hans Beispiel" in html
    assert "@example.org" not in html  # his e-mail is private
    assert world.marker not in html


def test_person_page_shows_fraction_and_memberships(client, world):
    html = get_html(client, person_url(world.member, "/en"))
    facts = html.split('class="record-facts"')[1].split("</dl>")[0]
    assert "Fraktion Bürgerliste" in facts
    memberships = html.split('id="person-memberships"')[1]
    for name in ("Rat der Stadt", "Bauausschuss", "Fraktionsvorsitzender"):
        assert name in memberships

    html = get_html(client, person_url(world.former, "/en"))
    assert "No current memberships." in html
    assert "Former memberships" in html and "Rat der Stadt" in html


def test_person_page_shows_address_and_life_only_when_public(client, world):
    world.chair.life = "Geboren in Neuhausen, Architektin."
    world.chair.life_public = False
    world.chair.location = world.location
    world.chair.location_public = False
    world.chair.save()
    html = get_html(client, person_url(world.chair, "/en"))
    assert "Architektin" not in html and "Marktplatz 1" not in html

    world.chair.life_public = True
    world.chair.location_public = True
    world.chair.save()
    html = get_html(client, person_url(world.chair, "/en"))
    assert "Architektin" in html and "Marktplatz 1" in html


def test_staff_only_and_unknown_persons_are_not_found(client, world):
    response = client.get(person_url(world.clerk_person, "/en"))
    assert response.status_code == 404
    assert world.marker not in response.content.decode()
    assert client.get("/personen/999999-niemand/").status_code == 404
    assert client.get("/personen/99999999999999999999999-x/").status_code == 404
    foreign = MembershipFactory(organization=OrganizationFactory()).person
    assert client.get(person_url(foreign)).status_code == 404


def test_wrong_person_name_redirects(client, world):
    response = client.get(f"/personen/{world.chair.pk}-erika-falsch/")
    assert response.status_code == 301
    assert response["Location"] == person_url(world.chair)

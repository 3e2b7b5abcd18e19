"""The member's dashboard (``/mitglieder/``): next meetings of all their
bodies, news since the last visit, invitations not opened yet, the
fraction's motions."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import PaperType
from documents.services import file_attach, paper_create
from gremien.models import Membership
from sessions.services.agenda import agenda_item_add
from sessions.services.invitations import meeting_send_addendum
from sessions.services.lifecycle import meeting_create
from tests.gremien.factories import MembershipFactory, OrganizationFactory
from tests.publicportal.world import berlin, pdf_upload
from tests.sessions.agenda_factories import invite
from tests.sessions.pack_world import client_for, user_for

pytestmark = pytest.mark.django_db

DASHBOARD = "/mitglieder/"


def section(html: str, heading_id: str) -> str:
    """The HTML of the dashboard section labelled by ``heading_id``."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_next_meetings_of_all_my_bodies_including_a_deputy_seat(world, hans):
    user, client = hans
    social = OrganizationFactory(
        body=world.body, name="Sozialausschuss", kind="committee"
    )
    MembershipFactory(
        person=world.member, organization=social, kind=Membership.Kind.DEPUTY
    )
    social_meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[social],
        name="2. Sitzung des Sozialausschusses",
        start=berlin(12, 8, 17),
    )
    elsewhere = OrganizationFactory(body=world.body, name="Werkausschuss")
    meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[elsewhere],
        name="Sitzung des Werkausschusses",
        start=berlin(12, 9, 17),
    )

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    upcoming = section(response.content.decode(), "upcoming-heading")
    for meeting in (
        world.council_meeting,
        world.cancelled,
        world.closed_meeting,
        social_meeting,
    ):
        assert meeting.name in upcoming
    assert "Werkausschuss" not in upcoming
    assert world.held_meeting.name not in upcoming  # in the past
    assert "abgesagt" in upcoming
    order = [
        upcoming.index(m.name)
        for m in (world.closed_meeting, world.cancelled, world.council_meeting)
    ]
    assert order == sorted(order)


def come_back(client, user, clock, **delta) -> None:
    """Time passes; the member signs in again if their session timed out."""
    clock.advance(**delta)
    client.force_login(user)


def test_news_since_the_last_visit(world, hans, clock):
    user, client = hans
    first = section(client.get(DASHBOARD).content.decode(), "news-heading")
    # The first visit shows the last two weeks: the council's invitation.
    assert "Einladung" in first
    assert world.council_meeting.name in first

    clock.advance(minutes=10)  # the same visit: the news stay
    again = section(client.get(DASHBOARD).content.decode(), "news-heading")
    assert "Einladung" in again

    come_back(client, user, clock, hours=3)  # a later visit: what happened since
    item = agenda_item_add(
        actor=world.clerk, meeting=world.council_meeting, name="Dringende Anfrage"
    )
    file_attach(
        actor=None,
        owner=item,
        upload=pdf_upload("Anfrage der Fraktion", "anfrage.pdf"),
        name="Anfrage zur Schulwegsicherung",
    )
    come_back(client, user, clock, hours=1)
    later = section(client.get(DASHBOARD).content.decode(), "news-heading")
    assert "Neuer Tagesordnungspunkt" in later
    assert "Dringende Anfrage" in later
    assert "Neues Dokument" in later
    assert "Anfrage zur Schulwegsicherung" in later

    come_back(client, user, clock, hours=2)
    quiet = section(client.get(DASHBOARD).content.decode(), "news-heading")
    assert "Nichts Neues seit Ihrem letzten Besuch" in quiet


def test_news_never_name_meetings_of_bodies_i_do_not_sit_in(world, clock):
    outsider = user_for(world.former)
    html = client_for(outsider).get(DASHBOARD).content.decode()
    assert world.council_meeting.name not in html
    assert world.marker not in html


def test_invitations_not_opened_yet_until_the_meeting_is_opened(world, hans, clock):
    user, client = hans
    unopened = section(client.get(DASHBOARD).content.decode(), "unopened-heading")
    assert world.council_meeting.name in unopened

    client.get(reverse("members_meeting", args=[world.council_meeting.pk]))
    unopened = section(client.get(DASHBOARD).content.decode(), "unopened-heading")
    assert world.council_meeting.name not in unopened

    come_back(client, user, clock, hours=1)
    agenda_item_add(actor=world.clerk, meeting=world.council_meeting, name="Nachtrag")
    meeting_send_addendum(actor=world.clerk, meeting=world.council_meeting)
    clock.advance(minutes=5)
    unopened = section(client.get(DASHBOARD).content.decode(), "unopened-heading")
    assert world.council_meeting.name in unopened


def test_motions_of_my_fraction_with_their_state(world, hans):
    user, client = hans
    motion = paper_create(
        actor=None,
        body=world.body,
        name="Antrag: Tempo 30 vor der Grundschule",
        date=dt.date(2026, 11, 5),
        paper_type=PaperType.MOTION,
    )
    motion.originator_organizations.add(world.fraction)
    other_fraction = OrganizationFactory(
        body=world.body, name="Fraktion Andere", kind="fraction"
    )
    theirs = paper_create(
        actor=None,
        body=world.body,
        name="Antrag der anderen Fraktion",
        date=dt.date(2026, 11, 6),
        paper_type=PaperType.MOTION,
    )
    theirs.originator_organizations.add(other_fraction)

    papers = section(client.get(DASHBOARD).content.decode(), "papers-heading")

    assert "Fraktion Bürgerliste" in papers
    assert "Tempo 30 vor der Grundschule" in papers
    assert "Entwurf" in papers  # the state
    assert "Antrag der anderen Fraktion" not in papers


def test_without_a_fraction_there_is_no_fraction_section(world, clock):
    chair = user_for(world.chair)
    html = client_for(chair).get(DASHBOARD).content.decode()
    assert 'aria-labelledby="papers-heading"' not in html


def test_anonymous_visitors_are_sent_to_the_sign_in(world):
    response = Client().get(DASHBOARD)
    assert response.status_code == 302
    assert "next=/mitglieder/" in response["Location"]


def test_a_new_meeting_with_an_invitation_appears_as_unopened(world, hans):
    user, client = hans
    meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name="5. Sitzung des Bauausschusses",
        start=berlin(12, 15, 17),
    )
    agenda_item_add(actor=world.clerk, meeting=meeting, name="Mitteilungen")
    invite(world.clerk, meeting)
    html = client.get(DASHBOARD).content.decode()
    assert meeting.name in section(html, "unopened-heading")

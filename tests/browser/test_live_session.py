"""A live vote in the room, clicked through in chromium against the real ASGI
server (uvicorn, websockets): the clerk's console, three members' tablets,
the projector and a visitor's public live view, each in its own browser
context. One member's tablet loses its connection while voting and sends the
ballot again; the server restarts during the open vote; a double tap counts
once. Screenshots of the four screens for the documentation
(``GREMIEN_SCREENSHOTS``)."""

import contextlib
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gremien.models import Organization
from publicportal.setup import portal_create
from sessions.models import Ballot, Vote, VoteParticipation
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create
from tests.browser.axe import axe_violations, describe
from tests.browser.tablet import TABLET, open_tablet, sign_in, wait_until
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    staff_of,
)
from tests.publicportal.world import ensure_wagtail_root
from tests.sessions.agenda_factories import Clock, invite

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "VERTRAULICH-Q7Z"


@pytest.fixture
def room(asgi_server, monkeypatch):
    start = timezone.now() + datetime.timedelta(minutes=10)
    # Invited three days ahead (the invitation deadline), then the evening of
    # the meeting: the clock stands still from there on.
    clock = Clock(monkeypatch, start - datetime.timedelta(days=3))
    body = BodyFactory(name="Gemeinde Seeheim", slug="seeheim")
    ensure_wagtail_root()
    portal_create(
        body=body, hostname="localhost", port=asgi_server.port, is_default=True
    )
    council = OrganizationFactory(
        body=body,
        name="Gemeinderat",
        kind=Organization.Kind.COUNCIL,
        statutory_members=3,
    )
    names = [("Anna", "Albers"), ("Bernd", "Brandt"), ("Clara", "Conrad")]
    members = []
    for given, family in names:
        user = UserFactory(username=given.lower())
        person = PersonFactory(
            body=body, given_name=given, family_name=family, user=user
        )
        MembershipFactory(person=person, organization=council)
        members.append(person)
    clerk = staff_of(body)
    meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[council],
        name="Gemeinderat – 7. Sitzung",
        start=start,
    )
    agenda_item_add(actor=clerk, meeting=meeting, name="Bebauungsplan Am Mühlbach")
    agenda_item_add(
        actor=clerk,
        meeting=meeting,
        name=f"Grundstücksangelegenheit {MARKER}",
        public=False,
    )
    invite(clerk, meeting)
    clock.set(start - datetime.timedelta(minutes=5))
    return meeting, clerk, members


def open_screen(browser, server, username, path, viewport=None):
    _, page = open_tablet(
        browser, viewport=viewport or {"width": 1280, "height": 900}, timeout=15_000
    )
    if username is None:
        page.goto(server.url + path)
    else:
        sign_in(page, server.url, username, path)
    return page


def live(page):
    """The screen has its state from the server."""
    expect(page.locator("[data-live=live-status]")).to_have_text(
        re.compile("Live"), timeout=15_000
    )


@contextlib.contextmanager
def reconnecting(pages, timeout: float = 25):
    """The screens of ``pages`` that opened a new websocket during the block
    and got an answer on it from the server; waits up to ``timeout`` seconds
    after the block for all of them."""
    answered = set()

    def watch(page):
        def on_socket(socket):
            socket.on("framereceived", lambda _frame: answered.add(page))

        page.on("websocket", on_socket)
        return on_socket

    listeners = [(page, watch(page)) for page in pages]
    yield answered
    wait_until(lambda: len(answered) == len(pages), timeout, page=pages[0])
    for page, listener in listeners:
        page.remove_listener("websocket", listener)


def test_a_vote_in_the_room_from_console_to_public_view(browser, asgi_server, room):
    meeting, clerk, members = room
    server = asgi_server
    console = open_screen(
        browser, server, clerk.username, f"/live/{meeting.pk}/leitung/"
    )
    console.get_by_role("button", name="Live-Sitzung starten").click()
    live(console)
    for person in members:
        console.get_by_role("button", name=f"{person.name} anmelden").click()
        expect(
            console.get_by_role("button", name=f"{person.name} abmelden")
        ).to_be_visible()
    expect(console.locator("[data-live=quorum]")).to_contain_text("3")

    tablets = [
        open_screen(
            browser, server, p.user.username, f"/live/{meeting.pk}/mitglied/", TABLET
        )
        for p in members
    ]
    projector = open_screen(
        browser, server, clerk.username, f"/live/{meeting.pk}/saal/"
    )
    visitor = open_screen(browser, server, None, f"/sitzungen/{meeting.slug}/live/")
    for page in [*tablets, projector]:
        live(page)
        expect(page.locator("[data-live=item]")).to_contain_text("Am Mühlbach")
    expect(visitor.locator("[data-live=item]")).to_contain_text("Am Mühlbach")

    # Members ask to speak; the chair gives the floor to the first.
    tablets[1].get_by_role("button", name="Wortmeldung").click()
    expect(console.locator("[data-live=speaker-queue]")).to_contain_text("Brandt")
    console.locator("[data-live=speaker-queue]").get_by_role(
        "button", name=re.compile("aufrufen|Wort erteilen", re.I)
    ).first.click()
    expect(projector.locator("[data-live=speaker-now]")).to_contain_text("Brandt")

    console.get_by_label("Gegenstand der Abstimmung (optional)").first.fill(
        "Satzungsbeschluss"
    )
    console.get_by_role("button", name="Abstimmung eröffnen").click()
    for page in [*tablets, projector, visitor]:
        expect(page.locator("[data-live=vote-status]")).to_contain_text(
            "Abstimmung läuft"
        )

    # Anna taps "Ja" twice in a row: one ballot.
    yes = tablets[0].get_by_role("button", name="Ja", exact=True)
    yes.dblclick()
    expect(tablets[0].locator("[data-live=ballot-confirmation]")).to_contain_text(
        "Ihre Stimme wurde gezählt"
    )
    expect(console.locator("[data-live=vote-status]")).to_contain_text("1 von 3")

    # Bernd's tablet loses the network and says so; his ballot waits.
    # (Tapping before the page has noticed would race the browser's offline
    # event against the still-open socket.)
    tablets[1].context.set_offline(True)
    expect(tablets[1].locator("#live-offline")).to_contain_text(
        "Keine Verbindung", timeout=10_000
    )
    tablets[1].get_by_role("button", name="Ja", exact=True).click()
    expect(tablets[1].locator("[data-live=ballot-confirmation]")).to_contain_text(
        "Ihre Stimme wird übermittelt"
    )
    expect(console.locator("[data-live=vote-status]")).to_contain_text("1 von 3")

    # The server restarts during the open vote; every screen reconnects (after
    # its backoff, at most ten seconds) and has its state again.
    screens = [console, *tablets, projector, visitor]
    with reconnecting(screens) as answered:
        server.stop()
        server.start()
        tablets[1].context.set_offline(False)
    assert answered == set(screens)
    expect(tablets[1].locator("[data-live=ballot-confirmation]")).to_contain_text(
        "Ihre Stimme wurde gezählt", timeout=20_000
    )
    expect(tablets[1].locator("#live-offline")).to_have_text("")
    live(tablets[2])
    tablets[2].get_by_role("button", name="Nein", exact=True).click()
    expect(tablets[2].locator("[data-live=ballot-confirmation]")).to_contain_text(
        "Nein"
    )
    for page in [console, projector, visitor]:
        expect(page.locator("[data-live=vote-status]")).to_contain_text(
            re.compile("3 von 3 haben abgestimmt|3 Stimmen abgegeben")
        )
    screenshot(console, "live-console")
    screenshot(tablets[0], "live-member-tablet")

    console.get_by_role("button", name="Abstimmung schließen").click()
    for page in [*tablets, projector, visitor, console]:
        result = page.locator("[data-live=vote-result]")
        expect(result).to_contain_text("angenommen")
        expect(result).to_contain_text("2")
    screenshot(projector, "live-projector")
    screenshot(visitor, "live-public")
    for page in [console, tablets[0], projector, visitor]:
        violations = axe_violations(page)
        assert violations == [], describe(violations, page.url)

    vote = Vote.objects.get(meeting=meeting)
    assert (vote.votes_yes, vote.votes_no, vote.votes_abstain) == (2, 1, 0)
    assert VoteParticipation.objects.filter(vote=vote).count() == 3
    assert Ballot.objects.filter(vote=vote).count() == 3

    # The non-public part: the visitor sees that it runs, never what it is.
    console.locator("[data-live=agenda] li").filter(has_text=MARKER).get_by_role(
        "button"
    ).click()
    expect(tablets[0].locator("[data-live=item]")).to_contain_text(MARKER)
    expect(visitor.locator("[data-live=item]")).to_contain_text(
        "Nichtöffentlicher Teil"
    )
    assert MARKER not in visitor.content()
    for page in [console, *tablets, projector, visitor]:
        assert page.errors == []

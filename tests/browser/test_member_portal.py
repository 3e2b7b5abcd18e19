"""A council member prepares the next council meeting on a tablet (820×1180),
in chromium against the ASGI server: signs in with password and app code,
finds the meeting on the dashboard, opens its non-public document and adds a
note; the tablet keeps the meeting for offline reading; on the train (context
offline) the meeting page, the personal session pack and the document open
from the device, a note made there waits and reaches the server once the
tablet is online again. Another member sees none of the notes; signing out
deletes what the tablet kept. axe-core finds no violations on the member
pages. Screenshots for the documentation (``GREMIEN_SCREENSHOTS``)."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.services import file_attach
from reader.models import Annotation
from sessions.packs import service as packs
from sessions.services.lifecycle import meeting_reschedule
from tests.accounts.factories import with_app
from tests.browser.tablet import (
    accessible,
    add_note,
    open_tablet,
    sign_in,
    wait_until,
)
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.publicportal.world import build_world, pdf_upload
from tests.sessions.agenda_factories import Clock
from tests.sessions.pack_world import user_for

pytestmark = pytest.mark.django_db(transaction=True)

NOTE_ONLINE = "Vorher mit dem Kämmerer sprechen"
NOTE_OFFLINE = "Im Zug notiert: Gehaltsstufe prüfen"


@pytest.fixture
def council(asgi_server):
    """The portal tests' town with a document on the council's non-public
    item and the member pack built. The server runs on the real clock: the
    council meeting is moved to ten days from today."""
    with pytest.MonkeyPatch.context() as patch:
        world = build_world(Clock(patch))
    start = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    meeting_reschedule(
        actor=world.clerk,
        meeting=world.council_meeting,
        start=start + dt.timedelta(days=10),
        end=start + dt.timedelta(days=10, hours=3),
        urgent_reason="Test",
    )
    world.council_meeting.refresh_from_db()
    document = file_attach(
        actor=None,
        owner=world.council_secret,
        upload=pdf_upload("Stellenbewertung Amtsleitung Bauamt", "bewertung.pdf"),
        name="Stellenbewertung",
    )
    packs.build(world.council_meeting.pk, "member", force=True)
    hans, erika = user_for(world.member), user_for(world.chair)
    return world, document, hans, with_app(hans), erika


def kept_offline(page):
    """The tablet has synced its offline set."""
    expect(page.locator("html")).to_have_attribute(
        "data-offline", "synced", timeout=30_000
    )


def test_preparing_the_council_meeting_on_a_tablet(browser, asgi_server, council):
    world, document, hans, device, erika = council
    meeting = world.council_meeting
    context, page = open_tablet(browser)

    sign_in(page, asgi_server.url, hans.username, "/mitglieder/", device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht")
    unopened = page.locator("section[aria-labelledby=unopened-heading]")
    expect(unopened).to_contain_text(meeting.name)
    kept_offline(page)
    accessible(page)
    screenshot(page, "member-dashboard")

    unopened.get_by_role("link", name=meeting.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.name)
    non_public = page.locator("section[aria-labelledby=non-public-heading]")
    expect(non_public).to_contain_text(world.council_secret.name)
    expect(page.locator(f"[data-offline-meeting='{meeting.pk}']")).to_be_visible()
    accessible(page)
    screenshot(page, "member-meeting")

    non_public.get_by_role("link", name="Stellenbewertung").first.click()
    expect(page.locator(".rd-page .textLayer").first).to_contain_text(
        "Stellenbewertung"
    )
    add_note(page, NOTE_ONLINE)
    assert wait_until(
        lambda: Annotation.objects.filter(owner=hans, text=NOTE_ONLINE).exists()
    )
    reader_path = page.url.removeprefix(asgi_server.url)

    page.goto(f"{asgi_server.url}/mitglieder/offline/")
    kept_offline(page)
    expect(page.locator("[data-offline-list]")).to_contain_text(meeting.name)
    expect(page.locator("[data-offline-list]")).to_contain_text("Stellenbewertung")
    accessible(page)
    screenshot(page, "member-offline")

    # On the train.
    context.set_offline(True)
    response = page.goto(f"{asgi_server.url}/mitglieder/sitzungen/{meeting.pk}/")
    assert response.from_service_worker
    expect(page.locator("[data-offline-banner]")).to_contain_text("offline")
    expect(page.locator("section[aria-labelledby=non-public-heading]")).to_contain_text(
        world.council_secret.name
    )

    response = page.goto(f"{asgi_server.url}/mitglieder/dokumente/mappe/{meeting.pk}/")
    assert response.from_service_worker
    expect(page.locator(".rd-page .textLayer").first).to_contain_text(meeting.name)

    response = page.goto(asgi_server.url + reader_path)
    assert response.from_service_worker
    expect(page.locator(".rd-page .textLayer").first).to_contain_text(
        "Stellenbewertung"
    )
    expect(page.locator("[data-field=notes]")).to_contain_text(NOTE_ONLINE)
    add_note(page, NOTE_OFFLINE)
    pending = page.locator("[data-field=notes] li", has_text=NOTE_OFFLINE)
    expect(pending.locator(".mp-badge--pending")).to_be_visible()
    time.sleep(1)
    assert not Annotation.objects.filter(text=NOTE_OFFLINE).exists()

    # Back to the meeting (still offline), then the train reaches the station:
    # the note leaves the device from the meeting page, without the reader.
    page.goto(f"{asgi_server.url}/mitglieder/sitzungen/{meeting.pk}/")
    context.set_offline(False)
    assert wait_until(
        lambda: Annotation.objects.filter(owner=hans, text=NOTE_OFFLINE).exists()
    )
    page.goto(asgi_server.url + reader_path)
    expect(page.locator("[data-field=notes]")).to_contain_text(NOTE_OFFLINE)
    expect(page.locator("[data-field=notes] .mp-badge--pending")).to_have_count(0)
    assert not page.errors, page.errors

    # Erika sits in the council too: the same document, none of Hans's notes.
    other_context, other = open_tablet(browser)
    sign_in(other, asgi_server.url, erika.username, reader_path)
    expect(other.locator(".rd-page .textLayer").first).to_contain_text(
        "Stellenbewertung"
    )
    expect(other.locator("[data-field=notes]")).not_to_contain_text(NOTE_ONLINE)
    expect(other.locator("[data-field=notes]")).not_to_contain_text(NOTE_OFFLINE)
    other_context.close()

    # Signing out deletes what the tablet kept.
    page.goto(f"{asgi_server.url}/mitglieder/")
    kept_offline(page)
    assert page.evaluate("async () => (await caches.keys()).length") > 0
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(re.compile(r"/konto/anmelden/"))
    kept = "async () => (await caches.keys()).filter((k) => k.startsWith('gp-'))"
    assert wait_until(lambda: page.evaluate(kept) == [])
    context.close()

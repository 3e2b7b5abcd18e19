"""The member's notifications and their settings on a tablet (820×1180):
no axe-core violations (WCAG 2.1 A/AA), no horizontal scrolling at 320 px,
marking read by opening and by the button. Screenshot
``member-notifications.png`` with ``GREMIEN_SCREENSHOTS``."""

from contextlib import nullcontext

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from tests.browser.tablet import accessible, no_sideways_scrolling, signed_in_tablet
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.notifications.helpers import invite, planned, publish_minutes
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock
from tests.sessions.pack_world import user_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hans(live_server, monkeypatch, settings):
    clock = Clock(monkeypatch)
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    # A transactional test commits each step: its events run by themselves.
    world = build_world(clock)
    user = user_for(world.member)
    user_for(world.chair)
    meeting = planned(world)
    invite(world, meeting, nullcontext)
    clock.advance(hours=1)
    publish_minutes(
        world,
        planned(world, day=12, name="6. Sitzung des Bauausschusses"),
        clock,
        nullcontext,
    )
    return user


def signed_in_page(browser, live_server, user):
    return signed_in_tablet(browser, live_server.url, user, timeout=15_000)[1]


def test_notifications_on_a_tablet(browser, live_server, hans):
    # Read before the browser starts: the live server shares the database.
    count = Notification.objects.filter(user=hans).count()
    assert count >= 2
    page = signed_in_page(browser, live_server, hans)
    url = f"{live_server.url}/mitglieder/benachrichtigungen/"
    page.goto(url)

    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")
    items = page.locator(".nt-item")
    expect(items).to_have_count(count)
    expect(page.locator(".nt-item--unread")).to_have_count(count)
    accessible(page)
    screenshot(page, "member-notifications")

    # Opening the newest leads to its meeting and marks it read.
    items.first.get_by_role("link").click()
    page.wait_for_url("**/mitglieder/sitzungen/*/")
    page.goto(url)
    expect(page.locator(".nt-item--unread")).to_have_count(count - 1)

    page.get_by_role("button", name="Alle als gelesen markieren").click()
    expect(
        page.get_by_role("status").filter(has_text="als gelesen markiert")
    ).to_be_visible()
    expect(page.locator(".nt-item--unread")).to_have_count(0)
    accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    assert no_sideways_scrolling(page)


def test_notification_settings_on_a_tablet(browser, live_server, hans):
    page = signed_in_page(browser, live_server, hans)
    page.goto(f"{live_server.url}/mitglieder/benachrichtigungen/einstellungen/")

    accessible(page)

    box = page.locator("#id_documents_email").bounding_box()
    assert box["width"] >= 20
    documents = page.get_by_role("group", name="Neue Unterlagen zu meinen Sitzungen")
    documents.get_by_label("Per E-Mail benachrichtigen").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_be_visible()
    expect(page.locator("#id_documents_email")).to_be_checked()
    accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    assert no_sideways_scrolling(page)

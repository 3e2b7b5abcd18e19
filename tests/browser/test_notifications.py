"""The member's notifications and their settings on a tablet (820×1180):
no axe-core violations (WCAG 2.1 A/AA), no horizontal scrolling at 320 px,
marking read by opening and by the button. Screenshot
``member-notifications.png`` with ``GREMIEN_SCREENSHOTS``."""

from contextlib import nullcontext

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from notifications.models import Notification
from tests.browser.axe import axe_violations, describe
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.notifications.helpers import invite, planned, publish_minutes
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock
from tests.sessions.pack_world import user_for

pytestmark = pytest.mark.django_db(transaction=True)

TABLET = {"width": 820, "height": 1180}


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


def signed_in_page(browser, live_server, user, viewport=TABLET):
    client = Client()
    client.force_login(user)
    # Offline reading is tested elsewhere (test_member_portal): here the
    # service worker's background sync would only compete with the test for
    # the live server's shared in-memory SQLite database.
    context = browser.new_context(
        locale="de-DE", viewport=viewport, service_workers="block"
    )
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def no_sideways_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


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
    violations = axe_violations(page)
    assert violations == [], describe(violations, page.url)
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
    violations = axe_violations(page)
    assert violations == [], describe(violations, page.url)

    page.set_viewport_size({"width": 320, "height": 640})
    assert no_sideways_scrolling(page)


def test_notification_settings_on_a_tablet(browser, live_server, hans):
    page = signed_in_page(browser, live_server, hans)
    page.goto(f"{live_server.url}/mitglieder/benachrichtigungen/einstellungen/")

    violations = axe_violations(page)
    assert violations == [], describe(violations, page.url)

    box = page.locator("#id_documents_email").bounding_box()
    assert box["width"] >= 20
    documents = page.get_by_role("group", name="Neue Unterlagen zu meinen Sitzungen")
    documents.get_by_label("Per E-Mail benachrichtigen").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_be_visible()
    expect(page.locator("#id_documents_email")).to_be_checked()
    violations = axe_violations(page)
    assert violations == [], describe(violations, page.url)

    page.set_viewport_size({"width": 320, "height": 640})
    assert no_sideways_scrolling(page)

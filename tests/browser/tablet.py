"""What the member portal's browser tests share: a tablet (820×1180, German)
that records script errors, a signed-in tablet without the sign-in pages,
the accessibility check of a page, waiting for the server, and a note in the
reader."""

import re
import time

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, code_for
from tests.browser.axe import axe_violations, describe

TABLET = {"width": 820, "height": 1180}


def open_tablet(browser, *, viewport=TABLET, timeout=20_000, **options):
    """A new browser context and its page; ``page.errors`` collects the
    page's uncaught script errors. ``options`` go to ``new_context``."""
    context = browser.new_context(locale="de-DE", viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(timeout)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def sign_in(page, server_url: str, username: str, next_path: str, device=None):
    """Through the sign-in pages, as a member does: the password, then the
    app's code if ``device`` (a TOTP device) is given; waits for
    ``next_path``."""
    page.goto(f"{server_url}/konto/anmelden/?next={next_path}")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/konto/anmelden/code/$"))
        page.get_by_label("Sechsstelliger Code").fill(code_for(device))
        page.get_by_role("button", name="Bestätigen und anmelden").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def signed_in_tablet(browser, server_url: str, user, **options):
    """A tablet that carries the session cookie of a test client's sign-in
    as ``user`` (the sign-in pages have tests of their own).

    No service worker: the portal's offline sync fetches pages in the
    background, and a live server on SQLite's shared in-memory database must
    answer one request at a time. Offline reading is tested in
    ``test_member_portal`` against the ASGI server."""
    client = Client()
    client.force_login(user)
    context, page = open_tablet(browser, service_workers="block", **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server_url,
            }
        ]
    )
    return context, page


def no_sideways_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def accessible(page) -> None:
    """axe-core (WCAG 2.1 A/AA) finds nothing, the page needs no horizontal
    scrolling at its width, and no script failed."""
    violations = axe_violations(page)
    assert violations == [], describe(violations, page.url)
    assert no_sideways_scrolling(page), f"horizontal scrolling on {page.url}"
    assert page.errors == [], page.errors


def wait_until(condition, timeout: float = 20, *, page=None) -> bool:
    """Poll ``condition`` (a database read, say) until it holds. With ``page``
    the pauses run Playwright's loop, so that events reach their listeners
    meanwhile (``time.sleep`` would hold them back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if page is None:
            time.sleep(0.2)
        else:
            page.wait_for_timeout(200)
    return False


def add_note(page, text: str) -> None:
    """A note on the reader's current page."""
    page.locator("[data-action=note]").click()
    page.locator("[data-field=text]").fill(text)
    page.locator("[data-field=form] button[type=submit]").click()


def document_shown(page, phrase: str) -> None:
    expect(page.locator(".rd-page .textLayer").first).to_contain_text(phrase)

"""Browser tests: Playwright driving Debian's chromium against the live server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API refuses to start inside a running event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A logged-in page factory: ``new_page(username)`` in its own context."""
    contexts = []

    def open_page(username: str, password: str = "geheim-passwort-123"):
        context = browser.new_context(
            locale="de-DE", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def public_page(browser, live_server):
    """An anonymous page factory for the public portal:
    ``public_page(width=1280, height=900, javascript=True, locale="de-DE")``.
    Each page records the addresses it requested in ``page.requested``."""
    contexts = []

    def open_page(
        width: int = 1280,
        height: int = 900,
        javascript: bool = True,
        locale: str = "de-DE",
    ):
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        return page

    yield open_page
    for context in contexts:
        context.close()

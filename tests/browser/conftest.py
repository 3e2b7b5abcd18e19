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
        # The one sign-in of staff and members (accounts); staff without an
        # authenticator app sign in with the password alone.
        page.goto(f"{live_server.url}/konto/anmelden/?next=/admin/")
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


class AsgiLiveServer:
    """The project's ASGI application (HTTP and websockets) served by uvicorn
    in a thread of the test process, on a free port of 127.0.0.1.

    It shares the test database with the test (SQLite's shared in-memory test
    database, or PostgreSQL) and the in-memory channel layer with the
    services the test calls. ``stop()`` ends it, and a new ``start()`` on the
    same port is a server restart."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        self.server = None
        self.thread = None

    def _application(self):
        from channels.routing import ProtocolTypeRouter
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        from config.asgi import application

        return ProtocolTypeRouter(
            {
                "http": ASGIStaticFilesHandler(get_asgi_application()),
                "websocket": application.application_mapping["websocket"],
            }
        )

    def start(self) -> None:
        import threading
        import time

        import uvicorn
        from channels.layers import channel_layers

        # A fresh channel layer for the server's event loop (see ``stop``).
        channel_layers.backends.clear()

        config = uvicorn.Config(
            self._application(),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ws="websockets-sansio",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        from channels.layers import channel_layers

        from sessions.live.db import close_connections

        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(timeout=15)
            self.server = None
        # The consumers' workers keep their connections; close them so that
        # PostgreSQL can drop the test database.
        close_connections()
        # The Redis channel layer belongs to the event loop that received on
        # it first; a restarted server (a new loop in this same process) needs
        # a new one. A real restart is a new process and starts afresh anyway.
        channel_layers.backends.clear()


@pytest.fixture
def asgi_server(transactional_db, settings):
    """A running ASGI server (websockets included) for live-session tests."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    server = AsgiLiveServer()
    server.start()
    yield server
    server.stop()

import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _german(settings):
    """The UI language is German; tests read what a German user reads."""
    from django.utils import translation

    with translation.override("de"):
        yield


def pytest_collection_modifyitems(config, items):
    """Browser tests last. Their live server thread and Playwright's event
    loop stay until the session ends; tests after them would run in a
    process with other threads (session packs then lay out without forking)
    and with an event loop in the main thread (``async_to_sync`` refuses
    to run there)."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))


@pytest.fixture(autouse=True)
def _fresh_live_snapshots():
    """Connect snapshots, the publicity of votes and compiled ballot queries
    are kept per process by id, and ids come again in the next test's
    database."""
    from sessions.live import cache, events
    from sessions.services import voting

    cache.clear()
    events.forget_publicity()
    voting.forget_compiled()
    yield

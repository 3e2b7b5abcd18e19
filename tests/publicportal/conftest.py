"""Fixtures of the portal tests: the world of ``tests.publicportal.world``."""

import pytest

from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(db, clock, django_capture_on_commit_callbacks):
    """The world with everything that happens on commit done: text extracted
    from the files, the search index written, as after a real request."""
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(clock)

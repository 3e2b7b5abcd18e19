"""Fixtures of the portal tests: the world of ``tests.publicportal.world``."""

import pytest

from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(db, clock):
    return build_world(clock)

"""Fixtures shared by the agenda and consultation tests: one body, its
Sitzungsdienst, a clock the tests can move, and the Bauausschuss."""

import pytest

from tests.gremien.factories import BodyFactory, staff_of
from tests.sessions.agenda_factories import Clock, committee


@pytest.fixture
def body(db):
    return BodyFactory()


@pytest.fixture
def staff(body):
    return staff_of(body)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def bau(body):
    return committee(body, "Bauausschuss")

import pytest
from django.test import Client

from tests.sessions.agenda_factories import Clock


@pytest.fixture
def clock(monkeypatch):
    """``django.utils.timezone.now`` under the test's control: lock-outs,
    time-outs and pending sign-ins are moved on without sleeping."""
    return Clock(monkeypatch)


@pytest.fixture
def other_client(db):
    """A second browser (its own cookies)."""
    return Client()

"""The member portal's tests run in the portal tests' town (Stadt Neuhausen,
``tests.publicportal.world``): Hans Beispiel sits in the council, the
Bauausschuss and the Fraktion Bürgerliste; Erika Mustermann chairs the
council and the Bauausschuss; Gerda Früher left the council in 2025."""

import pytest

from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import frozen_clock
from tests.sessions.pack_world import client_for, user_for


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def world(db, clock):
    return build_world(clock)


@pytest.fixture
def hans(world):
    """Hans Beispiel's login and a client signed in as him."""
    user = user_for(world.member)
    return user, client_for(user)

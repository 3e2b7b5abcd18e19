"""The motions tests run in the portal tests' town (Stadt Neuhausen,
``tests.publicportal.world``): Hans Beispiel chairs the Fraktion Bürgerliste
and holds his council seat on its behalf. Added here: his colleague Petra
Kollegin in the fraction, Otto Anders of another fraction, and Frieda
Ehemals, who left the Bürgerliste in 2025."""

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.gremien.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import frozen_clock
from tests.sessions.pack_world import client_for, user_for


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def world(db, clock):  # noqa: F811 - the imported fixture
    return build_world(clock)


@pytest.fixture
def town(world):
    """The world with the fraction's people, each with a login and a
    signed-in client: ``town.hans``, ``town.petra``, ``town.otto``,
    ``town.frieda``, ``town.clerk`` (staff of the body) as
    ``SimpleNamespace(person, user, client)``."""
    body = world.body
    petra = PersonFactory(
        body=body,
        given_name="Petra",
        family_name="Kollegin",
        email=["petra.kollegin@example.org"],
    )
    MembershipFactory(person=petra, organization=world.fraction)
    others = OrganizationFactory(body=body, name="Fraktion Neue Mitte", kind="fraction")
    otto = PersonFactory(body=body, given_name="Otto", family_name="Anders")
    MembershipFactory(person=otto, organization=others)
    MembershipFactory(person=otto, organization=world.council, on_behalf_of=others)
    frieda = PersonFactory(body=body, given_name="Frieda", family_name="Ehemals")
    MembershipFactory(
        person=frieda,
        organization=world.fraction,
        start_date=dt.date(2021, 11, 1),
        end_date=dt.date(2025, 10, 31),
    )

    def login(person):
        user = user_for(person)
        return SimpleNamespace(person=person, user=user, client=client_for(user))

    return SimpleNamespace(
        world=world,
        fraction=world.fraction,
        other_fraction=others,
        hans=login(world.member),
        petra=login(petra),
        otto=login(otto),
        frieda=login(frieda),
        clerk=SimpleNamespace(
            person=None, user=world.clerk, client=client_for(world.clerk)
        ),
    )

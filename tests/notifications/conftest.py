"""The notification tests run in the portal tests' town (Stadt Neuhausen,
``tests.publicportal.world``) with logins for its people: Hans Beispiel
(council, Bauausschuss, Fraktion Bürgerliste), Erika Mustermann (chairs the
council and the Bauausschuss), Gerda Früher (left the council in 2025), a
member of the Sozialausschuss and a councillor of another town."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.test import Client
from django.utils import timezone

from notifications import subscriptions
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock
from tests.sessions.pack_world import user_for


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _created_fields():
    for model in apps.get_models():
        try:
            yield model._meta.get_field("created")
        except FieldDoesNotExist:
            continue


@pytest.fixture
def clock(monkeypatch):
    """The tests' clock, also for ``created`` (``default=timezone.now`` holds
    the real function, which the clock cannot replace). A field caches its
    default function (``Field._get_default``); the cache is dropped on both
    sides, or a later test would still write the first test's clock."""
    real_now = timezone.now
    clock = Clock(monkeypatch)
    fields = [field for field in _created_fields() if field.default is real_now]
    for field in fields:
        monkeypatch.setattr(field, "default", lambda: clock.now)
        field.__dict__.pop("_get_default", None)
    yield clock
    for field in fields:
        field.__dict__.pop("_get_default", None)


@pytest.fixture
def world(db, clock):
    return build_world(clock)


@pytest.fixture
def people(world):
    """Logins for the town's people and for two who must never hear of its
    meetings."""
    social = OrganizationFactory(
        body=world.body, name="Sozialausschuss", kind="committee"
    )
    social_member = PersonFactory(
        body=world.body,
        given_name="Sina",
        family_name="Sozial",
        email=["sina.sozial@example.org"],
    )
    MembershipFactory(person=social_member, organization=social)
    elsewhere = BodyFactory(name="Gemeinde Anderswo", slug="anderswo")
    elsewhere_council = OrganizationFactory(
        body=elsewhere, name="Rat der Gemeinde Anderswo", kind="council"
    )
    stranger = PersonFactory(
        body=elsewhere,
        given_name="Otto",
        family_name="Anderswo",
        email=["otto.anderswo@example.org"],
    )
    MembershipFactory(person=stranger, organization=elsewhere_council)
    return SimpleNamespace(
        hans=user_for(world.member),
        erika=user_for(world.chair),
        gerda=user_for(world.former),
        sina=user_for(social_member),
        otto=user_for(stranger),
        social=social,
    )


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run what a service sends on commit (tasks run at once in tests)."""

    def run():
        subscriptions.forget_pending()
        return django_capture_on_commit_callbacks(execute=True)

    return run

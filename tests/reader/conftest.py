"""The reader's tests run in the portal tests' town (Stadt Neuhausen,
``tests.publicportal.world``): Hans Beispiel sits in the council, the
Bauausschuss and the Fraktion Bürgerliste; Erika Mustermann chairs the
council and the Bauausschuss (no fraction); Gerda Früher left the council
in 2025. Added here: Petra Partei, Bauausschuss and Fraktion Bürgerliste,
and Otto Andere, Bauausschuss and another fraction."""

import functools
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from gremien.models import Organization
from reader.services import annotation_create
from tests.gremien.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import frozen_clock
from tests.sessions.pack_world import user_for


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def world(db, clock):
    return build_world(clock)


@pytest.fixture
def hans(world):
    return user_for(world.member)


@pytest.fixture
def erika(world):
    return user_for(world.chair)


@pytest.fixture
def gerda(world):
    return user_for(world.former)


@pytest.fixture
def petra(world):
    """A colleague of Hans in the Bauausschuss and in his fraction."""
    person = PersonFactory(body=world.body, given_name="Petra", family_name="Partei")
    MembershipFactory(person=person, organization=world.bau)
    MembershipFactory(person=person, organization=world.fraction)
    return user_for(person)


@pytest.fixture
def other_fraction(world):
    return OrganizationFactory(
        body=world.body, name="Fraktion Andere", kind=Organization.Kind.FRACTION
    )


@pytest.fixture
def otto(world, other_fraction):
    """In the Bauausschuss, in another fraction."""
    person = PersonFactory(body=world.body, given_name="Otto", family_name="Andere")
    MembershipFactory(person=person, organization=world.bau)
    MembershipFactory(person=person, organization=other_fraction)
    return user_for(person)


@pytest.fixture
def superuser(world):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@functools.cache
def pages_pdf_bytes(*texts: str) -> bytes:
    """A PDF with one page per text."""
    body = "".join(
        f"<p style='break-after: page'>{text}</p>" for text in texts[:-1]
    ) + (f"<p>{texts[-1]}</p>" if texts else "")
    return HTML(string=f"<html lang='de'><body>{body}</body></html>").write_pdf()


def pages_pdf(*texts: str, name: str = "dokument.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, pages_pdf_bytes(*texts), content_type="application/pdf"
    )


def make_note(user, world, *, file=None, meeting=None, **fields):
    """An annotation of ``user`` through the service (default: a note on
    page 1 of the non-public Wertgutachten of the held Bauausschuss)."""
    values = {
        "uuid": uuid.uuid4(),
        "page": 1,
        "kind": "note",
        "text": "Nachfragen zum Kaufpreis",
    }
    values.update(fields)
    return annotation_create(
        actor=user,
        meeting=meeting or world.held_meeting,
        file=file or world.secret_file,
        **values,
    ).annotation


def later(clock, minutes: int = 5) -> None:
    clock.advance(minutes=minutes)

"""Helpers of the session pack tests: the portal's test town with its packs
built on commit, as after real requests, and reading the PDFs."""

import io

from django.test import Client
from pypdf import PdfReader

from sessions.models import SessionPack
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create
from tests.gremien.factories import UserFactory
from tests.publicportal.world import berlin, build_world


def build_pack_world(clock, settings, capture, **kwargs):
    """``tests.publicportal.world`` with automatic pack builds on: every
    commit of the build queues and runs the pack tasks (tasks run at once in
    tests)."""
    settings.GREMIEN_PACK_AUTO_BUILD = True
    with capture(execute=True):
        return build_world(clock, **kwargs)


def user_for(person):
    """A login for ``person`` (``Person.user``)."""
    user = UserFactory()
    person.user = user
    person.save(update_fields=["user"])
    return user


def client_for(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def pack_of(meeting, audience) -> SessionPack | None:
    return SessionPack.objects.filter(meeting=meeting, audience=audience).first()


def read_pack(pack: SessionPack) -> bytes:
    with pack.file.storage.open(pack.file.name, "rb") as handle:
        return handle.read()


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def page_texts(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def outline_titles(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    titles = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(str(entry.title))

    walk(reader.outline)
    return titles


def all_text(data: bytes) -> str:
    """Every text a reader can get out of a PDF: pages, metadata, outline."""
    reader = PdfReader(io.BytesIO(data))
    parts = page_texts(data)
    parts += [str(value) for value in (reader.metadata or {}).values()]
    parts += outline_titles(data)
    return "\n".join(parts)


def planned_meeting(world):
    """A Bauausschuss meeting with one item whose invitation is not sent."""
    planned = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name="7. Sitzung des Bauausschusses",
        start=berlin(12, 20, 17),
    )
    agenda_item_add(actor=world.clerk, meeting=planned, name="Haushalt 2027")
    return planned

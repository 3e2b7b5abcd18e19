"""The meeting's files for members (``/mappe/<meeting>/dateien/<file>/``):
what the live tablet links to, non-public documents included."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.services import file_attach
from gremien.models import Membership
from sessions.member_files import member_file_url
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.agenda_factories import committee
from tests.sessions.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 12, 17, tzinfo=dt.UTC)
SECRET = b"Grundstueck Nr. 4711 - Kaufpreis vertraulich"


def member_of(organization, **membership):
    user = UserFactory()
    person = PersonFactory(body=organization.body, user=user)
    MembershipFactory(person=person, organization=organization, **membership)
    return user


@pytest.fixture
def world(body, bau):
    meeting = MeetingFactory(body=body, organizations=[bau], start=START)
    item = AgendaItemFactory(meeting=meeting, public=False, name="Grundstücksverkauf")
    file = file_attach(
        actor=None,
        owner=item,
        upload=SimpleUploadedFile("kaufvertrag.txt", SECRET, "text/plain"),
    )
    other_meeting = MeetingFactory(body=body, organizations=[bau], start=START)
    elsewhere = file_attach(
        actor=None,
        owner=AgendaItemFactory(meeting=other_meeting),
        upload=SimpleUploadedFile("anderes.txt", b"andere Sitzung", "text/plain"),
    )
    return meeting, file, elsewhere


def get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_a_member_reads_a_non_public_file_of_the_meeting(world, bau):
    meeting, file, _ = world
    response = get(member_of(bau), member_file_url(meeting.pk, file.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET
    assert response["Cache-Control"] == "private, no-store"


def test_a_deputy_and_staff_read_it_too(world, bau, body):
    meeting, file, _ = world
    deputy = member_of(bau, kind=Membership.Kind.DEPUTY)
    for user in (deputy, staff_of(body)):
        assert get(user, member_file_url(meeting.pk, file.pk)).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other_committee", "other_body"])
def test_others_get_no_file(world, body, who):
    meeting, file, _ = world
    if who == "anonymous":
        response = get(None, member_file_url(meeting.pk, file.pk))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts_login"))
        return
    if who == "other_committee":
        user = member_of(committee(body, "Sozialausschuss"))
    else:
        user = member_of(committee(BodyFactory(), "Bauausschuss"))
    response = get(user, member_file_url(meeting.pk, file.pk))
    assert response.status_code == 404
    assert SECRET not in response.content


def test_a_file_of_another_meeting_is_not_reached_through_this_one(world, bau):
    meeting, _, elsewhere = world
    response = get(member_of(bau), member_file_url(meeting.pk, elsewhere.pk))
    assert response.status_code == 404


def test_a_deleted_file_is_gone(world, bau):
    meeting, file, _ = world
    file.deleted_at = START
    file.save(update_fields=["deleted_at"])
    response = get(member_of(bau), member_file_url(meeting.pk, file.pk))
    assert response.status_code == 404

"""Session packs as a feature: built in the background after each committed
change, kept while a new one builds, removed when they must not exist.

Everything runs as in production: services change the data, the commit
queues the pack tasks (run at once in tests), the engine renders real PDFs
and the tests read them with pypdf.
"""

import datetime as dt
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from documents.services import file_attach
from sessions.models import SessionPack
from sessions.packs import service
from sessions.packs.parts import PartCache
from sessions.packs.signals import affected_meetings
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create
from tests.publicportal.world import berlin, pdf_upload
from tests.sessions.agenda_factories import invite
from tests.sessions.pack_world import (
    all_text,
    body_of,
    build_pack_world,
    pack_of,
    page_texts,
    planned_meeting,
    read_pack,
    user_for,
)

pytestmark = pytest.mark.django_db

MEMBER, PUBLIC = SessionPack.Audience.MEMBER, SessionPack.Audience.PUBLIC
READY = SessionPack.State.READY


@pytest.fixture
def world(clock, settings, django_capture_on_commit_callbacks):
    return build_pack_world(clock, settings, django_capture_on_commit_callbacks)


def test_the_invitation_builds_both_packs_after_the_commit(world):
    meeting = world.council_meeting
    member, public = pack_of(meeting, MEMBER), pack_of(meeting, PUBLIC)

    assert member.state == READY and public.state == READY
    member_data, public_data = read_pack(member), read_pack(public)
    assert len(page_texts(member_data)) == member.pages > public.pages > 0
    assert member.size == len(member_data)
    assert member.parts_done == member.parts_total > 0
    assert member.built_at is not None and member.content_hash
    # the member base holds the non-public item, the public pack does not
    assert world.marker in all_text(member_data)
    assert world.marker not in all_text(public_data)
    assert "Bebauungsplan" in all_text(public_data)
    assert member.nonpublic_pages and not public.nonpublic_pages
    texts = page_texts(member_data)
    assert any(world.marker in texts[page] for page in member.nonpublic_pages)


def test_packs_are_stored_under_unguessable_names_outside_public_urls(world):
    pack = pack_of(world.council_meeting, MEMBER)
    assert pack.file.name.startswith("packs/built/")
    stem = pack.file.name.rsplit("/", 1)[1].removesuffix(".pdf")
    assert re.fullmatch("[0-9a-f]{32}", stem)


def test_meetings_without_invitation_get_no_pack_until_staff_request_one(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planned = planned_meeting(world)
    assert not SessionPack.objects.filter(meeting=planned).exists()

    client.force_login(world.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings_packs_rebuild", args=[planned.pk]))

    assert response.status_code == 302
    member = pack_of(planned, MEMBER)
    assert member.state == READY
    assert "Haushalt 2027" in all_text(read_pack(member))
    # the agenda is not public before the invitation: no public pack
    assert pack_of(planned, PUBLIC) is None


def test_a_changed_paper_rebuilds_the_packs_and_replaces_the_file(
    world, django_capture_on_commit_callbacks
):
    meeting = world.council_meeting
    before = pack_of(meeting, PUBLIC)
    paper = world.public_paper

    with django_capture_on_commit_callbacks(execute=True):
        paper.name = "Bebauungsplan Nr. 12 Am Mühlenbach, geänderte Fassung"
        paper.save()

    after = pack_of(meeting, PUBLIC)
    assert after.state == READY
    assert after.file.name != before.file.name
    assert after.content_hash != before.content_hash
    assert "geänderte Fassung" in all_text(read_pack(after))
    # the old file is deleted once the new one is in place
    assert not default_storage.exists(before.file.name)
    # the paper is on the held meeting's agenda too
    assert "geänderte Fassung" in all_text(
        read_pack(pack_of(world.held_meeting, PUBLIC))
    )


def test_a_save_without_changes_builds_nothing(
    world, django_capture_on_commit_callbacks
):
    meeting = world.council_meeting
    before = pack_of(meeting, MEMBER)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting.save()

    after = pack_of(meeting, MEMBER)
    assert callbacks, "the save was not heard"
    assert after.state == READY
    assert after.file.name == before.file.name
    assert after.generation > before.generation


class Recorder:
    """Stands in for the task: notes what would be enqueued."""

    def __init__(self):
        self.sent = []

    def enqueue(self, *args, **kwargs):
        self.sent.append(args)


def test_one_task_per_meeting_and_audience_for_a_transaction(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from sessions.packs import tasks

    recorder = Recorder()
    monkeypatch.setattr(tasks, "pack_build", recorder)
    meeting = world.council_meeting
    with django_capture_on_commit_callbacks(execute=True):
        for item in meeting.agenda_items.all():
            item.save()
        meeting.save()
        world.public_paper.save()

    assert sorted(recorder.sent) == sorted(
        [
            (meeting.pk, MEMBER),
            (meeting.pk, PUBLIC),
            (world.held_meeting.pk, MEMBER),
            (world.held_meeting.pk, PUBLIC),
        ]
    )
    assert pack_of(meeting, MEMBER).state == SessionPack.State.QUEUED
    assert pack_of(meeting, PUBLIC).state == SessionPack.State.QUEUED


def test_changes_reach_the_meetings_that_print_them(world):
    w = world
    assert affected_meetings({"paper": {w.public_paper.pk}}) == {
        w.held_meeting.pk,
        w.council_meeting.pk,
    }
    assert affected_meetings({"item": {w.council_secret.pk}}) == {w.council_meeting.pk}
    assert w.council_meeting.pk in affected_meetings({"body": {w.body.pk}})
    assert affected_meetings({"organization": {w.fraction.pk}}) == set()


def test_a_failed_build_keeps_the_previous_pack_downloadable(
    world, client, django_capture_on_commit_callbacks
):
    meeting = world.council_meeting
    before = pack_of(meeting, MEMBER)
    client.force_login(user_for(world.member))

    with django_capture_on_commit_callbacks(execute=True):
        broken = file_attach(
            actor=None,
            owner=world.council_item,
            upload=pdf_upload("Lageplan Lindenweg", "lageplan.pdf"),
            name="Lageplan",
        )
        # the stored blob is lost before the build reads it
        default_storage.delete(broken.content.name)

    failed = pack_of(meeting, MEMBER)
    assert failed.state == SessionPack.State.FAILED
    assert "Lageplan" in failed.error
    assert failed.file.name == before.file.name
    assert default_storage.exists(before.file.name)
    response = client.get(reverse("packs_member_download", args=[meeting.pk]))
    assert response.status_code == 200
    text = all_text(body_of(response))
    assert "Lindenweg" not in text
    assert world.marker in text


def test_queued_while_building_stays_queued_for_the_next_build(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    meeting = world.council_meeting
    original = service._build

    def build_while_staff_edit(pack, selection):
        service.request_builds([meeting])  # a change committed meanwhile
        return original(pack, selection)

    monkeypatch.setattr(service, "_build", build_while_staff_edit)
    with django_capture_on_commit_callbacks(execute=False):
        service.build(meeting.pk, MEMBER, force=True)

    pack = pack_of(meeting, MEMBER)
    assert pack.state == SessionPack.State.QUEUED
    assert 0 < pack.built_generation < pack.generation


def test_a_meeting_that_is_no_longer_public_loses_its_public_pack(
    world, django_capture_on_commit_callbacks
):
    meeting = world.council_meeting
    public = pack_of(meeting, PUBLIC)

    with django_capture_on_commit_callbacks(execute=True):
        meeting.public = False
        meeting.save()

    assert pack_of(meeting, PUBLIC) is None
    assert not default_storage.exists(public.file.name)
    assert pack_of(meeting, MEMBER).state == READY


def test_an_agenda_without_public_items_has_no_public_pack(
    world, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closed = meeting_create(
            actor=world.clerk,
            body=world.body,
            organizations=[world.bau],
            name="8. Sitzung des Bauausschusses",
            start=berlin(12, 21, 17),
        )
        agenda_item_add(
            actor=world.clerk, meeting=closed, name="Personalsache", public=False
        )
        invite(world.clerk, closed)

    assert pack_of(closed, MEMBER).state == READY
    assert pack_of(closed, PUBLIC) is None


@pytest.fixture
def own_media(settings, tmp_path):
    """A media folder of its own: pruning must not empty the part cache that
    the other tests of this process share."""
    settings.MEDIA_ROOT = tmp_path


def test_pruning_keeps_the_parts_of_current_packs(
    own_media, clock, settings, django_capture_on_commit_callbacks
):
    world = build_pack_world(clock, settings, django_capture_on_commit_callbacks)
    meeting = world.council_meeting
    before = set(pack_of(meeting, MEMBER).part_keys)
    with django_capture_on_commit_callbacks(execute=True):
        world.public_paper.name = "Bebauungsplan Nr. 12, neue Fassung"
        world.public_paper.save()
    after = set(pack_of(meeting, MEMBER).part_keys)
    assert before - after, "the changed paper is a new part"
    cache = PartCache()
    assert all(cache.get(key) is not None for key in before | after)

    clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("pack_parts_prune", older_than_hours=0, stdout=out)

    assert all(cache.get(key) is not None for key in after)
    assert all(cache.get(key) is None for key in before - after)
    assert "unused parts deleted" in out.getvalue()

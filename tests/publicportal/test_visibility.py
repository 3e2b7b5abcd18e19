"""The rules of ``publicportal.visibility``: what the public may see."""

import datetime as dt

import pytest

from documents.models import File
from documents.services import file_attach, paper_withdraw
from publicportal import visibility
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_cancel, meeting_create
from tests.publicportal.world import berlin, pdf_upload


def test_public_and_non_public_objects_of_the_world(world):
    public = visibility.is_public
    assert public(world.public_paper)
    assert not public(world.secret_paper)
    assert not public(world.draft_paper), "a draft is never public"
    assert public(world.held_meeting) and public(world.council_meeting)
    assert not public(world.closed_meeting), "a fraction's meeting is not public"
    assert public(world.public_item) and public(world.council_item)
    assert not public(world.secret_item) and not public(world.council_secret)
    assert not public(world.restricted_file), "a restricted file stays hidden"
    assert not public(world.secret_file), "a file is as public as its paper"


def test_persons_are_public_through_their_non_staff_memberships(world):
    assert visibility.is_public(world.chair)
    assert visibility.is_public(world.former), "past members stay on record"
    assert not visibility.is_public(world.clerk_person), "administration staff"
    staff_seats = visibility.public_memberships(world.body).filter(
        person=world.clerk_person
    )
    assert not staff_seats.exists()


def test_contact_data_only_where_marked_public(world):
    chair = visibility.public_person_fields(world.chair)
    member = visibility.public_person_fields(world.member)
    assert chair["email"] == ["erika.mustermann@example.org"]
    assert chair["phone"] == [], "the phone number is not marked public"
    assert member["email"] == []


def test_the_agenda_is_public_only_once_the_invitation_is_sent(world, clock):
    planned = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name="Sitzung im Januar",
        start=berlin(12, 15, 17).replace(year=2027, month=1),
    )
    item = agenda_item_add(actor=world.clerk, meeting=planned, name="Haushalt 2027")
    assert visibility.is_public(planned), "the date is public from the start"
    assert not visibility.is_public(item)
    meeting_cancel(actor=world.clerk, meeting=planned, reason="Termin entfällt")
    assert not visibility.is_public(item), "cancelled before any invitation"
    assert visibility.is_public(world.cancelled)
    assert visibility.agenda_published(world.cancelled)


def test_sub_items_follow_their_parent(world):
    child = agenda_item_add(
        actor=world.clerk,
        meeting=world.council_meeting,
        name="Unterpunkt",
        parent=world.council_secret,
    )
    # Imported data may carry a public flag under a non-public parent.
    type(child).objects.filter(pk=child.pk).update(public=True)
    assert not visibility.is_public(child)


def test_results_and_minutes_follow_the_meeting_state(world):
    assert visibility.result_public(world.held_meeting)
    assert visibility.minutes_published(world.held_meeting)
    assert not visibility.result_public(world.council_meeting)
    assert list(visibility.public_minutes_items(world.held_meeting)) == list(
        visibility.public_agenda_items(world.held_meeting)
    )
    assert not visibility.public_minutes_items(world.council_meeting).exists()
    assert world.secret_item not in visibility.public_minutes_items(world.held_meeting)


def test_minutes_files_are_public_only_after_publication(world):
    invitation = file_attach(
        actor=None,
        owner=world.council_meeting,
        upload=pdf_upload("Einladung zur Ratssitzung", "einladung.pdf"),
        role=File.Role.INVITATION,
    )
    draft_minutes = file_attach(
        actor=None,
        owner=world.council_meeting,
        upload=pdf_upload("Entwurf der Niederschrift", "niederschrift.pdf"),
        role=File.Role.RESULTS_PROTOCOL,
    )
    minutes = file_attach(
        actor=None,
        owner=world.held_meeting,
        upload=pdf_upload("Niederschrift Bauausschuss", "niederschrift.pdf"),
        role=File.Role.RESULTS_PROTOCOL,
    )
    assert visibility.is_public(invitation)
    assert not visibility.is_public(draft_minutes)
    assert visibility.is_public(minutes)


def test_a_withdrawn_paper_stays_public_only_if_it_was_released(world):
    paper_withdraw(actor=None, paper=world.draft_paper, reason="Erledigt")
    world.draft_paper.refresh_from_db()
    assert not visibility.is_public(world.draft_paper)
    paper_withdraw(actor=None, paper=world.public_paper, reason="Neue Vorlage folgt")
    world.public_paper.refresh_from_db()
    assert world.public_paper.state == "withdrawn"
    assert visibility.is_public(world.public_paper)


def test_consultations_on_non_public_items_are_hidden(world):
    steps = visibility.public_consultations(world.public_paper)
    assert [c.agenda_item_id for c in steps] == [
        world.public_item.pk,
        world.council_item.pk,
    ]
    assert not visibility.public_consultations(world.secret_paper).exists()


@pytest.mark.parametrize("field", ["deleted_at"])
def test_deleted_objects_are_not_public(world, field):
    world.public_item.deleted_at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    world.public_item.save()
    assert not visibility.is_public(world.public_item)
    assert (
        not visibility.public_consultations(world.public_paper)
        .filter(agenda_item=world.public_item)
        .exists()
    )


def test_objects_without_a_public_queryset_are_never_public(world):
    assert not visibility.is_public(world.clerk)
    assert not visibility.is_public(None)

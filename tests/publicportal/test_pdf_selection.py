"""The contents of meeting documents: members get everything with the public
parts marked; the public gets only what the visibility module allows."""

import pytest

from sessions.pdf.selection import MEMBER, PUBLIC, meeting_selection

pytestmark = pytest.mark.django_db


def names(selection):
    return [part.item.name for part in selection.items]


def test_members_get_every_item_and_know_which_are_not_public(world):
    meeting = world.held_meeting
    members = meeting_selection(meeting, MEMBER)
    public = meeting_selection(meeting, PUBLIC)
    hidden = [p.item.name for p in members.items if not p.public]
    assert hidden, "the world's held meeting has a non-public item"
    assert set(names(public)) == {p.item.name for p in members.items if p.public}
    assert not set(hidden) & set(names(public))
    assert members.has_non_public and not public.has_non_public


def test_the_public_gets_no_restricted_or_non_public_file(world):
    public = meeting_selection(world.held_meeting, PUBLIC)
    members = meeting_selection(world.held_meeting, MEMBER)
    public_files = {f.file.pk for p in public.items for f in p.files}
    member_files = {f.file.pk: f.public for p in members.items for f in p.files}
    assert public_files == {pk for pk, shown in member_files.items() if shown}
    assert world.restricted_file.pk not in public_files
    assert all(p.paper is None or p.paper_public for p in public.items)


def test_a_non_public_meeting_has_no_public_contents(world):
    public = meeting_selection(world.closed_meeting, PUBLIC)
    assert public.items == []

"""Who may read the non-public part of a meeting (``sessions.access``)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gremien.models import Membership
from sessions.access import may_read_non_public
from sessions.models import SessionPack
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.agenda_factories import committee
from tests.sessions.factories import MeetingFactory
from tests.sessions.pack_world import (
    all_text,
    body_of,
    build_pack_world,
    pack_of,
    page_texts,
    read_pack,
    user_for,
)

pytestmark = pytest.mark.django_db

MEETING_START = dt.datetime(2026, 3, 12, 17, tzinfo=dt.UTC)
MEETING_DAY = dt.date(2026, 3, 12)


@pytest.fixture
def meeting(body, bau):
    return MeetingFactory(body=body, organizations=[bau], start=MEETING_START)


def member_user(organization, **membership):
    """A user whose person has a membership in ``organization``."""
    user = UserFactory()
    person = PersonFactory(body=organization.body, user=user)
    MembershipFactory(person=person, organization=organization, **membership)
    return user


@pytest.mark.parametrize(
    "kind",
    [
        Membership.Kind.MEMBER,
        Membership.Kind.DEPUTY,
        Membership.Kind.CITIZEN_MEMBER,
        Membership.Kind.ADVISORY,
    ],
)
def test_members_of_the_committee_may_read(meeting, bau, kind):
    assert may_read_non_public(member_user(bau, kind=kind), meeting)


def test_staff_of_the_body_may_read_without_a_membership(meeting, staff):
    assert may_read_non_public(staff, meeting)


def test_a_membership_of_kind_staff_gives_no_access(meeting, bau):
    user = member_user(bau, kind=Membership.Kind.STAFF)
    assert not may_read_non_public(user, meeting)


def test_a_former_member_may_not_read(meeting, bau):
    user = member_user(
        bau, start_date=dt.date(2021, 11, 1), end_date=MEETING_DAY - dt.timedelta(1)
    )
    assert not may_read_non_public(user, meeting)


def test_a_membership_ending_on_the_meeting_day_still_counts(meeting, bau):
    user = member_user(bau, end_date=MEETING_DAY)
    assert may_read_non_public(user, meeting)


def test_a_member_starting_after_the_meeting_may_not_read(meeting, bau):
    user = member_user(bau, start_date=MEETING_DAY + dt.timedelta(1))
    assert not may_read_non_public(user, meeting)


def test_a_member_of_another_committee_may_not_read(meeting, body):
    other = committee(body, "Finanzausschuss")
    assert not may_read_non_public(member_user(other), meeting)


def test_a_member_of_a_committee_in_another_body_may_not_read(meeting):
    elsewhere = committee(BodyFactory(slug="nachbarort"), "Bauausschuss")
    assert not may_read_non_public(member_user(elsewhere), meeting)


def test_staff_of_another_body_may_not_read(meeting):
    assert not may_read_non_public(staff_of(BodyFactory(slug="nachbarort")), meeting)


def test_a_deleted_membership_gives_no_access(meeting, bau):
    user = member_user(bau)
    Membership.objects.filter(person__user=user).update(deleted_at=timezone.now())
    assert not may_read_non_public(user, meeting)


def test_a_joint_meeting_admits_members_of_each_committee(body, bau):
    finance = committee(body, "Finanzausschuss")
    joint = MeetingFactory(body=body, organizations=[bau, finance], start=MEETING_START)
    assert may_read_non_public(member_user(finance), joint)


def test_anonymous_inactive_and_unlinked_users_may_not_read(meeting, bau):
    inactive = member_user(bau)
    inactive.is_active = False
    inactive.save()
    assert not may_read_non_public(AnonymousUser(), meeting)
    assert not may_read_non_public(inactive, meeting)
    assert not may_read_non_public(UserFactory(), meeting)


def test_members_lose_access_to_a_deleted_meeting_staff_keep_it(meeting, bau, staff):
    user = member_user(bau)
    meeting.deleted_at = timezone.now()
    meeting.save()
    assert not may_read_non_public(user, meeting)
    assert may_read_non_public(staff, meeting)


# --- downloads of the member pack -------------------------------------------------

WATERMARK = "Nicht öffentlich – persönliches Exemplar für {}"


@pytest.fixture
def world(clock, settings, django_capture_on_commit_callbacks):
    return build_pack_world(clock, settings, django_capture_on_commit_callbacks)


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def member_url(meeting):
    return reverse("packs_member_download", args=[meeting.pk])


def test_a_member_downloads_a_copy_marked_on_exactly_the_non_public_pages(
    client, world
):
    meeting = world.council_meeting
    pack = pack_of(meeting, SessionPack.Audience.MEMBER)
    client.force_login(user_for(world.member))

    response = client.get(member_url(meeting))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="Sitzungsmappe-2026-12-03-Rat-der-Stadt-Mitglieder.pdf"'
    )
    texts = page_texts(body_of(response))
    assert len(texts) == pack.pages
    stamp = WATERMARK.format("Hans Beispiel")
    marked = [number for number, text in enumerate(texts) if stamp in text]
    assert marked == sorted(pack.nonpublic_pages) != []
    # the restricted attachment of the public paper is marked, the public
    # one next to it is not
    assert any(f"Kaufvertrag {world.marker}" in texts[n] for n in marked)
    public_file = [n for n, text in enumerate(texts) if "Begründung zum" in text]
    assert public_file and not set(public_file) & set(marked)


def test_each_member_gets_a_copy_with_their_own_name(client, world):
    meeting = world.council_meeting
    client.force_login(user_for(world.chair))
    text = "\n".join(page_texts(body_of(client.get(member_url(meeting)))))
    assert WATERMARK.format("Erika Mustermann") in text
    assert "Hans Beispiel" not in text
    # the stored base is never marked
    base = "\n".join(page_texts(read_pack(pack_of(meeting, "member"))))
    assert "persönliches Exemplar" not in base


@pytest.mark.parametrize("who", ["former", "other_committee", "other_body", "nobody"])
def test_others_get_a_404(client, world, who):
    meeting = world.council_meeting  # of the council
    if who == "former":
        user = user_for(world.former)  # left the council in 2025
    elif who == "other_committee":
        person = PersonFactory(body=world.body)
        MembershipFactory(person=person, organization=world.bau)
        user = user_for(person)
    elif who == "other_body":
        elsewhere = committee(BodyFactory(slug="nachbarort"), "Rat", kind="council")
        user = member_user(elsewhere)
    else:
        user = UserFactory()
    client.force_login(user)

    response = client.get(member_url(meeting))

    assert response.status_code == 404
    assert world.marker.encode() not in body_of(response)


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    response = client.get(member_url(world.council_meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_login"))


def test_a_pack_not_built_yet_is_a_404_with_a_message(client, world):
    meeting = world.council_meeting
    SessionPack.objects.filter(meeting=meeting).delete()
    client.force_login(user_for(world.member))

    response = client.get(member_url(meeting))

    assert response.status_code == 404
    assert "sessions/packs/member_pack_missing.html" in template_names(response)
    assert meeting.name in response.content.decode()


# --- the admin ----------------------------------------------------------------------


def test_staff_see_both_packs_and_download_their_own_copy(client, world):
    meeting = world.council_meeting
    client.force_login(world.clerk)

    box = client.get(reverse("meetings_packs", args=[meeting.pk])).content.decode()
    assert 'class="session-packs__member" data-state="ready"' in box
    assert 'class="session-packs__public" data-state="ready"' in box
    assert reverse("meetings_packs_rebuild", args=[meeting.pk]) in box

    copy = client.get(reverse("meetings_packs_member", args=[meeting.pk]))
    assert copy.status_code == 200
    assert {"private", "no-store"} <= set(copy["Cache-Control"].split(", "))
    name = world.clerk.get_username()
    assert WATERMARK.format(name) in "\n".join(page_texts(body_of(copy)))
    public = client.get(reverse("meetings_packs_public", args=[meeting.pk]))
    assert public.status_code == 200
    assert world.marker not in all_text(body_of(public))


def test_the_box_is_part_of_the_status_screen_by_its_include(client, world):
    meeting = world.council_meeting
    client.force_login(world.clerk)
    request = client.get(reverse("meetings_status", args=[meeting.pk])).wsgi_request
    html = render_to_string(
        "sessions/admin/_packs.html", {"meeting": meeting}, request=request
    )
    assert 'id="session-packs"' in html
    assert reverse("meetings_packs_rebuild", args=[meeting.pk]) in html
    assert "csrfmiddlewaretoken" in html


def test_building_anew_needs_the_csrf_token(world):
    meeting = world.council_meeting
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk)
    url = reverse("meetings_packs_rebuild", args=[meeting.pk])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405


def test_a_missing_pack_is_a_clear_message_in_the_admin(client, world):
    meeting = world.council_meeting
    SessionPack.objects.filter(meeting=meeting).delete()
    client.force_login(world.clerk)

    for name in ("meetings_packs_member", "meetings_packs_public"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 404
        assert "sessions/admin/pack_missing.html" in template_names(response)
        status = reverse("meetings_status", args=[meeting.pk])
        assert f'href="{status}#session-packs"' in response.content.decode()


def test_staff_of_another_body_see_nothing(client, world):
    client.force_login(staff_of(BodyFactory(slug="nachbarort")))
    meeting = world.council_meeting
    for name in ("meetings_packs", "meetings_packs_member", "meetings_packs_public"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404

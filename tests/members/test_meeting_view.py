"""One meeting in the member portal (``/mitglieder/sitzungen/<pk>/``): the
full agenda with the non-public part for whoever may read it, every
document, the member pack, addenda and new things marked, the live view;
and nothing of it for anyone else."""

import pytest
from django.test import Client
from django.urls import reverse

from sessions.access import may_read_non_public, meetings_entitled
from sessions.models import Meeting
from sessions.services.agenda import agenda_item_add
from sessions.services.live import live_start
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    staff_of,
)
from tests.publicportal.world import pdf_upload
from tests.sessions.agenda_factories import run
from tests.sessions.pack_world import client_for, user_for

pytestmark = pytest.mark.django_db


def page(client, meeting) -> str:
    response = client.get(reverse("members_meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    return response.content.decode()


def test_a_member_reads_both_parts_with_every_document(world, hans):
    user, client = hans
    html = page(client, world.held_meeting)

    public_part = html[
        html.index('id="public-heading"') : html.index('id="non-public-heading"')
    ]
    non_public_part = html[html.index('id="non-public-heading"') :]
    assert world.public_paper.name in public_part
    assert world.secret_item.name in non_public_part
    assert world.marker in non_public_part  # the non-public paper's title
    secret_link = reverse(
        "member_file", args=[world.held_meeting.pk, world.secret_file.pk]
    )
    assert secret_link in non_public_part
    restricted = reverse(
        "member_file", args=[world.held_meeting.pk, world.restricted_file.pk]
    )
    assert restricted in public_part  # members may read restricted annexes

    download = client.get(secret_link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_the_council_meeting_shows_its_pack_notice_and_items(world, hans):
    user, client = hans
    html = page(client, world.council_meeting)
    assert world.council_secret.name in html
    assert "Einladung" in html  # the notice sent
    assert reverse("live_member", args=[world.council_meeting.pk]) not in html


def test_an_addendum_is_highlighted_and_new_things_are_marked(world, hans, clock):
    user, client = hans
    page(client, world.council_meeting)  # opened once
    clock.advance(hours=2)
    client.force_login(user)  # the session timed out meanwhile
    item = agenda_item_add(
        actor=world.clerk, meeting=world.council_meeting, name="Eilige Vergabe"
    )
    from documents.services import file_attach

    file_attach(
        actor=None,
        owner=item,
        upload=pdf_upload("Vergabevorschlag", "vergabe.pdf"),
        name="Vergabevorschlag",
    )
    clock.advance(minutes=20)

    html = page(client, world.council_meeting)

    entry = html[
        html.index("Eilige Vergabe") - 600 : html.index("Vergabevorschlag") + 400
    ]
    assert "mp-item--addendum" in entry
    assert "Nachtrag" in entry
    assert "neu" in entry
    old = html[
        html.index(world.council_secret.name) - 400 : html.index(
            world.council_secret.name
        )
    ]
    assert "mp-item--new" not in old


def test_the_live_view_is_offered_while_the_meeting_runs(world, hans, clock):
    user, client = hans
    meeting = run(world.clerk, world.council_meeting, clock)
    live_start(actor=world.clerk, meeting=meeting)
    client.force_login(user)  # on the day of the meeting
    html = page(client, meeting)
    assert reverse("live_member", args=[meeting.pk]) in html


# Who may open a meeting ------------------------------------------------------


def _another_body_member(world):
    other = BodyFactory(name="Gemeinde Anderswo", slug="anderswo")
    council = OrganizationFactory(body=other, name="Gemeinderat", kind="council")
    person = PersonFactory(body=other, given_name="Otto", family_name="Anderswo")
    MembershipFactory(person=person, organization=council)
    return user_for(person)


def _other_committee_member(world):
    social = OrganizationFactory(body=world.body, name="Sozialausschuss")
    person = PersonFactory(body=world.body, given_name="Sina", family_name="Sozial")
    MembershipFactory(person=person, organization=social)
    return user_for(person)


OUTSIDERS = {
    "former member": lambda world: user_for(world.former),
    "member of another committee": _other_committee_member,
    "member of another body": _another_body_member,
    "staff of another body": lambda world: staff_of(BodyFactory(slug="fremd")),
}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_nothing_of_the_non_public_part(world, who):
    client = client_for(OUTSIDERS[who](world))
    for meeting in (world.held_meeting, world.council_meeting, world.closed_meeting):
        response = client.get(reverse("members_meeting", args=[meeting.pk]))
        assert response.status_code == 404
        assert world.marker not in response.content.decode()
        file_url = reverse(
            "member_file", args=[world.held_meeting.pk, world.secret_file.pk]
        )
        assert client.get(file_url).status_code == 404
    dashboard = client.get("/mitglieder/").content.decode()
    assert world.marker not in dashboard
    assert world.council_meeting.name not in dashboard


def test_anonymous_visitors_are_sent_to_the_sign_in(world):
    url = reverse("members_meeting", args=[world.council_meeting.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_staff_of_the_body_may_open_the_member_view(world):
    html = page(client_for(world.clerk), world.council_meeting)
    assert world.council_secret.name in html


def test_the_list_rule_and_the_one_meeting_rule_agree(world):
    """``meetings_entitled`` (dashboard, lists) says the same as
    ``may_read_non_public`` (a meeting, its files, the pack) for every member,
    former member and outsider, except staff, who read by their body."""
    users = [user_for(world.member), user_for(world.chair)] + [
        make(world)
        for name, make in OUTSIDERS.items()
        if name != "staff of another body"
    ]
    meetings = list(Meeting.objects.alive())
    for user in users:
        listed = set(meetings_entitled(user).values_list("pk", flat=True))
        readable = {m.pk for m in meetings if may_read_non_public(user, m)}
        assert listed == readable, user
    assert world.closed_meeting.pk in set(
        meetings_entitled(users[0]).values_list("pk", flat=True)
    )

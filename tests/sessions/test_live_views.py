"""The screens of a live session: who may open the chair's console, the
member's tablet and the room display, and what the pages carry (the
websocket address, the texts, no third-party address)."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from gremien.models import Person
from sessions.models import Attendance
from sessions.services.minutes import attendance_record
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.agenda_factories import committee, invite, run
from tests.sessions.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 12, 17, tzinfo=dt.UTC)
SCREENS = ("live_staff", "live_member", "live_projector")
#: An address on another host: a script, style sheet, font or image from
#: anywhere but this server (``xmlns`` and similar never occur in these pages).
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def member_of(organization, **membership):
    user = UserFactory()
    person = PersonFactory(body=organization.body, user=user)
    MembershipFactory(person=person, organization=organization, **membership)
    return user


@pytest.fixture
def meeting(body, bau):
    meeting = MeetingFactory(body=body, organizations=[bau], start=START)
    AgendaItemFactory(meeting=meeting, name="Bebauungsplan Nr. 12")
    return meeting


def url(name, meeting):
    return reverse(name, args=[meeting.pk])


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", SCREENS)
def test_anonymous_users_are_sent_to_the_login(client, meeting, name):
    response = client.get(url(name, meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_login"))


@pytest.mark.parametrize("name", SCREENS)
def test_a_member_of_another_committee_gets_a_403_page(client, meeting, body, name):
    finance = committee(body, "Finanzausschuss")
    response = login(client, member_of(finance)).get(url(name, meeting))
    assert response.status_code == 403
    assert "sessions/live/forbidden.html" in [t.name for t in response.templates]
    assert meeting.name in response.content.decode()


@pytest.mark.parametrize("name", SCREENS)
def test_staff_of_another_body_gets_a_403_page(client, meeting, name):
    other = staff_of(BodyFactory(slug="nachbarort"))
    assert login(client, other).get(url(name, meeting)).status_code == 403


def test_staff_open_the_console_and_the_room_display(client, meeting, staff):
    login(client, staff)
    for name, screen in (("live_staff", "staff"), ("live_projector", "projector")):
        response = client.get(url(name, meeting))
        assert response.status_code == 200
        config = json.loads(
            re.search(
                r'<script id="live-config" type="application/json">(.*?)</script>',
                response.content.decode(),
            ).group(1)
        )
        assert config["ws"] == f"/ws/live/{meeting.pk}/{screen}/"
        assert config["screen"] == screen and config["meeting"] == meeting.pk
        assert "no-store" in response["Cache-Control"]


def test_staff_without_a_seat_cannot_use_the_member_tablet(client, meeting, staff):
    assert login(client, staff).get(url("live_member", meeting)).status_code == 403


@pytest.mark.parametrize("kind", ["member", "deputy", "citizen_member", "advisory"])
def test_members_open_the_tablet_and_the_room_display(client, meeting, bau, kind):
    login(client, member_of(bau, kind=kind))
    response = client.get(url("live_member", meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/ws/live/{meeting.pk}/member/" in html
    assert 'data-choice="yes"' in html and 'data-choice="abstain"' in html
    assert client.get(url("live_projector", meeting)).status_code == 200


def test_a_member_who_is_not_chair_cannot_conduct(client, meeting, bau):
    assert login(client, member_of(bau)).get(
        url("live_staff", meeting)
    ).status_code == (403)


def test_the_chair_of_a_running_meeting_conducts(client, meeting, bau, staff, clock):
    chair_user = member_of(bau)
    clock.set(START - dt.timedelta(days=30))
    run(staff, meeting, clock)
    attendance_record(
        actor=staff,
        meeting=meeting,
        person=Person.objects.get(user=chair_user),
        status=Attendance.Status.PRESENT,
        capacity=Attendance.Capacity.CHAIR,
    )
    response = login(client, chair_user).get(url("live_staff", meeting))
    assert response.status_code == 200
    assert f"/ws/live/{meeting.pk}/staff/" in response.content.decode()


def test_a_former_member_may_not_open_the_tablet(client, meeting, bau):
    user = member_of(bau, end_date=dt.date(2026, 3, 11))
    assert login(client, user).get(url("live_member", meeting)).status_code == 403


def test_a_meeting_that_does_not_exist_is_404(client, staff):
    login(client, staff)
    assert client.get(reverse("live_staff", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", SCREENS)
def test_pages_load_nothing_from_other_hosts(client, meeting, bau, staff, name):
    user = member_of(bau) if name == "live_member" else staff
    html = login(client, user).get(url(name, meeting)).content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "/static/live/live.js" in html and "/static/live/live.css" in html
    # the texts of the client come translated with the page
    assert '<script id="live-texts" type="application/json">' in html


def test_the_admin_status_screen_links_to_the_console(client, meeting, staff, clock):
    clock.set(START - dt.timedelta(days=30))
    invite(staff, meeting)
    html = login(client, staff).get(url("meetings_status", meeting)).content.decode()
    assert url("live_staff", meeting) in html

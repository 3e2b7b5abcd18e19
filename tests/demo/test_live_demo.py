"""``manage.py live_demo``: a meeting to try the live screens with, which the
demo's Sitzungsdienst can start at once."""

import io

import pytest
from django.core.management import CommandError, call_command

from gremien.models import Organization
from sessions.models import Meeting
from sessions.services.live import live_start
from tests.gremien.factories import BodyFactory, OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db


def test_the_live_demo_meeting_can_be_started_right_away():
    body = BodyFactory(slug="lindenfeld")
    OrganizationFactory(body=body, name="Rat der Stadt", kind=Organization.Kind.COUNCIL)
    clerk = staff_of(body)
    clerk.username = "sitzungsdienst-lindenfeld"
    clerk.save(update_fields=["username"])
    out = io.StringIO()

    call_command("live_demo", "lindenfeld", stdout=out)

    meeting = Meeting.objects.get(body=body)
    assert meeting.state == Meeting.State.INVITED
    assert [i.public for i in meeting.agenda_items.order_by("order")] == [
        True,
        True,
        False,
    ]
    assert f"/live/{meeting.pk}/leitung/" in out.getvalue()
    session = live_start(actor=clerk, meeting=meeting)
    assert session.current_item is not None


def test_an_unknown_body_is_named():
    with pytest.raises(CommandError, match="Kürzel gibtsnicht"):
        call_command("live_demo", "gibtsnicht")

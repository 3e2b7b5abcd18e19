"""The public session pack, agenda and minutes as PDF on the portal."""

import pytest
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat

from publicportal.links import meeting_key
from sessions.models import AgendaItem, Meeting, SessionPack
from sessions.packs import service
from tests.publicportal.test_page_cache import asgi
from tests.sessions.pack_world import (
    all_text,
    body_of,
    build_pack_world,
    pack_of,
    planned_meeting,
)

pytestmark = pytest.mark.django_db

PUBLIC = SessionPack.Audience.PUBLIC


@pytest.fixture
def world(clock, settings, django_capture_on_commit_callbacks):
    return build_pack_world(clock, settings, django_capture_on_commit_callbacks)


def address(meeting, name: str, language: str = "") -> str:
    return f"{language}/sitzungen/{meeting_key(meeting)}/{name}"


def test_the_public_pack_is_served_with_a_german_file_name(client, world):
    meeting = world.council_meeting
    pack = pack_of(meeting, PUBLIC)

    response = client.get(address(meeting, "sitzungsmappe.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Sitzungsmappe-2026-12-03-Rat-der-Stadt.pdf"'
    )
    assert response["Cache-Control"] == "public, no-cache"
    data = body_of(response)
    assert data.startswith(b"%PDF-") and len(data) == pack.size
    assert "Bebauungsplan" in all_text(data)
    assert world.marker not in all_text(data)

    again = client.get(
        address(meeting, "sitzungsmappe.pdf"), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    english = client.get(address(meeting, "sitzungsmappe.pdf", "/en"))
    assert english.status_code == 200 and body_of(english) == data


def test_the_meeting_page_links_the_pack_with_pages_and_size(client, world):
    meeting = world.council_meeting
    pack = pack_of(meeting, PUBLIC)

    page = client.get(f"/sitzungen/{meeting_key(meeting)}/").text

    link = f'<a href="{address(meeting, "sitzungsmappe.pdf")}" download>'
    assert link in page
    entry = page.split(link, 1)[1].split("</li>", 1)[0]
    assert f"PDF, {pack.pages} " in entry
    assert filesizeformat(pack.size) in entry
    assert f'href="{address(meeting, "tagesordnung.pdf")}"' in page
    # the minutes of this meeting are not published
    assert "niederschrift.pdf" not in page


def test_no_public_pack_before_the_invitation(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planned = planned_meeting(world)
        service.request_builds([planned], force=True)

    assert pack_of(planned, PUBLIC) is None
    for name in ("sitzungsmappe.pdf", "tagesordnung.pdf", "niederschrift.pdf"):
        assert client.get(address(planned, name)).status_code == 404
    page = client.get(f"/sitzungen/{meeting_key(planned)}/").text
    assert "sitzungsmappe.pdf" not in page and "tagesordnung.pdf" not in page


def test_visibility_is_checked_on_every_request(client, world):
    """A change that bypasses the signals (``QuerySet.update``) and so
    triggers no rebuild still takes the built pack off at once."""
    meeting = world.council_meeting
    url = address(meeting, "sitzungsmappe.pdf")
    assert client.get(url).status_code == 200

    AgendaItem.objects.filter(pk=world.council_item.pk).update(public=False)
    assert client.get(url).status_code == 404
    page = client.get(f"/sitzungen/{meeting_key(meeting)}/").text
    assert "sitzungsmappe.pdf" not in page

    AgendaItem.objects.filter(pk=world.council_item.pk).update(public=True)
    assert client.get(url).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.PLANNED)
    assert client.get(url).status_code == 404
    Meeting.objects.filter(pk=meeting.pk).update(
        state=Meeting.State.INVITED, public=False
    )
    assert client.get(url).status_code == 404


def test_a_non_public_meeting_has_no_pdfs(client, world):
    closed = world.closed_meeting
    for name in ("sitzungsmappe.pdf", "tagesordnung.pdf", "niederschrift.pdf"):
        assert client.get(address(closed, name)).status_code == 404
        assert client.get(f"/sitzungen/{closed.pk}/{name}").status_code == 404


def test_the_public_agenda_as_pdf(client, world):
    response = client.get(address(world.council_meeting, "tagesordnung.pdf"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="Tagesordnung-2026-12-03-Rat-der-Stadt.pdf"'
    )
    text = all_text(body_of(response))
    assert "Bebauungsplan" in text
    assert world.marker not in text


def test_the_public_minutes_as_pdf_once_published(client, world):
    held = client.get(address(world.held_meeting, "niederschrift.pdf"))
    assert held.status_code == 200
    text = all_text(body_of(held))
    assert "empfiehlt dem Rat" in text
    assert world.marker not in text
    page = client.get(f"/sitzungen/{meeting_key(world.held_meeting)}/").text
    assert f'href="{address(world.held_meeting, "niederschrift.pdf")}"' in page

    invited = client.get(address(world.council_meeting, "niederschrift.pdf"))
    assert invited.status_code == 404


@pytest.fixture
def cached(settings):
    settings.GREMIEN_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_the_page_cache_keeps_the_page_but_not_the_pdfs(world, cached):
    meeting = world.held_meeting
    page = f"/sitzungen/{meeting_key(meeting)}/"
    assert asgi(page)["X-Portal-Cache"] == "miss", "the page cache is not working"
    for name in ("sitzungsmappe.pdf", "tagesordnung.pdf", "niederschrift.pdf"):
        first, second = asgi(address(meeting, name)), asgi(address(meeting, name))
        assert first.status == 200 and first.content.startswith(b"%PDF-")
        assert "X-Portal-Cache" not in first and "X-Portal-Cache" not in second

"""The public live view of a meeting (``/sitzungen/<slug>/live/``): only
what the visibility module lets the public see, a neutral notice while the
session is in its non-public part, never kept by the page cache."""

import re

import pytest

from publicportal import cache
from sessions.services.live import live_item_set, live_start

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def live_url(meeting, lang="/en"):
    return f"{lang}/sitzungen/{meeting.slug}/live/"


def start(world, clock, item=None):
    """Open the council meeting live, at ``item`` (else its first item)."""
    meeting = world.council_meeting
    clock.set(meeting.start)
    live_start(actor=world.clerk, meeting=meeting)
    if item is not None:
        live_item_set(actor=world.clerk, meeting=meeting, agenda_item=item)
    meeting.refresh_from_db()
    return meeting


def items(meeting):
    public = meeting.agenda_items.filter(public=True).order_by("order").first()
    secret = meeting.agenda_items.filter(public=False).first()
    return public, secret


def test_the_non_public_current_item_is_not_named(client, world, clock):
    meeting = world.council_meeting
    public, secret = items(meeting)
    start(world, clock, secret)

    response = client.get(live_url(meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Non-public part – not displayed" in html
    assert world.marker not in html
    assert public.name in html  # the public agenda is still listed


def test_a_public_current_item_is_shown(client, world, clock):
    meeting = world.council_meeting
    public, _secret = items(meeting)
    start(world, clock, public)

    html = client.get(live_url(meeting)).content.decode()
    assert 'aria-current="step"' in html
    current = re.search(r'<div data-live="item">(.*?)</div>', html, re.S).group(1)
    assert public.name in current
    assert "Non-public part" not in current and world.marker not in html


def test_the_page_says_to_reload_and_names_the_public_websocket(client, world, clock):
    meeting = start(world, clock)
    html = client.get(live_url(meeting)).content.decode()
    assert "Reload it to see the latest state" in html
    assert f"/ws/live/{meeting.pk}/public/" in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)


def test_before_the_live_session_the_page_says_so(client, world):
    html = client.get(live_url(world.council_meeting)).content.decode()
    assert "The live session has not started." in html
    assert world.marker not in html


def test_a_meeting_that_is_not_public_is_404(client, world):
    assert client.get(live_url(world.closed_meeting)).status_code == 404
    assert client.get(live_url(world.closed_meeting, lang="")).status_code == 404


def test_the_live_page_is_never_kept_by_the_page_cache(client, world, clock):
    meeting = start(world, clock)
    response = client.get(live_url(meeting))
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert not cache._cacheable_response(response)


def test_the_meeting_page_links_to_the_live_view_while_it_runs(client, world, clock):
    meeting = world.council_meeting
    page = f"/en/sitzungen/{meeting.slug}/"
    assert "Follow live" not in client.get(page).content.decode()
    start(world, clock)
    html = client.get(page).content.decode()
    assert "Follow live" in html and live_url(meeting) in html


def test_german_live_page(client, world, clock):
    meeting = start(world, clock)
    response = client.get(live_url(meeting, lang=""))
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert world.marker not in response.content.decode()

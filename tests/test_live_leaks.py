"""Websocket leaks of the live session: the public screen never receives a
non-public item's title, a vote or its progress on a non-public item, or its
speakers; not on connect, not in broadcasts (the websocket part of
``tests/test_leaks.py``)."""

import uuid

import pytest
from channels.db import database_sync_to_async

from tests.sessions import test_live_consumers as live
from tests.sessions.test_live_consumers import MARKER, Screen

pytestmark = pytest.mark.django_db(transaction=True)

# The consumer tests' fixtures: the live world, and closing the consumers'
# database connections afterwards.
clock = live.clock
lw = live.lw
close_worker_connections = live.close_worker_connections


async def test_public_screen_gets_nothing_of_a_non_public_item(lw):
    public = Screen(lw.meeting.pk, "public")
    staff = Screen(lw.meeting.pk, "staff", lw.cookies["staff"])
    member = Screen(lw.meeting.pk, "member", lw.cookies["m0"])
    for s in (public, staff, member):
        assert await s.connect()
        await s.state()
    hidden = lw.items[1]

    reply = await staff.send("item.set", item=hidden.pk)
    assert reply["ok"], reply
    state = await public.state(lambda m: m["item"] == {"public": False})
    assert state["vote"] is None and state["speakers"] == []
    assert (await member.state(lambda m: m["item"]["id"] == hidden.pk))["item"][
        "name"
    ].endswith(MARKER)

    assert (await member.send("speaker.request"))["ok"]
    reply = await staff.send("vote.open", kind="open", name=f"Kauf {MARKER}")
    assert reply["ok"], reply
    vote_id = reply["data"]["vote"]
    for n, cookie in enumerate(["m0", "m1", "m2"]):
        screen = (
            member if n == 0 else Screen(lw.meeting.pk, "member", lw.cookies[cookie])
        )
        if n:
            assert await screen.connect()
        reply = await screen.send(
            "ballot.cast", vote=vote_id, choice="yes", client_id=str(uuid.uuid4())
        )
        assert reply["ok"], reply
        if n:
            await screen.close()
    await staff.wait(lambda m: m["type"] == "progress" and m["cast"] == 3)
    assert (await staff.send("vote.close"))["ok"]
    await staff.state(lambda m: m["vote"] and m["vote"]["state"] == "closed")

    # A late public screen on the non-public item: its snapshot is clean too.
    late = Screen(lw.meeting.pk, "public")
    assert await late.connect()
    await late.state()

    # Back to the public item: the public screen follows again.
    assert (await staff.send("item.set", item=lw.items[0].pk))["ok"]
    state = await public.state(lambda m: m["item"].get("id") == lw.items[0].pk)
    assert state["vote"] is None

    for s in (public, late):
        await s.drain(0.3)
        assert not any(MARKER in text for text in s.raw), s.raw
        assert not any(m["type"] == "progress" for m in s.log)
        assert not any(
            m["type"] == "state" and m["vote"] and m["vote"]["id"] == vote_id
            for m in s.log
        )
        assert all(
            item["id"] != hidden.pk
            for m in s.log
            if m["type"] == "state"
            for item in m["items"]
        )
        assert not any(str(lw.members[0].pk) in str(m.get("speakers")) for m in s.log)
    assert any(MARKER in text for text in staff.raw)  # the marker did go out
    for s in (public, late, staff, member):
        await s.close()


async def test_non_public_meeting_has_no_public_screen(lw):
    lw.meeting.public = False

    await database_sync_to_async(lw.meeting.save)(update_fields=["public"])
    assert await Screen(lw.meeting.pk, "public").refused() == 4403

"""The live-session websockets: who may open which screen (close 4403, origin
check), the snapshot on connect, a full vote through the consumers with
progress at every screen, retries and a server restart mid-vote, the rate
limit, and secret votes that link no person to a choice.

The helpers at the top (test world, session cookies, ``Screen``) are shared
with ``tests/test_live_leaks.py``."""

from __future__ import annotations

import asyncio
import datetime
import json
import uuid
from importlib import import_module
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from config.asgi import application
from sessions.live import events, throttle
from sessions.live.db import close_connections
from sessions.models import Attendance, Vote, VoteParticipation
from sessions.services import voting
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create
from sessions.services.live import live_start
from sessions.services.minutes import attendance_record
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.agenda_factories import run

START = datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC)
MARKER = "GEHEIM-GRUNDSTUECK-4711"
ORIGIN = "http://localhost"


def with_user(person):
    person.user = UserFactory(username=f"user-{person.pk}")
    person.save(update_fields=["user"])
    return person


def cookie_for(user) -> str:
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def live_world(clock) -> SimpleNamespace:
    """A committee of five voting members in a running public meeting
    conducted live: members 0–3 present, member 4 excused; item 0 public,
    item 1 non-public (its title carries ``MARKER``); a member of another
    committee of the same body."""
    clock.set(START - datetime.timedelta(days=30))
    body = BodyFactory(municipal_code="nrw")
    council = OrganizationFactory(
        body=body, name="Bauausschuss", kind="committee", statutory_members=5
    )
    other = OrganizationFactory(body=body, name="Sozialausschuss", kind="committee")
    members = [
        with_user(MembershipFactory(organization=council).person) for _ in range(5)
    ]
    outsider = with_user(MembershipFactory(organization=other).person)
    staff = staff_of(body)
    meeting = meeting_create(
        actor=staff,
        body=body,
        organizations=[council],
        name="Bauausschuss",
        start=START,
    )
    items = [
        agenda_item_add(actor=staff, meeting=meeting, name="Spielplatz Ahornweg"),
        agenda_item_add(
            actor=staff, meeting=meeting, name=f"Grundstück {MARKER}", public=False
        ),
    ]
    run(staff, meeting, clock)
    for person in members[:4]:
        attendance_record(
            actor=staff,
            meeting=meeting,
            person=person,
            status=Attendance.Status.PRESENT,
        )
    attendance_record(
        actor=staff,
        meeting=meeting,
        person=members[4],
        status=Attendance.Status.EXCUSED,
    )
    live_start(actor=staff, meeting=meeting)
    for item in items:
        item.refresh_from_db()
    return SimpleNamespace(
        body=body,
        council=council,
        members=members,
        outsider=outsider,
        staff=staff,
        meeting=meeting,
        items=items,
        cookies={
            "staff": cookie_for(staff),
            "outsider": cookie_for(outsider.user),
            **{f"m{n}": cookie_for(p.user) for n, p in enumerate(members)},
        },
    )


def reset_live() -> None:
    """What a restarted server process starts with: no bound loop, no
    progress windows."""
    events._bound["loop"] = None
    events._bound["tail"] = None
    throttle.reset()
    events.forget_publicity()
    voting.forget_compiled()


class Screen:
    """One websocket: ``send`` an action and get its reply, ``wait`` for a
    message; ``log`` holds every message received, ``raw`` their text."""

    def __init__(
        self,
        meeting_id: int,
        screen: str,
        cookie: str | None = None,
        origin: str = ORIGIN,
    ) -> None:
        headers = [(b"origin", origin.encode())]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        self.path = f"/ws/live/{meeting_id}/{screen}/"
        self.comm = WebsocketCommunicator(application, self.path, headers=headers)
        self.log: list[dict] = []
        self.raw: list[str] = []
        self.pending: list[dict] = []
        self.closed_code: int | None = None

    async def connect(self) -> bool:
        connected, code = await self.comm.connect(timeout=5)
        if not connected:
            self.closed_code = code
            return False
        return True

    async def _next(self, timeout: float) -> dict | None:
        # ``receive_output`` cancels the application on a timeout: poll first.
        if await self.comm.receive_nothing(timeout, interval=0.005):
            raise TimeoutError
        output = await self.comm.receive_output(5)
        if output["type"] == "websocket.close":
            self.closed_code = output.get("code")
            return None
        text = output["text"]
        message = json.loads(text)
        self.raw.append(text)
        self.log.append(message)
        return message

    async def wait(self, predicate, timeout: float = 5.0) -> dict:
        """The next message matching ``predicate``. Others read meanwhile
        are kept for later waits: a broadcast sent on commit may arrive
        before the reply to the action that caused it."""
        for index, message in enumerate(self.pending):
            if predicate(message):
                del self.pending[: index + 1]
                return message
        self.pending.clear()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{self.path}: no matching message")
            message = await self._next(remaining)
            if message is None:
                raise AssertionError(f"{self.path}: closed ({self.closed_code})")
            if predicate(message):
                return message
            self.pending.append(message)

    async def drain(self, quiet: float = 0.3) -> list[dict]:
        """Read until nothing arrives for ``quiet`` seconds."""
        got, self.pending = self.pending, []
        while True:
            try:
                message = await self._next(quiet)
            except TimeoutError:
                return got
            if message is None:
                return got
            got.append(message)

    async def send(self, action: str, **params) -> dict:
        ref = uuid.uuid4().hex
        await self.comm.send_json_to({"action": action, "ref": ref, **params})
        return await self.wait(lambda m: m["type"] == "reply" and m["ref"] == ref)

    async def state(self, predicate=lambda m: True, timeout: float = 5.0) -> dict:
        return await self.wait(
            lambda m: m["type"] == "state" and predicate(m), timeout=timeout
        )

    async def refused(self) -> int | None:
        """The close code of a refused screen (accepted, then closed)."""
        if not await self.connect():
            return self.closed_code
        message = await self._next(5)
        assert message is None, message
        return self.closed_code

    async def close(self) -> None:
        await self.comm.disconnect()


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock(monkeypatch):
    from tests.sessions.agenda_factories import Clock

    return Clock(monkeypatch)


@pytest.fixture
def lw(clock):
    reset_live()
    world = live_world(clock)
    yield world
    reset_live()


@pytest.fixture(autouse=True)
async def close_worker_connections():
    """Close the database connections the consumers' workers keep, so
    PostgreSQL can drop the test database afterwards."""
    yield
    await database_sync_to_async(close_connections)()
    layer = get_channel_layer()
    if hasattr(layer, "close_pools"):  # Redis: no connection outlives the loop
        await layer.close_pools()


async def screens(lw, *specs: tuple[str, str | None]) -> list[Screen]:
    result = []
    for screen, who in specs:
        s = Screen(lw.meeting.pk, screen, lw.cookies.get(who) if who else None)
        assert await s.connect(), (screen, who)
        await s.state()
        result.append(s)
    return result


async def close_all(*all_screens: Screen) -> None:
    for s in all_screens:
        await s.close()


def count(vote_id: int) -> int:
    return VoteParticipation.objects.filter(vote_id=vote_id).count()


# --- who may open which screen -------------------------------------------------


@pytest.mark.parametrize("screen", ["staff", "member", "projector"])
async def test_anonymous_cannot_join_internal_screens(lw, screen):
    assert await Screen(lw.meeting.pk, screen).refused() == 4403


@pytest.mark.parametrize("screen", ["staff", "member", "projector"])
async def test_member_of_another_committee_cannot_join(lw, screen):
    s = Screen(lw.meeting.pk, screen, lw.cookies["outsider"])
    assert await s.refused() == 4403


async def test_member_cannot_open_the_staff_screen(lw):
    assert await Screen(lw.meeting.pk, "staff", lw.cookies["m0"]).refused() == 4403


async def test_foreign_origin_is_refused(lw):
    s = Screen(
        lw.meeting.pk, "staff", lw.cookies["staff"], origin="http://evil.example"
    )
    assert not await s.connect()


async def test_member_cannot_open_a_vote_by_crafting_a_message(lw):
    (member,) = await screens(lw, ("member", "m0"))
    reply = await member.send("vote.open", kind="open", name="Antrag")
    assert (reply["ok"], reply["code"]) == (False, "forbidden")
    assert reply["message"]
    exists = await database_sync_to_async(
        Vote.objects.filter(meeting=lw.meeting).exists
    )()
    assert not exists
    await member.close()


async def test_invalid_messages_are_answered(lw):
    (staff,) = await screens(lw, ("staff", "staff"))
    reply = await staff.send("item.set", item="nope")
    assert (reply["ok"], reply["code"]) == (False, "invalid")
    reply = await staff.send("item.set", item=999999)
    assert (reply["ok"], reply["code"]) == (False, "not_found")
    await staff.comm.send_to(text_data="{no json")
    reply = await staff.wait(lambda m: m["type"] == "reply")
    assert reply["code"] == "invalid"
    await staff.close()


# --- snapshots -------------------------------------------------------------------


async def test_every_screen_gets_a_snapshot_on_connect(lw):
    staff = Screen(lw.meeting.pk, "staff", lw.cookies["staff"])
    member = Screen(lw.meeting.pk, "member", lw.cookies["m0"])
    projector = Screen(lw.meeting.pk, "projector", lw.cookies["m1"])
    public = Screen(lw.meeting.pk, "public")
    for s in (staff, member, projector, public):
        assert await s.connect()
    state = await staff.state()
    assert state["meeting"]["live"] is True
    assert state["item"]["id"] == lw.items[0].pk
    assert state["version"] >= 1
    assert {row["person"] for row in state["attendance"]} >= {p.pk for p in lw.members}
    assert set(state["present"]) == {p.pk for p in lw.members[:4]}
    assert state["quorum"]["quorate"] is True

    me = await member.wait(lambda m: m["type"] == "me")
    assert me["person"] == lw.members[0].pk
    assert me["ballot"] is None
    assert me["can_vote_reason"] is None
    projected = await projector.state()
    assert "attendance" not in projected
    assert [i["id"] for i in projected["items"]] == [i.pk for i in lw.items]

    shown = await public.state()
    assert [i["id"] for i in shown["items"]] == [lw.items[0].pk]
    assert "present" not in shown and "attendance" not in shown
    await close_all(staff, member, projector, public)


# --- a full vote through the consumers ---------------------------------------------


async def test_full_vote_through_the_consumers(lw):
    staff, projector, public, *members = await screens(
        lw,
        ("staff", "staff"),
        ("projector", "m3"),
        ("public", None),
        ("member", "m0"),
        ("member", "m1"),
        ("member", "m2"),
    )
    everyone = [staff, projector, public, *members]

    reply = await staff.send("vote.open", kind="open", name="Antrag der Verwaltung")
    assert reply["ok"], reply
    vote_id = reply["data"]["vote"]
    for s in everyone:
        state = await s.state(lambda m: m["vote"] and m["vote"]["id"] == vote_id)
        assert state["vote"]["state"] == "open"
        assert state["vote"]["counts"] is None

    for member, choice in zip(members, ["yes", "yes", "no"], strict=True):
        reply = await member.send(
            "ballot.cast", vote=vote_id, choice=choice, client_id=str(uuid.uuid4())
        )
        assert reply["ok"], reply
        assert reply["data"]["choice"] == choice
        assert reply["data"]["receipt"]

    for s in everyone:
        await s.wait(
            lambda m: (
                m["type"] == "progress" and m["vote"] == vote_id and m["cast"] == 3
            )
        )

    reply = await staff.send("vote.close")
    assert reply["ok"], reply
    assert reply["data"]["result"] == "accepted"
    for s in everyone:
        state = await s.state(lambda m: m["vote"] and m["vote"]["state"] == "closed")
        assert state["vote"]["counts"] == {"yes": 2, "no": 1, "abstain": 0}
        assert state["vote"]["result"] == "accepted"
        assert state["vote"]["result_label"]

    # A ballot after close is refused (a fresh ballot id).
    (late,) = await screens(lw, ("member", "m3"))
    reply = await late.send(
        "ballot.cast", vote=vote_id, choice="yes", client_id=str(uuid.uuid4())
    )
    assert (reply["ok"], reply["code"]) == (False, "vote_closed")
    assert "geschlossen" in reply["message"].lower() or reply["message"]
    assert await database_sync_to_async(count)(vote_id) == 3
    await close_all(*everyone, late)


async def test_retry_after_reconnect_returns_the_same_receipt(lw):
    staff, member = await screens(lw, ("staff", "staff"), ("member", "m0"))
    vote_id = (await staff.send("vote.open", kind="open"))["data"]["vote"]
    client_id = str(uuid.uuid4())
    first = await member.send(
        "ballot.cast", vote=vote_id, choice="no", client_id=client_id
    )
    assert first["ok"], first
    await member.close()

    again = Screen(lw.meeting.pk, "member", lw.cookies["m0"])
    assert await again.connect()
    me = await again.wait(lambda m: m["type"] == "me")
    assert me["ballot"]["receipt"] == first["data"]["receipt"]
    assert me["ballot"]["choice"] == "no"
    retry = await again.send(
        "ballot.cast", vote=vote_id, choice="no", client_id=client_id
    )
    assert retry["ok"], retry
    assert retry["data"]["receipt"] == first["data"]["receipt"]
    assert await database_sync_to_async(count)(vote_id) == 1
    other = await again.send(
        "ballot.cast", vote=vote_id, choice="yes", client_id=str(uuid.uuid4())
    )
    assert (other["ok"], other["code"]) == (False, "already_voted")
    await close_all(staff, again)


async def test_server_restart_mid_vote(lw):
    staff, m0, m1 = await screens(
        lw, ("staff", "staff"), ("member", "m0"), ("member", "m1")
    )
    vote_id = (await staff.send("vote.open", kind="named"))["data"]["vote"]
    for member, choice in ((m0, "yes"), (m1, "abstain")):
        reply = await member.send(
            "ballot.cast", vote=vote_id, choice=choice, client_id=str(uuid.uuid4())
        )
        assert reply["ok"], reply
    await close_all(staff, m0, m1)
    reset_live()  # the new process knows nothing but the database

    staff = Screen(lw.meeting.pk, "staff", lw.cookies["staff"])
    m0 = Screen(lw.meeting.pk, "member", lw.cookies["m0"])
    m2 = Screen(lw.meeting.pk, "member", lw.cookies["m2"])
    public = Screen(lw.meeting.pk, "public")
    for s in (staff, m0, m2, public):
        assert await s.connect()
    state = await staff.state()
    assert state["vote"]["id"] == vote_id
    assert (state["vote"]["state"], state["vote"]["cast"]) == ("open", 2)
    assert (await public.state())["vote"]["cast"] == 2
    me = await m0.wait(lambda m: m["type"] == "me")
    assert me["ballot"]["vote"] == vote_id and me["ballot"]["choice"] == "yes"
    me2 = await m2.wait(lambda m: m["type"] == "me")
    assert me2["ballot"] is None

    reply = await m2.send(
        "ballot.cast", vote=vote_id, choice="no", client_id=str(uuid.uuid4())
    )
    assert reply["ok"], reply
    for s in (staff, public):
        await s.wait(lambda m: m["type"] == "progress" and m["cast"] == 3)
    assert (await staff.send("vote.close"))["ok"]
    state = await public.state(lambda m: m["vote"]["state"] == "closed")
    assert state["vote"]["counts"] == {"yes": 1, "no": 1, "abstain": 1}
    assert {row["vote"] for row in state["vote"]["roll_call"]} == {
        "yes",
        "no",
        "abstain",
    }
    await close_all(staff, m0, m2, public)


async def test_rate_limit(lw):
    (member,) = await screens(lw, ("member", "m0"))
    for n in range(40):
        await member.comm.send_json_to({"action": "nothing", "ref": str(n)})
    replies = []
    while len(replies) < 40:
        replies.append(await member.wait(lambda m: m["type"] == "reply"))
    codes = [r["code"] for r in replies]
    assert codes.count("rate_limited") >= 20
    assert codes[:10] == ["forbidden"] * 10
    limited = next(r for r in replies if r["code"] == "rate_limited")
    assert limited["message"]
    await member.close()


# --- secrecy -----------------------------------------------------------------------


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)
    else:
        yield node


async def test_secret_vote_links_no_person_to_a_choice(lw):
    staff, projector, public, *members = await screens(
        lw,
        ("staff", "staff"),
        ("projector", "m3"),
        ("public", None),
        ("member", "m0"),
        ("member", "m1"),
        ("member", "m2"),
    )
    everyone = [staff, projector, public, *members]
    for s in everyone:  # only what is sent from now on counts
        await s.drain(0.1)
        s.log.clear()
    reply = await staff.send("vote.open", kind="secret", is_election=True)
    assert reply["ok"], reply
    vote_id = reply["data"]["vote"]
    for member, choice in zip(members, ["yes", "no", "no"], strict=True):
        reply = await member.send(
            "ballot.cast", vote=vote_id, choice=choice, client_id=str(uuid.uuid4())
        )
        assert reply["ok"], reply
        assert reply["data"]["choice"] is None
    for member in members:  # reconnect: ``me`` carries no choice either
        await member.send("state")
    assert (await staff.send("vote.close"))["ok"]
    for s in everyone:
        state = await s.state(lambda m: m["vote"] and m["vote"]["state"] == "closed")
        assert state["vote"]["counts"] == {"yes": 1, "no": 2, "abstain": 0}
        assert state["vote"]["roll_call"] == []
        await s.drain(0.1)
    choices = set(Vote.Choice.values)
    for s in everyone:
        leaked = [v for m in s.log for v in _values(m) if v in choices]
        assert leaked == [], (s.path, leaked)
    await close_all(*everyone)

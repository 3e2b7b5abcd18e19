"""Live-session events: group names, what is sent to whom, and how.

Services call :func:`state_changed` and :func:`vote_progress` inside their
transaction; both register ``transaction.on_commit`` themselves, so nothing is
sent for a rolled-back change. On commit the payload is built once per
audience (``staff``, ``members``, ``projector``, ``public``) and sent to the
audience's group; consumers forward it unchanged.

Layering: ``sessions`` does not import ``publicportal``. The public payload
and the decision whether a vote's item is public come from builders that
``publicportal`` registers with :func:`register_public` (built through
``publicportal.visibility`` only). Without them, the public group receives
nothing.

Threads and loops: on-commit callbacks run where the service ran, usually a
``database_sync_to_async`` worker thread. Consumers bind their running event
loop at connect (:func:`bind_loop`); sends are handed to that loop with
``asyncio.run_coroutine_threadsafe`` and run one after another in commit
order. Without a bound loop (management command, WSGI request) the send runs
through ``async_to_sync``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from gremien.timedcache import TimedCache

from . import throttle

logger = logging.getLogger(__name__)

STAFF = "staff"
MEMBERS = "members"
PROJECTOR = "projector"
PUBLIC = "public"
AUDIENCES = (STAFF, MEMBERS, PROJECTOR, PUBLIC)
#: Audiences that see the non-public part.
INTERNAL = (STAFF, MEMBERS, PROJECTOR)

#: The ``type`` of channel-layer messages; the relay of each process
#: (:mod:`.fanout`) receives them and hands ``text`` to its screens.
LAYER_TYPE = "live.message"


def group(meeting_id: int, audience: str) -> str:
    """The channel-layer group of ``audience`` of meeting ``meeting_id``."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    return f"live-{int(meeting_id)}-{audience}"


# --- the public hook ----------------------------------------------------------

_public: dict[str, Callable | None] = {"snapshot": None, "item_public": None}


def register_public(
    *,
    snapshot: Callable[[object], dict | None],
    item_public: Callable[[object], bool],
) -> None:
    """Register the public builders (called by ``publicportal`` at startup).

    ``snapshot(meeting)`` returns the public ``state`` payload or ``None``
    when the meeting is not public; ``item_public(agenda_item)`` says whether
    progress of a vote on that item may go to the public (it gets an unsaved
    ``AgendaItem`` carrying only ``pk`` and ``meeting_id``: decide by pk).
    """
    _public["snapshot"] = snapshot
    _public["item_public"] = item_public


def public_snapshot(meeting) -> dict | None:
    builder = _public["snapshot"]
    return builder(meeting) if builder is not None else None


def item_public(agenda_item) -> bool:
    decide = _public["item_public"]
    return bool(decide(agenda_item)) if decide is not None else False


# --- loop binding and sending -------------------------------------------------

_loop_lock = threading.Lock()
_bound: dict[str, object] = {"loop": None, "tail": None}


def bind_loop(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Bind the running event loop (consumers call this in ``connect``)."""
    loop = loop or asyncio.get_running_loop()
    with _loop_lock:
        if _bound["loop"] is not loop:
            _bound["loop"] = loop
            _bound["tail"] = None


def bound_loop() -> asyncio.AbstractEventLoop | None:
    loop = _bound["loop"]
    if loop is None or loop.is_closed():
        return None
    return loop


async def _send_all(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for name, message in messages:
        try:
            # The relay of each process hands it to that process's screens
            # of the group (sessions.live.fanout).
            await layer.group_send(name, {**message, "group": name})
        except Exception:  # one failing group must not stop the others
            logger.exception("live: sending to %s failed", name)


async def _send_in_order(messages: list[tuple[str, dict]]) -> None:
    """Runs on the bound loop: wait for the previous batch, then send."""
    previous = _bound["tail"]
    current = asyncio.current_task()
    _bound["tail"] = current
    if previous is not None and previous is not current and not previous.done():
        with contextlib.suppress(Exception):
            await asyncio.shield(previous)
    await _send_all(messages)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def send(messages: Iterable[tuple[str, dict]]) -> None:
    """Send ``(group, message)`` pairs in order, from any thread."""
    messages = list(messages)
    if not messages:
        return
    loop = bound_loop()
    running = _running_loop()
    if loop is not None and running is loop:
        loop.create_task(_send_in_order(messages))
        return
    if loop is not None:
        try:
            asyncio.run_coroutine_threadsafe(_send_in_order(messages), loop)
            return
        except RuntimeError:  # the loop closed meanwhile
            pass
    if running is not None:
        # An unbound running loop in this thread: schedule on it.
        running.create_task(_send_all(messages))
        return
    async_to_sync(_send_all)(messages)


def _wrap(payload: dict) -> dict:
    """The channel-layer message: the payload, and its JSON text encoded
    once here, so consumers forward it without work per connection."""
    text = json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder)
    return {"type": LAYER_TYPE, "payload": payload, "text": text}


# --- events -------------------------------------------------------------------


def state_messages(meeting) -> list[tuple[str, dict]]:
    """The ``state`` payload of ``meeting`` for every audience, built once
    per audience (the projector gets the members' payload)."""
    from . import snapshot

    staff = snapshot.build(meeting, STAFF)
    members = snapshot.build(meeting, MEMBERS)
    messages = [
        (group(meeting.pk, STAFF), _wrap(staff)),
        (group(meeting.pk, MEMBERS), _wrap(members)),
        (group(meeting.pk, PROJECTOR), _wrap(members)),
    ]
    public = public_snapshot(meeting)
    if public is not None:
        messages.append((group(meeting.pk, PUBLIC), _wrap(public)))
    return messages


def _send_state(meeting_id: int) -> None:
    from ..models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    try:
        messages = state_messages(meeting)
    except Exception:
        logger.exception("live: building the state of meeting %s failed", meeting_id)
        return
    send(messages)


def state_changed(meeting) -> None:
    """Send the new state of ``meeting`` to all audiences once the current
    transaction commits. Call inside the service's transaction."""
    meeting_id = meeting.pk
    transaction.on_commit(lambda: _send_state(meeting_id))


def _progress_payload(vote_id: int, cast: int) -> dict:
    return {"type": "progress", "vote": vote_id, "cast": cast}


def _sender(audiences: tuple[str, ...]) -> Callable[[int, dict], None]:
    def send_progress(count: int, context: dict) -> None:
        message = _wrap(_progress_payload(context["vote"], count))
        send([(group(context["meeting"], audience), message) for audience in audiences])

    return send_progress


_send_internal_progress = _sender(INTERNAL)
_send_public_progress = _sender((PUBLIC,))


#: vote id → whether its item is public, decided again once it is older than
#: the progress interval.
_publicity = TimedCache(throttle.INTERVAL)


def _item_public_now(vote_id: int, meeting_id: int, item_id: int) -> bool:
    """Whether progress of the vote may go to the public: one query per vote
    and progress interval, not per ballot. A progress message waits up to one
    interval in the throttle anyway, so a decision of that age is no later
    than one taken at the ballot's commit; an item made non-public stops
    the public progress within two intervals."""
    return _publicity.get(vote_id, lambda: _decide_public(vote_id, meeting_id, item_id))


def _decide_public(vote_id: int, meeting_id: int, item_id: int) -> bool:
    from ..models import AgendaItem

    try:
        return item_public(AgendaItem(pk=item_id, meeting_id=meeting_id))
    except Exception:
        logger.exception("live: public check of vote %s failed", vote_id)
        return False


def forget_publicity() -> None:
    """Forget the publicity decisions (tests: ids come again)."""
    _publicity.clear()


def _progress(vote_id: int, meeting_id: int, item_id: int, voters: int | None) -> None:
    from ..models import Vote

    # Read after the commit, outside the vote's row lock: the last ballot to
    # commit reads every ballot.
    counts = Vote.objects.filter(pk=vote_id).values_list(
        "votes_yes", "votes_no", "votes_abstain"
    )
    cast = sum(counts.first() or ())
    complete = voters is not None and cast >= voters
    context = {"vote": vote_id, "meeting": meeting_id}
    loop = bound_loop()
    throttle.progress.update(
        vote_id, cast, _send_internal_progress, context, loop, flush=complete
    )
    if _item_public_now(vote_id, meeting_id, item_id):
        throttle.public_progress.update(
            vote_id, cast, _send_public_progress, context, loop, flush=complete
        )


def vote_progress(vote, *, voters: int | None = None) -> None:
    """Send the number of ballots cast in ``vote`` to all audiences (the
    public only if the vote's item is public) once the transaction commits.
    Throttled per vote and audience (:mod:`sessions.live.throttle`); the
    count that reaches ``voters`` (everybody who may vote has voted; a hint,
    the number may have changed meanwhile) is sent at once. Call inside
    ``ballot_cast`` when a new ballot was recorded."""
    vote_id, meeting_id, item_id = vote.pk, vote.meeting_id, vote.agenda_item_id
    transaction.on_commit(lambda: _progress(vote_id, meeting_id, item_id, voters))

"""The last ``state`` payload per meeting and audience, per process, for
screens that connect.

A room of 100 tablets and 500 public viewers connecting after a server
restart would otherwise build the same payload 600 times (some 20 to 50
queries each) in the process's one database thread, while ballots wait
behind them. The payload is reused while the meeting's fingerprint is
unchanged (the live session's version, bumped by every live service, and the
latest vote's state and counts) and for at most ``SECONDS``, which bounds how
long a change made outside the live services (an item renamed in the admin)
takes to reach newly connecting screens. Broadcasts are always built fresh.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..models import LiveSession, Vote

SECONDS = 2.0

_lock = threading.Lock()
_entries: dict[tuple[int, str], tuple[float, tuple, object]] = {}


def fingerprint(meeting_id: int) -> tuple:
    """What changes with every state change of a live meeting (two queries)."""
    version = (
        LiveSession.objects.filter(meeting_id=meeting_id)
        .values_list("version", flat=True)
        .first()
    )
    vote = (
        Vote.objects.filter(meeting_id=meeting_id)
        .order_by("-pk")
        .values_list("pk", "state", "votes_yes", "votes_no", "votes_abstain")
        .first()
    )
    return (version, vote)


def cached(meeting_id: int, audience: str, build: Callable[[], object]):
    """``build()``'s payload, or the one built for the same fingerprint less
    than ``SECONDS`` ago in this process."""
    key = (meeting_id, audience)
    current = fingerprint(meeting_id)
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
    if entry is not None and entry[1] == current and now - entry[0] < SECONDS:
        return entry[2]
    payload = build()
    with _lock:
        _entries[key] = (now, current, payload)
        if len(_entries) > 512:
            for stale in [k for k, e in _entries.items() if now - e[0] >= SECONDS]:
                del _entries[stale]
    return payload


def clear() -> None:
    with _lock:
        _entries.clear()

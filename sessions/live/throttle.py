"""Coalescing of vote progress: per vote and process, the first update goes
out at once (leading edge), then at most one every ``INTERVAL`` seconds with
the latest count; the last count of a burst is always sent (trailing edge).
A count marked ``flush`` (everybody present has voted) goes out at once.
The public's screens get the count at most every ``PUBLIC_INTERVAL`` seconds
(``public_progress``): they are most of a room's screens, and a passive
display needs no ten updates a second.

Thread-safe: ``ballot_cast`` commits in worker threads. The trailing send is
scheduled on the bound event loop when there is one (``loop.call_later``),
otherwise on a ``threading.Timer``. Nothing here touches the database.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Seconds between two progress messages of one vote.
INTERVAL = 0.1
#: The same for the public audience.
PUBLIC_INTERVAL = 0.5


@dataclass
class _Window:
    last_sent: float
    sent: int
    latest: int
    context: dict = field(default_factory=dict)
    timer: object | None = None


class ProgressThrottle:
    """``update(key, count, send, context)`` calls ``send(count, context)``
    now or later; counts only grow, the latest (highest) one wins."""

    def __init__(self, interval: float = INTERVAL, clock=time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: dict[object, _Window] = {}

    def update(
        self,
        key: object,
        count: int,
        send: Callable[[int, dict], None],
        context: dict | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        flush: bool = False,
    ) -> bool:
        """Register a new count. Returns True if it was sent at once. With
        ``flush``, a count above the last sent one is sent at once (a pending
        trailing send then finds nothing newer)."""
        now = self.clock()
        with self._lock:
            window = self._windows.get(key)
            if window is not None and flush:
                count = max(count, window.latest)
                if count <= window.sent:
                    return False
            if (
                window is None
                or flush
                or (window.timer is None and now - window.last_sent >= self.interval)
            ):
                self._windows[key] = _Window(
                    last_sent=now, sent=count, latest=count, context=context or {}
                )
                send_now = True
            else:
                window.latest = max(window.latest, count)
                if context:
                    window.context = context
                if window.timer is None:
                    delay = max(0.0, window.last_sent + self.interval - now)
                    window.timer = self._schedule(key, delay, send, loop)
                send_now = False
        if send_now:
            send(count, context or {})
            self._schedule_expiry(key, send, loop)
        return send_now

    # --- internals -----------------------------------------------------------

    def _schedule(self, key, delay, send, loop):
        if loop is not None and not loop.is_closed():
            handle = {"cancelled": False}

            def arm():
                loop.call_later(delay, self._flush, key, send, loop)

            try:
                loop.call_soon_threadsafe(arm)
                return handle
            except RuntimeError:  # loop closed in between
                pass
        timer = threading.Timer(delay, self._flush, args=(key, send, None))
        timer.daemon = True
        timer.start()
        return timer

    def _schedule_expiry(self, key, send, loop):
        """Forget the window once it has passed without further updates, so
        the dictionary does not grow with every vote ever taken."""
        # Cheap: expiry is checked lazily in ``update``; drop stale windows
        # here when many have piled up.
        with self._lock:
            if len(self._windows) > 256:
                now = self.clock()
                for stale in [
                    k
                    for k, w in self._windows.items()
                    if w.timer is None and now - w.last_sent >= self.interval
                ]:
                    del self._windows[stale]

    def _flush(self, key, send, loop):
        with self._lock:
            window = self._windows.get(key)
            if window is None:
                return
            window.timer = None
            if window.latest <= window.sent:
                return
            count = window.latest
            window.sent = count
            window.last_sent = self.clock()
            context = window.context
        send(count, context)

    def reset(self) -> None:
        """Forget all windows (tests)."""
        with self._lock:
            self._windows.clear()


def reset() -> None:
    """Forget the windows of all progress throttles (tests)."""
    progress.reset()
    public_progress.reset()


progress = ProgressThrottle()
public_progress = ProgressThrottle(PUBLIC_INTERVAL)


class TokenBucket:
    """Per-connection rate limit: ``rate`` messages per second on average,
    up to ``burst`` at once. Not thread-safe (one consumer, one loop)."""

    def __init__(self, rate: float = 5.0, burst: int = 15, clock=time.monotonic):
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.tokens = float(burst)
        self.stamp = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

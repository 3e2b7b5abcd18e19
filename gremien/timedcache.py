"""A small per-process cache whose entries are reused for a few seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable


class TimedCache:
    """``get(key, compute)``: the value computed for ``key`` less than
    ``seconds`` ago, else ``compute()`` (outside the lock). Thread-safe; it
    forgets everything once it holds more than ``limit`` keys."""

    def __init__(self, seconds: float, limit: int = 256) -> None:
        self.seconds = seconds
        self.limit = limit
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, compute: Callable[[], object]):
        now = time.monotonic()
        with self._lock:
            known = self._entries.get(key)
        if known is not None and now - known[0] < self.seconds:
            return known[1]
        value = compute()
        with self._lock:
            if len(self._entries) > self.limit:
                self._entries.clear()
            self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

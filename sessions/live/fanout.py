"""Broadcasts to the screens of this server process: one channel-layer
member per process and group, local delivery to the consumers.

With one channel per screen, a ballot's progress message became 600 Redis
messages for a room of 100 tablets and 500 public viewers, popped one by one
by the receiving processes: 20 broadcasts a second took seconds to drain
(``bench/bench_live.py``). Instead each process has one relay channel that
joins a group while at least one of its consumers is in it; a group message
reaches each process once and the relay hands the already encoded text to
its local consumers.

Each consumer has an outbox (a bounded queue) written to the socket by its
own task, so a slow client neither delays the others nor reorders its own
messages. A client that falls ``OUTBOX_LIMIT`` messages behind is
disconnected: it reconnects and gets the full state, cheaper than a backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

OUTBOX_LIMIT = 500
#: Close code for a client that could not keep up (it reconnects).
TOO_SLOW_CLOSE = 4408


class Screen(Protocol):
    outbox: asyncio.Queue

    async def close(self, code: int | None = None) -> None: ...


class Relay:
    """The process's member of the channel-layer groups (one per event loop)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.layer = get_channel_layer()
        self.screens: dict[str, set[Screen]] = {}
        self.channel: str | None = None
        self.task: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def join(self, group: str, screen: Screen) -> None:
        async with self.lock:
            if self.channel is None:
                # The default prefix: channels-redis receives all of a
                # process's channels from one list named after it.
                self.channel = await self.layer.new_channel()
                self.task = self.loop.create_task(self._run())
            first = group not in self.screens
            self.screens.setdefault(group, set()).add(screen)
            if first:
                await self.layer.group_add(group, self.channel)

    async def leave(self, group: str, screen: Screen) -> None:
        async with self.lock:
            screens = self.screens.get(group)
            if not screens or screen not in screens:
                return
            screens.discard(screen)
            if not screens:
                del self.screens[group]
                await self.layer.group_discard(group, self.channel)

    def deliver(self, group: str, text: str) -> None:
        for screen in list(self.screens.get(group, ())):
            try:
                screen.outbox.put_nowait(text)
            except asyncio.QueueFull:
                self.loop.create_task(screen.close(code=TOO_SLOW_CLOSE))

    async def _run(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live relay: receiving failed")
                await asyncio.sleep(0.5)
                continue
            group, text = message.get("group"), message.get("text")
            if isinstance(group, str) and isinstance(text, str):
                self.deliver(group, text)


_relays: dict[asyncio.AbstractEventLoop, Relay] = {}


def relay() -> Relay:
    """The relay of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    for old in [known for known in _relays if known.is_closed()]:
        del _relays[old]
    if loop not in _relays:
        _relays[loop] = Relay(loop)
    return _relays[loop]


async def write_outbox(screen: Screen, send) -> None:
    """The consumer's writer task: the outbox to the socket, in order."""
    while True:
        text = await screen.outbox.get()
        with contextlib.suppress(Exception):
            await send(text_data=text)

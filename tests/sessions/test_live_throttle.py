"""Vote progress throttling: leading and trailing edge, the count that
completes a vote at once, and the slower public rate."""

import threading
import time

from sessions.live.throttle import INTERVAL, PUBLIC_INTERVAL, ProgressThrottle


class Sent:
    def __init__(self) -> None:
        self.counts: list[int] = []
        self.event = threading.Event()

    def __call__(self, count: int, context: dict) -> None:
        self.counts.append(count)
        self.event.set()


def test_first_count_at_once_then_the_latest_after_the_interval():
    throttle, sent = ProgressThrottle(interval=0.05), Sent()
    assert throttle.update("v", 1, sent)
    assert not throttle.update("v", 2, sent)
    assert not throttle.update("v", 3, sent)
    assert sent.counts == [1]
    sent.event.clear()
    assert sent.event.wait(2)
    assert sent.counts == [1, 3]  # 2 was coalesced away, 3 came last


def test_the_count_that_completes_the_vote_is_not_held_back():
    throttle, sent = ProgressThrottle(interval=10), Sent()
    throttle.update("v", 1, sent)
    assert not throttle.update("v", 2, sent)
    assert throttle.update("v", 3, sent, flush=True)
    assert sent.counts == [1, 3]
    # Nothing newer is left for the trailing send, and an old count that
    # arrives late is not sent again.
    assert not throttle.update("v", 2, sent, flush=True)
    assert sent.counts == [1, 3]


def test_flush_sends_the_highest_count_registered():
    throttle, sent = ProgressThrottle(interval=10), Sent()
    throttle.update("v", 1, sent)
    throttle.update("v", 5, sent)  # held back
    throttle.update("v", 4, sent, flush=True)  # committed earlier, read later
    assert sent.counts == [1, 5]


def test_votes_are_throttled_apart():
    throttle, sent = ProgressThrottle(interval=10), Sent()
    assert throttle.update("a", 1, sent)
    assert throttle.update("b", 1, sent)
    assert sent.counts == [1, 1]


def test_the_public_gets_fewer_updates_than_the_room():
    assert PUBLIC_INTERVAL > INTERVAL
    room, public = ProgressThrottle(INTERVAL), ProgressThrottle(PUBLIC_INTERVAL)
    room_sent, public_sent = Sent(), Sent()
    start = time.monotonic()
    count = 0
    while time.monotonic() - start < 0.6:
        count += 1
        room.update("v", count, room_sent)
        public.update("v", count, public_sent)
        time.sleep(0.01)
    time.sleep(PUBLIC_INTERVAL + 0.2)  # the trailing sends
    assert room_sent.counts[-1] == public_sent.counts[-1] == count
    assert len(public_sent.counts) < len(room_sent.counts)

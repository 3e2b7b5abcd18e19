"""What apps to the right of ``sessions`` hear of the Sitzungsdienst's work.

``sessions`` must not import the apps that build on it (layering), so an app
that reacts to a meeting event subscribes here from its ``AppConfig.ready``,
as the portal registers its public rules in :mod:`sessions.pdf.selection`.
Today the one subscriber is ``notifications`` (members' notices in the portal
and by e-mail).

Events carry ids only; a subscriber reads what it needs itself:

- ``NOTICE_SENT`` (``dispatch_id``): a formal notice — invitation, addendum,
  rescheduling or cancellation — was recorded with one ``Delivery`` per
  recipient (:func:`sessions.services.invitations.create_dispatch`). Its
  e-mails are the Sitzungsdienst's own (:func:`sessions.tasks.dispatch_send`,
  logged per recipient); a subscriber must not mail the notice again.
- ``MINUTES_PUBLISHED``: :func:`sessions.services.minutes.minutes_publish`.

Subscribers run after the commit, never before (a rolled-back invitation
announces nothing), and with ``robust=True``: a subscriber that fails is
logged by Django and neither undoes nor interrupts what staff did.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

NOTICE_SENT = "notice_sent"
MINUTES_PUBLISHED = "minutes_published"


@dataclass(frozen=True)
class MeetingEvent:
    name: str
    meeting_id: int
    dispatch_id: int | None = None


Subscriber = Callable[[MeetingEvent], None]

_subscribers: dict[str, Subscriber] = {}


def subscribe(key: str, subscriber: Subscriber) -> None:
    """Call ``subscriber`` with every event after its commit. ``key`` names
    the subscription: subscribing again under the same key replaces it (an
    ``AppConfig.ready`` may run more than once)."""
    _subscribers[key] = subscriber


def unsubscribe(key: str) -> None:
    _subscribers.pop(key, None)


def _delivery(subscriber: Subscriber, event: MeetingEvent) -> Callable[[], None]:
    def deliver() -> None:
        subscriber(event)

    # Django names a failing robust callback by its ``__qualname__``.
    deliver.__qualname__ = getattr(subscriber, "__qualname__", repr(subscriber))
    return deliver


def emit(event: MeetingEvent) -> None:
    """Hand ``event`` to every subscriber once the current transaction has
    committed."""
    for subscriber in list(_subscribers.values()):
        transaction.on_commit(_delivery(subscriber, event), robust=True)

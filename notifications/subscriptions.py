"""How the notifications app hears of events: an event subscription.

``sessions`` and ``documents`` must not import this app (layering):

- formal notices and published minutes arrive through
  :mod:`sessions.hooks` (subscribed in ``AppConfig.ready``), after their
  commit;
- new files are noticed like the portal's search index and the session packs
  notice them: a ``post_save`` receiver on ``documents.File`` notes the ids
  of files created (no queries), and once the transaction has committed they
  go to one task. Imports write with ``bulk_create`` and send no signal, so
  imported files announce nothing.

Receivers only hand ids to ``notifications.tasks.notifications_for_event``;
everything else (who, what, whether) is decided by the task.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_save

from documents.models import File
from sessions import hooks

_local = threading.local()

SUBSCRIPTION = "notifications"


def on_meeting_event(event: hooks.MeetingEvent) -> None:
    """Runs after the commit of a notice or a publication."""
    from .tasks import EVENT_MINUTES, EVENT_NOTICE, notifications_for_event

    if event.name == hooks.NOTICE_SENT:
        notifications_for_event.enqueue(
            EVENT_NOTICE, meeting_id=event.meeting_id, dispatch_id=event.dispatch_id
        )
    elif event.name == hooks.MINUTES_PUBLISHED:
        notifications_for_event.enqueue(EVENT_MINUTES, meeting_id=event.meeting_id)


class _FileBatch:
    """The files created in one transaction; called once it has committed."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False
        # Django names a failing robust callback by its ``__qualname__``.
        self.__qualname__ = f"{__name__}.{type(self).__name__}"

    def __call__(self) -> None:
        from .tasks import EVENT_FILES, notifications_for_event

        self.done = True
        if self.ids:
            notifications_for_event.enqueue(EVENT_FILES, file_ids=sorted(self.ids))


def _open_batch() -> _FileBatch | None:
    """The batch waiting for the current transaction's commit, if any. A
    batch whose transaction was rolled back is no longer among the
    connection's commit callbacks and is not reused."""
    batch = getattr(_local, "batch", None)
    if batch is None or batch.done:
        return None
    pending = transaction.get_connection().run_on_commit
    return batch if any(func is batch for _ids, func, _robust in pending) else None


def forget_pending() -> None:
    """Start afresh: the next file opens a new batch. For tests, where a
    block of captured commit callbacks stands for a transaction of its own
    while earlier callbacks of the test's transaction never run."""
    _local.batch = None


def _file_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    batch = _open_batch()
    if batch is not None:
        batch.ids.add(instance.pk)
        return
    batch = _local.batch = _FileBatch()
    batch.ids.add(instance.pk)
    transaction.on_commit(batch, robust=True)


def connect() -> None:
    hooks.subscribe(SUBSCRIPTION, on_meeting_event)
    post_save.connect(
        _file_saved, sender=File, dispatch_uid="notifications-file-created"
    )

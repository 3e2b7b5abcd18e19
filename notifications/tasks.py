"""Background tasks of the notifications app (run by ``manage.py db_worker``).

- ``notifications_for_event`` (queue ``default``): turns a committed event
  into notifications (:mod:`notifications.services`);
- ``notification_mails_send`` (queue ``mail``): sends the e-mails members
  chose, one message per recipient.
"""

from django_tasks import task

from . import mail, services

EVENT_NOTICE = "notice_sent"
EVENT_MINUTES = "minutes_published"
EVENT_FILES = "files_added"


@task(queue_name="default")
def notifications_for_event(
    name: str,
    meeting_id: int | None = None,
    dispatch_id: int | None = None,
    file_ids: list[int] | None = None,
) -> None:
    """Create the notifications of one event (see :mod:`.subscriptions`)."""
    if name == EVENT_NOTICE and dispatch_id is not None:
        services.notify_notice(dispatch_id=dispatch_id)
    elif name == EVENT_MINUTES and meeting_id is not None:
        services.notify_minutes(meeting_id=meeting_id)
    elif name == EVENT_FILES and file_ids:
        services.notify_files(file_ids=file_ids)


@task(queue_name="mail")
def notification_mails_send(key: str) -> None:
    """Send the queued e-mails of the notifications of event ``key``, one
    per recipient; see :func:`notifications.mail.send_queued`."""
    mail.send_queued(key)

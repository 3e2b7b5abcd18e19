"""The notification e-mails members chose (minutes published, new
documents): rendered from ``templates/notifications/mail/``, one message per
recipient, each sent at most once.

The formal notices are not mailed here: their e-mails are the
Sitzungsdienst's (``sessions.tasks.dispatch_send``).

Each notification's e-mail is claimed before it is sent (``queued`` →
``sending`` in one conditional UPDATE), so two workers running the same task
never send one twice; one that dies while sending leaves ``sending``, which is
never sent again (better a missing notice than a double one: the portal
shows it anyway). Access is checked again at sending time: someone no longer
entitled to the meeting gets nothing (``skipped``), so no meeting name
reaches them.
"""

import logging
import re
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from gremien.models import Person
from sessions.access import may_read_non_public
from sessions.recipients import salutation_name

from .content import long_date
from .models import Notification
from .topics import Kind

logger = logging.getLogger(__name__)

Status = Notification.EmailStatus

#: Templates per kind of notification e-mail.
TEMPLATES = {
    Kind.MINUTES: "minutes",
    Kind.DOCUMENTS: "documents",
}


def absolute_url(path: str) -> str:
    """``path`` on the member portal's address (``GREMIEN_MEMBER_PORTAL_URL``,
    else ``WAGTAILADMIN_BASE_URL``)."""
    base = getattr(settings, "GREMIEN_MEMBER_PORTAL_URL", "") or getattr(
        settings, "WAGTAILADMIN_BASE_URL", ""
    )
    return urljoin(base.rstrip("/") + "/", path.lstrip("/")) if base else path


def _render(name: str, context: dict) -> str:
    text = render_to_string(f"notifications/mail/{name}.txt", context)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _context(notification: Notification) -> dict:
    meeting = notification.meeting
    person = Person.objects.alive().filter(user=notification.user).first()
    return {
        "recipient": salutation_name(person)
        if person is not None
        else notification.user.get_full_name(),
        "meeting": meeting.name,
        "organization": ", ".join(
            o.name for o in meeting.organizations.alive().order_by("name")
        ),
        "start": long_date(meeting.start),
        "title": notification.title,
        "text": notification.text,
        "url": absolute_url(notification.url or reverse("notifications_list")),
        "settings_url": absolute_url(reverse("notifications_settings")),
    }


def message(notification: Notification, connection=None) -> EmailMessage:
    """The e-mail of ``notification``, in the installation's language."""
    name = TEMPLATES[notification.kind]
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(notification)
        subject = _render(f"{name}_subject", context)
        body = _render(name, context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email_address],
        connection=connection,
    )


def _claim(pk: int) -> bool:
    return bool(
        Notification.objects.filter(pk=pk, email_status=Status.QUEUED).update(
            email_status=Status.SENDING
        )
    )


def _finish(notification: Notification, status: str, error: str = "") -> None:
    notification.email_status = status
    notification.email_error = error
    notification.emailed_at = timezone.now() if status == Status.SENT else None
    notification.save(update_fields=["email_status", "email_error", "emailed_at"])


def send_queued(key: str) -> None:
    """Send every queued e-mail of event ``key`` and record the outcome per
    notification (``sent``; ``failed`` with the error; ``skipped``)."""
    pks = list(
        Notification.objects.filter(key=key, email_status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pks:
        return
    with get_connection() as connection:
        for pk in pks:
            if not _claim(pk):
                continue
            notification = Notification.objects.select_related("user", "meeting").get(
                pk=pk
            )
            if notification.kind not in TEMPLATES or not may_read_non_public(
                notification.user, notification.meeting
            ):
                _finish(notification, Status.SKIPPED)
                continue
            try:
                message(notification, connection).send()
            except Exception as exc:  # any SMTP or address error, per recipient
                logger.warning("Notification e-mail %s failed: %s", pk, exc)
                _finish(notification, Status.FAILED, str(exc) or type(exc).__name__)
            else:
                _finish(notification, Status.SENT)

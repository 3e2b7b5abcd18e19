"""Background tasks of the sessions app (run by ``manage.py db_worker``)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django_tasks import task

from .ics import Method, meeting_calendar
from .models import Delivery, Dispatch
from .recipients import RECIPIENT_PLACEHOLDER, salutation_name

logger = logging.getLogger(__name__)

#: Calendar method per kind of notice; an addendum leaves the entry as it is.
CALENDAR_METHODS = {
    Dispatch.Kind.INVITATION: Method.REQUEST,
    Dispatch.Kind.RESCHEDULE: Method.REQUEST,
    Dispatch.Kind.CANCELLATION: Method.CANCEL,
}
ATTACHMENT_NAME = "einladung.ics"


def _message(dispatch: Dispatch, delivery: Delivery, connection) -> EmailMessage:
    message = EmailMessage(
        subject=dispatch.subject,
        body=dispatch.text.replace(
            RECIPIENT_PLACEHOLDER, salutation_name(delivery.person)
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        connection=connection,
    )
    method = CALENDAR_METHODS.get(dispatch.kind)
    if method is not None:
        message.attach(
            ATTACHMENT_NAME,
            meeting_calendar(
                dispatch.meeting,
                method=method,
                sequence=dispatch.sequence,
                attendee=delivery.email,
            ),
            f"text/calendar; method={method}",
        )
    return message


@task(queue_name="mail")
def dispatch_send(dispatch_id: int) -> None:
    """Send one e-mail per queued delivery of a dispatch and record the outcome.

    Each recipient is sent separately, so one refused address does not stop
    the others: its delivery becomes ``failed`` with the error text. Running
    the task again sends only what is still queued.
    """
    dispatch = (
        Dispatch.objects.select_related("meeting__location").filter(pk=dispatch_id)
    ).first()
    if dispatch is None:
        return
    deliveries = dispatch.deliveries.filter(
        status=Delivery.Status.QUEUED
    ).select_related("person")
    with get_connection() as connection:
        for delivery in deliveries:
            try:
                _message(dispatch, delivery, connection).send()
            except Exception as exc:  # any SMTP or address error, per recipient
                logger.warning("Delivery %s failed: %s", delivery.pk, exc)
                delivery.status = Delivery.Status.FAILED
                delivery.error = str(exc) or exc.__class__.__name__
            else:
                delivery.status = Delivery.Status.SENT
                delivery.error = ""
            delivery.save(update_fields=["status", "error", "updated_at"])

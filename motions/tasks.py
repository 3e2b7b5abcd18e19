"""Background tasks of the motions app (run by ``manage.py db_worker``)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django_tasks import task

from . import mail
from .models import Motion

logger = logging.getLogger(__name__)


def _send(mails: list[mail.Mail]) -> None:
    """One message per recipient: a refused address does not stop the rest."""
    with get_connection() as connection:
        for message in mails:
            for address in message.to:
                try:
                    EmailMessage(
                        subject=message.subject,
                        body=message.body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                        connection=connection,
                    ).send()
                except Exception as exc:  # any SMTP or address error
                    logger.warning("Motion mail to %s failed: %s", address, exc)


def _motion(motion_id: int) -> Motion | None:
    return (
        Motion.objects.select_related(
            "fraction__body", "paper", "submitted_by", "withdrawn_by"
        )
        .filter(pk=motion_id, paper__isnull=False)
        .first()
    )


@task(queue_name="mail")
def motion_submitted_mail(motion_id: int) -> None:
    """Tell the council office that a motion arrived; send the signers their
    receipt."""
    motion = _motion(motion_id)
    if motion is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _send(mail.arrival_mails(motion))


@task(queue_name="mail")
def motion_withdrawn_mail(motion_id: int) -> None:
    """Tell the council office that a submitted motion was withdrawn."""
    motion = _motion(motion_id)
    if motion is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _send(mail.withdrawal_mails(motion))

"""Background tasks of the sign-in (run by ``manage.py db_worker``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task(queue_name="mail")
def password_reset_mail_send(*, to: str, subject: str, body: str) -> None:
    """Send a rendered password-reset e-mail (``forms.PasswordResetForm``)."""
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    ).send()

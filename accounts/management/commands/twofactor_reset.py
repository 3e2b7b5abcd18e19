"""``manage.py twofactor_reset <user name>``: remove a user's authenticator
app (lost or replaced phone) and end all their sessions. If one of their
bodies requires a second factor, they set up a new app at the next sign-in.
For staff accounts, which the admin's sign-in support does not list."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = "Remove a user's authenticator app and end all their sessions."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        services.totp_device_reset(actor=None, user=user)
        self.stdout.write(f"{username}: authenticator app removed, sessions ended.")

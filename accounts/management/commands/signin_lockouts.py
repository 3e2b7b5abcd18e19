"""``manage.py signin_lockouts``: list the sign-in locks in force, and lift
one (``--unlock <user name or IP address>``) or all (``--unlock-all``)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import selectors, services
from accounts.models import SignInThrottle
from accounts.throttle import normalize_username, throttle_key


class Command(BaseCommand):
    help = "List sign-in lock-outs in force; lift them with --unlock or --unlock-all."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unlock",
            metavar="NAME_OR_ADDRESS",
            help="Lift the lock of this user name or client address.",
        )
        parser.add_argument(
            "--unlock-all", action="store_true", help="Lift every lock in force."
        )

    def handle(self, *args, unlock=None, unlock_all=False, **options):
        if unlock_all:
            rows = list(selectors.active_lockouts())
        elif unlock:
            rows = list(self.matching(unlock))
            if not rows:
                raise CommandError(f"No lock-out found for {unlock!r}.")
        else:
            self.listing()
            return
        for row in rows:
            services.lockout_clear(actor=None, throttle=row)
            self.stdout.write(f"lifted: {self.describe(row)}")

    def matching(self, value: str):
        keys = [
            (SignInThrottle.Scope.ACCOUNT, normalize_username(value)),
            (SignInThrottle.Scope.ADDRESS, value.strip()),
        ]
        for scope, text in keys:
            yield from SignInThrottle.objects.filter(
                scope=scope, key=throttle_key(scope, text)
            )

    def listing(self) -> None:
        rows = list(selectors.active_lockouts())
        if not rows:
            self.stdout.write("No sign-in lock-outs in force.")
            return
        for row in rows:
            self.stdout.write(self.describe(row))

    @staticmethod
    def describe(row: SignInThrottle) -> str:
        until = ""
        if row.locked_until:
            until = f" until {timezone.localtime(row.locked_until):%Y-%m-%d %H:%M}"
        name = row.label or "(unknown user name)"
        return f"{row.scope}: {name}{until}"

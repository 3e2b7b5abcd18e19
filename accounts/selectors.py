"""Reads of the sign-in: whether a user must use a second factor, their
device, lock-outs and recent sign-ins."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gremien.access import staff_bodies
from gremien.models import Body, Person

from .models import AccountSecurity, SignInRecord, SignInThrottle
from .throttle import throttle_key


def bodies_requiring_two_factor(*, user) -> QuerySet[Body]:
    """The bodies that make ``user`` sign in with a second factor: the body
    of their person (council members, deputies, citizen members) and the
    bodies they work on as staff (``gremien.access.staff_bodies``; for
    superusers every body)."""
    if not user.is_authenticated:
        return Body.objects.none()
    return (
        Body.objects.alive()
        .filter(require_two_factor=True)
        .filter(
            Q(pk__in=staff_bodies(user).values("pk"))
            | Q(pk__in=Person.objects.alive().filter(user=user).values("body"))
        )
    )


def two_factor_required(*, user) -> bool:
    """Whether ``user`` must sign in with a second factor (any of their bodies
    requires it). One query."""
    return bodies_requiring_two_factor(user=user).exists()


def confirmed_device(*, user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def second_factor_needed(*, user) -> bool:
    """Whether a session of ``user`` counts only once a code confirmed it: the
    user has an app, or one of their bodies requires it."""
    if not user.is_authenticated:
        return False
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return has_device or two_factor_required(user=user)


def locked_until(*, scope: str, value: str) -> datetime.datetime | None:
    """The end of the lock on ``value`` (a user name, an address) in ``scope``,
    or ``None`` when it is not locked."""
    until = (
        SignInThrottle.objects.filter(
            scope=scope,
            key=throttle_key(scope, value),
            locked_until__gt=timezone.now(),
        )
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def active_lockouts() -> QuerySet[SignInThrottle]:
    """Locks in force now, newest first (for staff)."""
    return SignInThrottle.objects.filter(
        locked_until__gt=timezone.now(),
        scope__in=[SignInThrottle.Scope.ACCOUNT, SignInThrottle.Scope.ADDRESS],
    ).order_by("-locked_until")


def sessions_last_ended(*, user) -> datetime.datetime | None:
    """When the user last signed out everywhere (or staff reset their app)."""
    return (
        AccountSecurity.objects.filter(user=user)
        .values_list("sessions_ended_at", flat=True)
        .first()
    )


def recent_sign_ins(*, user, limit: int = 10) -> list[SignInRecord]:
    """The user's last sign-ins, newest first."""
    return list(SignInRecord.objects.filter(user=user)[:limit])

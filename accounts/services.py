"""State changes of the sign-in: lock-out counters, authenticator apps,
ending sessions, the record of sign-ins.

Who calls them: the views of ``accounts`` (the sign-in steps, the security
page, the password reset) and the management commands. Users act on their
own account only (``actor``); staff clear lock-outs.
"""

import datetime
import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gremien.access import staff_bodies
from gremien.models import Person

from .models import AccountSecurity, SignInRecord, SignInThrottle
from .policy import Limit
from .selectors import two_factor_required
from .throttle import normalize_username, throttle_key
from .totp import TOKEN_PATTERN, token_was_used

#: Sign-ins kept per user for the security page.
KEPT_SIGN_INS = 20
DEVICE_NAME = "Authenticator-App"


# --- lock-out counters ---------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """The outcome of counting one event: ``allowed`` is false when a lock
    was already in force; ``locked_until`` is set when a lock is in force
    after the event (also when this very event started it)."""

    allowed: bool
    locked_until: datetime.datetime | None


@transaction.atomic
def throttle_hit(
    *,
    scope: str,
    value: str,
    limit: Limit,
    label: str = "",
    user=None,
) -> Hit:
    """Count one failure (or request) for ``value`` in ``scope``.

    ``limit.attempts`` counts within ``limit.window`` (from the first one)
    lock for ``limit.lock``; counts during a lock are not added, so a lock
    is not prolonged by trying. Locks the counter's row, so that concurrent
    requests in several processes count every event once.
    """
    now = timezone.now()
    row = _locked_row(scope=scope, value=value)
    if row.locked_until and row.locked_until > now:
        return Hit(allowed=False, locked_until=row.locked_until)
    if row.window_start is None or now - row.window_start >= limit.window:
        row.count, row.window_start = 0, now
    row.count += 1
    if row.count >= limit.attempts:
        row.locked_until = now + limit.lock
        row.count, row.window_start = 0, None
    row.label = label or row.label
    row.user = user or row.user
    row.save()
    _forget_stale(scope=scope, now=now, keep=limit.window + limit.lock)
    locked = row.locked_until if row.locked_until and row.locked_until > now else None
    return Hit(allowed=True, locked_until=locked)


def _locked_row(*, scope: str, value: str) -> SignInThrottle:
    key = throttle_key(scope, value)
    rows = SignInThrottle.objects.select_for_update()
    try:
        with transaction.atomic():
            return rows.get_or_create(scope=scope, key=key)[0]
    except IntegrityError:  # created by a concurrent request in between
        return rows.get(scope=scope, key=key)


def _forget_stale(*, scope: str, now: datetime.datetime, keep) -> None:
    """Counters untouched for longer than a window and a lock say nothing
    any more; deleting them keeps the table to the recent past."""
    SignInThrottle.objects.filter(scope=scope, updated__lt=now - keep).delete()


@transaction.atomic
def lockout_reset(*, user) -> None:
    """Forget the account's failures after a complete sign-in or a password
    reset. The address counters stay: one good account must not reset the
    count of an address trying many others."""
    scope = SignInThrottle.Scope.ACCOUNT
    key = throttle_key(scope, normalize_username(user.get_username()))
    SignInThrottle.objects.filter(scope=scope, key=key).delete()


@transaction.atomic
def lockout_clear(*, actor, throttle: SignInThrottle) -> None:
    """Lift a lock before its time (staff, e.g. after a member called).

    Superusers only; ``actor=None`` is the command line."""
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators may lift a lock-out."))
    SignInThrottle.objects.filter(pk=throttle.pk).delete()


# --- authenticator apps ---------------------------------------------------------


class CodeResult(enum.Enum):
    OK = "ok"
    MALFORMED = "malformed"
    WRONG = "wrong"
    REUSED = "reused"
    THROTTLED = "throttled"
    NO_DEVICE = "no_device"


@dataclass(frozen=True)
class CodeCheck:
    result: CodeResult
    device: TOTPDevice | None = None
    retry_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.result is CodeResult.OK

    @property
    def counts_as_failure(self) -> bool:
        """Wrong and reused codes count towards the lock-out; a malformed
        entry (a typo in the number of digits) and a wait do not."""
        return self.result in (CodeResult.WRONG, CodeResult.REUSED)


def _check(device: TOTPDevice, token: str) -> CodeCheck:
    """Verify ``token`` on a device locked by the caller. django-otp refuses
    a code at or below the last accepted time step (no reuse) and makes
    each further failure wait twice as long (1, 2, 4 … seconds)."""
    if not TOKEN_PATTERN.match(token):
        return CodeCheck(CodeResult.MALFORMED, device)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(
            CodeResult.THROTTLED, device, retry_at=(info or {}).get("locked_until")
        )
    if device.verify_token(token):
        return CodeCheck(CodeResult.OK, device)
    if token_was_used(device, token):
        return CodeCheck(CodeResult.REUSED, device)
    return CodeCheck(CodeResult.WRONG, device)


@transaction.atomic
def totp_verify(*, actor, token: str) -> CodeCheck:
    """Check a code of the actor's confirmed app (sign-in, second step).

    Locks the device row, so that one code is accepted once even when two
    requests bring it at the same moment."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor, confirmed=True)
        .order_by("-pk")
        .first()
    )
    if device is None:
        return CodeCheck(CodeResult.NO_DEVICE)
    return _check(device, token)


@transaction.atomic
def totp_device_prepare(*, actor) -> TOTPDevice:
    """The unconfirmed app the actor is setting up: the one begun earlier
    (reloading the page keeps the QR code already scanned), or a new one."""
    device = (
        TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=actor, name=DEVICE_NAME, confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(*, actor, token: str) -> CodeCheck:
    """Confirm the app being set up with its first code. On success it
    replaces every other device of the actor (one app per account: a
    replaced phone stops working at once)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        return CodeCheck(CodeResult.NO_DEVICE)
    check = _check(device, token)
    if check.ok:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    return check


@transaction.atomic
def totp_device_remove(*, actor) -> None:
    """Remove the actor's authenticator app; afterwards the password alone
    signs in. Refused when one of the actor's bodies requires a second
    factor (they may replace the app, not remove it). The caller has
    confirmed the actor's password."""
    if two_factor_required(user=actor):
        raise ValidationError(
            _(
                "Your municipality requires a second factor for your account. "
                "You can replace your authenticator app, but not remove it."
            ),
            code="required",
        )
    TOTPDevice.objects.filter(user=actor).delete()


# --- support by staff ------------------------------------------------------------

SUPPORT_PERMISSION = "gremien.change_person"


def may_support(*, actor, user) -> bool:
    """Whether ``actor`` may reset the app of ``user`` and lift their lock:
    superusers for everyone; staff with ``gremien.change_person`` for the
    accounts of persons of their bodies (the Sitzungsdienst helps its council
    members; staff accounts are helped by an administrator)."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    if actor.is_superuser:
        return True
    return actor.has_perm(SUPPORT_PERMISSION) and (
        Person.objects.alive()
        .filter(user=user, body__in=staff_bodies(actor).values("pk"))
        .exists()
    )


def _require_support(actor, user) -> None:
    if actor is not None and not may_support(actor=actor, user=user):
        raise PermissionDenied(_("You may not change the sign-in of this account."))


@transaction.atomic
def totp_device_reset(*, actor, user) -> None:
    """Remove the authenticator app of ``user`` (lost or replaced phone) and
    end all their sessions. If a body requires a second factor, they set up
    a new app at their next sign-in. ``actor=None`` is the command line."""
    _require_support(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    sessions_end_everywhere(actor=user)


@transaction.atomic
def account_unlock(*, actor, user) -> None:
    """Lift the lock of ``user``'s account before its time (staff, e.g. after
    the member called). Locks of client addresses stay."""
    _require_support(actor, user)
    lockout_reset(user=user)


# --- sessions -------------------------------------------------------------------


@transaction.atomic
def sessions_end_everywhere(*, actor) -> int:
    """End every session of the actor, on every device: raises the epoch
    that enters each session's hash (``accounts.models.SessionUser``), so
    every session fails its check at its next request, and every websocket
    at its next connect. Returns the new epoch."""
    security, _created = AccountSecurity.objects.select_for_update().get_or_create(
        user_id=actor.pk
    )
    AccountSecurity.objects.filter(pk=security.pk).update(
        session_epoch=F("session_epoch") + 1, sessions_ended_at=timezone.now()
    )
    security.refresh_from_db()
    return security.session_epoch


@transaction.atomic
def sign_in_record(*, user, method: str, device: str) -> SignInRecord:
    """Keep a completed sign-in for the security page (the last
    ``KEPT_SIGN_INS``)."""
    record = SignInRecord.objects.create(
        user=user, at=timezone.now(), method=method, device=device[:100]
    )
    stale = SignInRecord.objects.filter(user=user).values_list("pk", flat=True)[
        KEPT_SIGN_INS:
    ]
    SignInRecord.objects.filter(pk__in=list(stale)).delete()
    return record

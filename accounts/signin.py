"""The sign-in as it lives in the session: the password step, the pending
sign-in waiting for its code, completing it, and what every signed-in
session carries (its epoch hash, start, last activity, absolute expiry).

There is no half-signed-in state: after the password the session holds only
a pending user id, its time and a fingerprint of the password; the user is
signed in (``django.contrib.auth.login``) only once the second factor is
confirmed, or at once when none is needed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, authenticate, login
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy, selectors, services
from .backends import as_session_user, session_users
from .models import SessionUser, SignInRecord, SignInThrottle
from .throttle import client_address, normalize_username
from .useragent import describe

PENDING_KEY = "accounts.pending"
STARTED_KEY = "accounts.started"
SEEN_KEY = "accounts.seen"
REAUTH_KEY = "accounts.reauth"
#: A cookie saying "this browser was signed in" (no secret): when it comes
#: with an anonymous request to the sign-in page, the session has ended
#: (time-out, log out everywhere elsewhere) and the page says so.
HINT_COOKIE = "gremien_signed_in"
HINT_MAX_AGE = 30 * 24 * 60 * 60
BACKEND = "accounts.backends.SessionEpochBackend"

CODE, SETUP = "code", "setup"


class SignInRefused(Exception):
    """A refused password or code, with the German message for the page."""

    def __init__(self, message: str, *, locked_until=None) -> None:
        super().__init__(message)
        self.message = message
        self.locked_until = locked_until


class PendingExpired(Exception):
    """The pending sign-in is older than its limit, or its password has
    changed since. ``next_url`` is where the sign-in was going."""

    def __init__(self, next_url: str = "") -> None:
        super().__init__(next_url)
        self.next_url = next_url


# --- lock-out -------------------------------------------------------------------


def lock_message(until: datetime.datetime) -> str:
    local = timezone.localtime(until)
    return _(
        "Too many failed sign-in attempts. For your security, signing in is "
        "blocked until %(time)s. Please try again then, or reset your password."
    ) % {"time": formats.time_format(local, "H:i")}


def _lock_in_force(*, username: str, address: str) -> datetime.datetime | None:
    locks = [
        selectors.locked_until(scope=SignInThrottle.Scope.ACCOUNT, value=username),
        selectors.locked_until(scope=SignInThrottle.Scope.ADDRESS, value=address),
    ]
    return max((lock for lock in locks if lock), default=None)


def refuse_if_locked(*, username: str, address: str) -> None:
    until = _lock_in_force(username=normalize_username(username), address=address)
    if until is not None:
        raise SignInRefused(lock_message(until), locked_until=until)


def count_failure(*, username: str, address: str) -> datetime.datetime | None:
    """Count a failed password or code for the account (as typed) and the
    address; returns the end of a lock now in force, if any."""
    name = normalize_username(username)
    account = (
        User._default_manager.filter(username__iexact=username.strip())
        .only("pk", "username")
        .first()
    )
    hits = [
        services.throttle_hit(
            scope=SignInThrottle.Scope.ACCOUNT,
            value=name,
            limit=policy.account_limit(),
            label=account.get_username() if account else "",
            user=account,
        ),
        services.throttle_hit(
            scope=SignInThrottle.Scope.ADDRESS,
            value=address,
            limit=policy.address_limit(),
            label=address,
        ),
    ]
    return max((hit.locked_until for hit in hits if hit.locked_until), default=None)


# --- the password step ---------------------------------------------------------


def password_step(request: HttpRequest, *, username: str, password: str) -> SessionUser:
    """Check a user name and password, under the lock-out. Refuses with the
    same message whether or not the user name exists."""
    address = client_address(request)
    refuse_if_locked(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        return user
    until = count_failure(username=username, address=address)
    if until is not None:
        raise SignInRefused(lock_message(until), locked_until=until)
    raise SignInRefused(
        _(
            "The user name or the password is not correct. Please check both; "
            "upper and lower case letters count."
        )
    )


def reauthenticate(request: HttpRequest, *, password: str) -> None:
    """Confirm the signed-in user's password before a change of their
    second factor; failures count like failed sign-ins."""
    user = request.user
    address = client_address(request)
    refuse_if_locked(username=user.get_username(), address=address)
    if user.check_password(password):
        request.session[REAUTH_KEY] = timezone.now().timestamp()
        return
    until = count_failure(username=user.get_username(), address=address)
    if until is not None:
        raise SignInRefused(lock_message(until), locked_until=until)
    raise SignInRefused(_("The password is not correct."))


def reauthenticated(request: HttpRequest) -> bool:
    """Whether the password was confirmed in this session a short time ago."""
    confirmed = request.session.get(REAUTH_KEY)
    if confirmed is None:
        return False
    age = timezone.now().timestamp() - float(confirmed)
    return 0 <= age <= policy.reauth_limit().total_seconds()


def reauth_clear(request: HttpRequest) -> None:
    request.session.pop(REAUTH_KEY, None)


# --- the pending sign-in -----------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    user: SessionUser
    purpose: str
    next_url: str


def pending_begin(
    request: HttpRequest, *, user: SessionUser, purpose: str, next_url: str
) -> None:
    """Remember that ``user`` gave the right password; the session gets a new
    key, as at every change of privilege."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "purpose": purpose,
        "at": timezone.now().timestamp(),
        "hash": user.get_session_auth_hash(),
        "next": next_url,
    }


def pending_get(request: HttpRequest, *, purpose: str) -> Pending | None:
    """The pending sign-in of ``purpose``; ``None`` when there is none.
    Raises ``PendingExpired`` (and forgets it) when it is too old, or when
    the password or the sessions' epoch changed since."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("purpose") != purpose:
        return None
    limit = policy.pending_limit() if purpose == CODE else policy.setup_limit()
    age = timezone.now().timestamp() - float(data.get("at", 0))
    user = session_users().filter(pk=data.get("user"), is_active=True).first()
    fresh = 0 <= age <= limit.total_seconds()
    if (
        not fresh
        or user is None
        or not constant_time_compare(user.get_session_auth_hash(), data["hash"])
    ):
        pending_clear(request)
        raise PendingExpired(data.get("next", ""))
    return Pending(user=user, purpose=purpose, next_url=data.get("next", ""))


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


# --- completing a sign-in ---------------------------------------------------------


def sign_in_complete(
    request: HttpRequest, *, user: SessionUser, device: TOTPDevice | None = None
) -> None:
    """Sign ``user`` in: Django's login (new session key, epoch hash), the
    second factor on the session, the account's failures forgotten, the
    sign-in recorded."""
    pending_clear(request)
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    services.lockout_reset(user=user)
    services.sign_in_record(
        user=user,
        method=SignInRecord.Method.TOTP if device else SignInRecord.Method.PASSWORD,
        device=describe(request.headers.get("user-agent", "")),
    )


def bind_session(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: whichever way a session was signed in
    (our sign-in, ``client.force_login``), it carries the hash with the
    user's epoch, its start and last activity, and expires at the latest
    ``SESSION_COOKIE_AGE`` after the sign-in, however active it is (also
    for websockets, which read the same session)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now()
    session[HASH_SESSION_KEY] = as_session_user(user).get_session_auth_hash()
    session[STARTED_KEY] = now.timestamp()
    session[SEEN_KEY] = now.timestamp()
    session.set_expiry(now + policy.session_max_age())


def mark_signed_in(response: HttpResponse) -> HttpResponse:
    response.set_cookie(
        HINT_COOKIE,
        "1",
        max_age=HINT_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget_signed_in(response: HttpResponse) -> HttpResponse:
    """The answer to a sign-out: the browser forgets the session and deletes
    what the member portal kept on the device for offline reading (cached
    documents, the service worker, the reader's notes store)."""
    response.delete_cookie(HINT_COOKIE, samesite="Lax")
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def session_ended(request: HttpRequest) -> bool:
    """An anonymous request from a browser that was signed in: its session
    ended without a sign-out (time-out, log out everywhere elsewhere)."""
    return HINT_COOKIE in request.COOKIES and not request.user.is_authenticated


# --- where to go --------------------------------------------------------------------


def safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site, else ``""``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def default_next(user) -> str:
    """Staff go to the admin, everyone else to ``LOGIN_REDIRECT_URL``."""
    if user.is_active and user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return resolve_url(settings.LOGIN_REDIRECT_URL)

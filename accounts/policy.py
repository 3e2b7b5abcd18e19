"""The numbers of the sign-in policy, read from settings at the time of use
(tests change them with the ``settings`` fixture). Defaults are in
``config/settings/base.py``; the reasons in ``docs/decisions.md``."""

import datetime
from dataclasses import dataclass

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def idle_limit() -> datetime.timedelta:
    """A signed-in session without a request for this long ends."""
    return datetime.timedelta(minutes=_setting("GREMIEN_SESSION_IDLE_MINUTES", 60))


def session_max_age() -> datetime.timedelta:
    """A signed-in session ends this long after the sign-in, however active."""
    return datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def pending_limit() -> datetime.timedelta:
    """Time between the password and the code of one sign-in."""
    return datetime.timedelta(minutes=_setting("GREMIEN_SIGNIN_PENDING_MINUTES", 5))


def setup_limit() -> datetime.timedelta:
    """Time between the password and the confirmed set-up of an app: longer
    than ``pending_limit``, since the app may first have to be installed."""
    return datetime.timedelta(minutes=_setting("GREMIEN_SIGNIN_SETUP_MINUTES", 15))


def reauth_limit() -> datetime.timedelta:
    """How long a confirmed password allows changing the second factor."""
    return datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Limit:
    """``attempts`` within ``window`` lock for ``lock``."""

    attempts: int
    window: datetime.timedelta
    lock: datetime.timedelta


def account_limit() -> Limit:
    """Failed passwords and codes per account (user name as typed)."""
    return Limit(
        attempts=_setting("GREMIEN_SIGNIN_MAX_FAILURES", 5),
        window=datetime.timedelta(
            minutes=_setting("GREMIEN_SIGNIN_FAILURE_WINDOW_MINUTES", 15)
        ),
        lock=datetime.timedelta(minutes=_setting("GREMIEN_SIGNIN_LOCK_MINUTES", 15)),
    )


def address_limit() -> Limit:
    """Failed passwords and codes per client address. Generous: a council
    chamber's Wi-Fi puts a room of tablets behind one address."""
    account = account_limit()
    return Limit(
        attempts=_setting("GREMIEN_SIGNIN_MAX_FAILURES_PER_ADDRESS", 50),
        window=account.window,
        lock=account.lock,
    )


def reset_address_limit() -> Limit:
    """Password-reset requests per client address."""
    hour = datetime.timedelta(hours=1)
    return Limit(
        attempts=_setting("GREMIEN_PASSWORD_RESETS_PER_ADDRESS", 10),
        window=hour,
        lock=hour,
    )


def reset_email_limit() -> Limit:
    """Password-reset e-mails per address: more are not sent (silently)."""
    hour = datetime.timedelta(hours=1)
    return Limit(
        attempts=_setting("GREMIEN_PASSWORD_RESETS_PER_EMAIL", 3),
        window=hour,
        lock=hour,
    )

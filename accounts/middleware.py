"""Middleware of the sign-in: the idle time-out of sessions, and the second
factor in the Wagtail admin (whose views do not use our guard).

Both run after ``AuthenticationMiddleware``, ``OTPMiddleware`` and
``MessageMiddleware``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .guards import second_factor_missing, sign_in_again
from .signin import SEEN_KEY, forget_signed_in

#: Last activity is written at most this often (a session write per request
#: would cost a database write per page and per file).
SEEN_GRANULARITY_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after ``GREMIEN_SESSION_IDLE_MINUTES`` without
    a request, with a message on the next page that shows messages (the
    sign-in page, where the guard sends the user).

    The absolute limit (``SESSION_COOKIE_AGE`` after the sign-in) is the
    session's expiry date, set at the sign-in (``signin.bind_session``), so
    that websockets, which read the same session, end with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        timed_out = False
        if settings.SESSION_COOKIE_NAME in request.COOKIES and (
            SESSION_KEY in request.session
        ):
            timed_out = self._check(request)
        response = self.get_response(request)
        if timed_out:
            # This page already says why; the sign-in page need not again.
            forget_signed_in(response)
        return response

    def _check(self, request: HttpRequest) -> bool:
        now = timezone.now().timestamp()
        seen = request.session.get(SEEN_KEY)
        limit = policy.idle_limit()
        if seen is not None and now - float(seen) > limit.total_seconds():
            logout(request)
            messages.info(
                request,
                _(
                    "For your security, your session has ended after %(minutes)s "
                    "minutes without activity. Please sign in again."
                )
                % {"minutes": int(limit.total_seconds() // 60)},
            )
            return True
        if seen is None or now - float(seen) >= SEEN_GRANULARITY_SECONDS:
            request.session[SEEN_KEY] = now
        return False


class AdminSecondFactorMiddleware:
    """In the Wagtail admin, a session without the second factor its user
    must use is ended and sent through the sign-in, as ``guards`` does for
    the other pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = self._logout = None

    def __call__(self, request: HttpRequest):
        if self._prefix is None:
            self._prefix = reverse("wagtailadmin_home")
            self._logout = reverse("wagtailadmin_logout")
        if (
            request.path.startswith(self._prefix)
            and request.path != self._logout
            and SESSION_KEY in request.session
            and second_factor_missing(request)
        ):
            return sign_in_again(request)
        return self.get_response(request)

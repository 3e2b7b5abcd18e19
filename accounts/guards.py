"""The guard of pages for signed-in users (members and staff outside the
admin).

``login_required`` is Django's decorator of the same name, with two
differences: anonymous users go to our sign-in (``accounts_login``), and a
session that lacks the second factor its user must use (they have an app,
or one of their bodies requires one) is ended and sent through the sign-in
again, which asks for the code or sets the app up. Such sessions come from
before the requirement was switched on, or from another sign-in path.

    from accounts.guards import login_required

    @login_required
    def member_view(request): ...
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import second_factor_needed


def second_factor_missing(request: HttpRequest) -> bool:
    """A signed-in session without the second factor its user must use."""
    user = request.user
    if not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return second_factor_needed(user=user)


def sign_in_again(request: HttpRequest) -> HttpResponse:
    """End a session that lacks its second factor and send the user through
    the sign-in, back to this page afterwards."""
    logout(request)
    messages.warning(
        request,
        _(
            "Your account signs in with a second factor (an authenticator "
            "app). Please sign in again: you will then be asked for the code, "
            "or guided through setting the app up."
        ),
    )
    return redirect_to_login(request.get_full_path(), reverse("accounts_login"))


def login_required(view):
    """Decorator for function views of signed-in users (see module)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts_login"))
        if second_factor_missing(request):
            return sign_in_again(request)
        return view(request, *args, **kwargs)

    return guarded

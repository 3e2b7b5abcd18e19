"""Password reset by e-mail (``/konto/passwort-vergessen/…``): Django's views
with our pages, German e-mail, throttling, and no word on whether an
address belongs to an account."""

import datetime

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy, services
from ..forms import PasswordResetForm, SetPasswordForm
from ..models import SignInThrottle
from ..throttle import client_address


def too_many_requests(until) -> str:
    return _("Too many requests from your network. Please try again from %(time)s.") % {
        "time": formats.time_format(timezone.localtime(until), "H:i")
    }


def valid_minutes() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 60)


def valid_until() -> str:
    """When a link sent now expires, as the e-mail says it ("… 16:30")."""
    until = timezone.localtime(
        timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    )
    date = formats.date_format(until, "DATE_FORMAT")
    return f"{date}, {formats.time_format(until, 'H:i')}"


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the e-mail address. Every valid address gets the same answer
    (the "sent" page); at most ``GREMIEN_PASSWORD_RESETS_PER_EMAIL`` e-mails
    an hour go to one address, and one client address may ask
    ``GREMIEN_PASSWORD_RESETS_PER_ADDRESS`` times an hour."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts_password_reset_done")
    extra_context = {"title": gettext_lazy("Forgot your password?")}

    def form_valid(self, form):
        address = client_address(self.request)
        from_address = services.throttle_hit(
            scope=SignInThrottle.Scope.RESET_ADDRESS,
            value=address,
            limit=policy.reset_address_limit(),
            label=address,
        )
        if not from_address.allowed:
            form.add_error(None, too_many_requests(from_address.locked_until))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        to_email = services.throttle_hit(
            scope=SignInThrottle.Scope.RESET_EMAIL,
            value=form.cleaned_data["email"].strip().casefold(),
            limit=policy.reset_email_limit(),
        )
        if not to_email.allowed:
            return redirect(self.success_url)
        self.extra_email_context = {
            "valid_until": valid_until(),
            "portal_name": settings.WAGTAIL_SITE_NAME,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": gettext_lazy("Check your e-mail")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_minutes": valid_minutes()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the e-mail. The new password changes the hash every
    session of the user carries: all their sessions end. The account's
    lock-out is lifted (the user has proven access to their e-mail);
    a second factor is still asked for at the next sign-in."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts_password_reset_complete")
    extra_context = {"title": gettext_lazy("Choose a new password")}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.lockout_reset(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": gettext_lazy("Password changed")}

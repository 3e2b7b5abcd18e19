"""The security page of a signed-in user (``/konto/sicherheit/``): second
factor, password, sessions, recent sign-ins."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from .. import selectors, services, signin
from ..forms import CodeForm, PasswordChangeForm, PasswordConfirmForm
from ..guards import login_required
from ..throttle import client_address
from .signin import TotpSetupMixin, code_error

SETUP, REMOVE = "setup", "remove"


def security_page(
    request: HttpRequest, *, confirm_form=None, status: int = 200
) -> HttpResponse:
    user = request.user
    device = selectors.confirmed_device(user=user)
    return TemplateResponse(
        request,
        "accounts/security.html",
        {
            "title": _("Sign-in and security"),
            "device": device,
            "required_by": list(selectors.bodies_requiring_two_factor(user=user)),
            "confirm_form": confirm_form or PasswordConfirmForm(),
            "sign_ins": selectors.recent_sign_ins(user=user),
            "sessions_ended_at": selectors.sessions_last_ended(user=user),
        },
        status=status,
    )


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    return security_page(request)


@require_POST
@sensitive_post_parameters()
@csrf_protect
@never_cache
@login_required
def totp_manage(request: HttpRequest) -> HttpResponse:
    """Set up, replace or remove the authenticator app, after the current
    password (a session left open on a shared tablet must not be enough to
    take over or switch off the second factor)."""
    action = request.POST.get("action")
    form = PasswordConfirmForm(request.POST)
    if action not in (SETUP, REMOVE) or not form.is_valid():
        return security_page(request, confirm_form=form)
    try:
        signin.reauthenticate(request, password=form.cleaned_data["password"])
    except signin.SignInRefused as refusal:
        form.add_error("password", refusal.message)
        status = 429 if refusal.locked_until else 200
        return security_page(request, confirm_form=form, status=status)
    if action == SETUP:
        return redirect("accounts_totp_setup")
    signin.reauth_clear(request)
    try:
        services.totp_device_remove(actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(
            request,
            _(
                "Your authenticator app has been removed. You now sign in with "
                "your password alone."
            ),
        )
    return redirect("accounts_security")


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], "dispatch")
@method_decorator(login_required, "dispatch")
class TotpSetupView(TotpSetupMixin, View):
    """Setting up or replacing the app from the security page; the password
    was confirmed just before (``totp_manage``)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not signin.reauthenticated(request):
            messages.info(
                request, _("Please confirm your password first to change the app.")
            )
            return redirect("accounts_security")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.setup_page(request, request.user, CodeForm(), sign_in=False)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.setup_page(request, request.user, form, sign_in=False)
        check = services.totp_device_confirm(
            actor=request.user, token=form.cleaned_data["code"]
        )
        if not check.ok:
            form.add_error("code", code_error(check))
            return self.setup_page(request, request.user, form, sign_in=False)
        otp_login(request, check.device)
        signin.reauth_clear(request)
        messages.success(
            request,
            _(
                "Your authenticator app is set up. From now on, signing in asks "
                "for your password and a code from the app."
            ),
        )
        return redirect("accounts_security")


@require_POST
@csrf_protect
@never_cache
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user on every device, this one included."""
    services.sessions_end_everywhere(actor=request.user)
    logout(request)
    messages.success(
        request,
        _(
            "You have been signed out on all devices, including this one. Sign "
            "in again to continue working."
        ),
    )
    return signin.forget_signed_in(redirect("accounts_login"))


@method_decorator(login_required, "dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change. The new password changes the hash every
    session carries, so the user's other sessions end; this one is kept
    (``update_session_auth_hash``). A wrong current password counts like a
    failed sign-in."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts_security")
    extra_context = {"title": gettext_lazy("Change password")}

    def post(self, request, *args, **kwargs):
        try:
            signin.refuse_if_locked(
                username=request.user.get_username(), address=client_address(request)
            )
        except signin.SignInRefused as refusal:
            form = self.get_form()
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            until = signin.count_failure(
                username=self.request.user.get_username(),
                address=client_address(self.request),
            )
            if until is not None:
                form.add_error(None, signin.lock_message(until))
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _(
                "Your password has been changed. You have been signed out on "
                "your other devices."
            ),
        )
        return response

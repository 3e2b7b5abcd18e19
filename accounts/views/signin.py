"""The sign-in: password (``/konto/anmelden/``), code of the authenticator
app (``…/code/``), setting the app up where it is required
(``…/einrichten/``), and signing out (``/konto/abmelden/``)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .. import policy, selectors, services, signin
from ..forms import CodeForm, SignInForm
from ..services import CodeCheck, CodeResult
from ..throttle import client_address
from ..totp import grouped_secret, qr_svg

protected = [sensitive_post_parameters(), csrf_protect, never_cache]


def login_url(next_url: str = "") -> str:
    """The sign-in's address, with ``next`` written as Django's
    ``redirect_to_login`` writes it."""
    url = reverse("accounts_login")
    if not next_url:
        return url
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{url}?{query.urlencode(safe='/')}"


def back_to_login(
    request: HttpRequest, message: str, next_url: str = ""
) -> HttpResponse:
    messages.error(request, message)
    return HttpResponseRedirect(login_url(next_url))


def expired_message(purpose: str) -> str:
    limit = policy.pending_limit() if purpose == signin.CODE else policy.setup_limit()
    minutes = int(limit.total_seconds() // 60)
    return _(
        "The sign-in has expired: more than %(minutes)s minutes have passed since "
        "you entered your password. Please sign in again."
    ) % {"minutes": minutes}


def code_error(check: CodeCheck) -> str:
    """What the page says about a code that was not accepted."""
    if check.result is CodeResult.REUSED:
        return _(
            "This code has already been used. Please wait until your app shows "
            "a new code and enter that one."
        )
    if check.result is CodeResult.THROTTLED:
        seconds = 1
        if check.retry_at is not None:
            seconds = max(1, int((check.retry_at - timezone.now()).total_seconds()) + 1)
        return _(
            "Please wait a moment (%(seconds)s s) before entering the next code."
        ) % {"seconds": seconds}
    return _(
        "The code is wrong or has expired. Please enter the code your app shows "
        "right now. If it is still refused, check that the time on your device "
        "is set correctly."
    )


def finish(request: HttpRequest, next_url: str, user) -> HttpResponse:
    response = HttpResponseRedirect(next_url or signin.default_next(user))
    return signin.mark_signed_in(response)


@method_decorator(protected, name="dispatch")
class SignInView(View):
    """Step 1: user name and password, under the lock-out."""

    template_name = "accounts/login.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, SignInForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignInForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        try:
            user = signin.password_step(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except signin.SignInRefused as refusal:
            form.add_error(None, refusal.message)
            return self.page(request, form, status=429 if refusal.locked_until else 200)
        next_url = signin.safe_next(request, request.POST.get("next"))
        if selectors.confirmed_device(user=user) is not None:
            signin.pending_begin(
                request, user=user, purpose=signin.CODE, next_url=next_url
            )
            return redirect("accounts_login_code")
        if selectors.two_factor_required(user=user):
            signin.pending_begin(
                request, user=user, purpose=signin.SETUP, next_url=next_url
            )
            return redirect("accounts_login_setup")
        signin.sign_in_complete(request, user=user)
        return finish(request, next_url, user)

    def page(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        next_url = signin.safe_next(
            request, request.POST.get("next") or request.GET.get("next")
        )
        ended = signin.session_ended(request) and not messages.get_messages(request)
        response = TemplateResponse(
            request,
            self.template_name,
            {
                "title": _("Sign in"),
                "form": form,
                "next": next_url,
                "session_ended": ended,
            },
            status=status,
        )
        if signin.HINT_COOKIE in request.COOKIES and not request.user.is_authenticated:
            signin.forget_signed_in(response)
        return response


class PendingStepView(View):
    """A step after the password: needs the pending sign-in of ``purpose``."""

    purpose = ""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.pending = signin.pending_get(request, purpose=self.purpose)
        except signin.PendingExpired as expired:
            return back_to_login(
                request, expired_message(self.purpose), expired.next_url
            )
        if self.pending is None:
            return redirect("accounts_login")
        return super().dispatch(request, *args, **kwargs)

    def refused_if_locked(self, request: HttpRequest) -> HttpResponse | None:
        try:
            signin.refuse_if_locked(
                username=self.pending.user.get_username(),
                address=client_address(request),
            )
        except signin.SignInRefused as refusal:
            signin.pending_clear(request)
            return back_to_login(request, refusal.message, self.pending.next_url)
        return None


@method_decorator(protected, name="dispatch")
class CodeView(PendingStepView):
    """Step 2: the six-digit code; wrong and reused codes count as failures."""

    purpose = signin.CODE
    template_name = "accounts/login_code.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        if (refused := self.refused_if_locked(request)) is not None:
            return refused
        user = self.pending.user
        check = services.totp_verify(actor=user, token=form.cleaned_data["code"])
        if check.ok:
            signin.sign_in_complete(request, user=user, device=check.device)
            return finish(request, self.pending.next_url, user)
        if check.result is CodeResult.NO_DEVICE:
            signin.pending_clear(request)
            return back_to_login(
                request,
                _("The sign-in could not be completed. Please sign in again."),
                self.pending.next_url,
            )
        if check.counts_as_failure:
            until = signin.count_failure(
                username=user.get_username(), address=client_address(request)
            )
            if until is not None:
                signin.pending_clear(request)
                return back_to_login(
                    request, signin.lock_message(until), self.pending.next_url
                )
        form.add_error("code", code_error(check))
        return self.page(request, form)

    def page(self, request: HttpRequest, form) -> HttpResponse:
        return TemplateResponse(
            request,
            self.template_name,
            {"title": _("Enter code"), "form": form},
        )


class TotpSetupMixin:
    """Showing the app to set up (QR code, secret) and confirming it."""

    template_name = "accounts/totp_setup.html"

    def setup_page(
        self, request: HttpRequest, user, form, *, sign_in: bool
    ) -> HttpResponse:
        device = services.totp_device_prepare(actor=user)
        required = list(selectors.bodies_requiring_two_factor(user=user))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "title": _("Set up authenticator app"),
                "form": form,
                "qr": qr_svg(
                    device,
                    label=_(
                        "QR code for setting up the authenticator app. If you "
                        "cannot scan it, type in the key shown below it."
                    ),
                ),
                "secret": grouped_secret(device),
                "account_name": user.get_username(),
                "required_by": required,
                "sign_in": sign_in,
                "replacing": not sign_in
                and selectors.confirmed_device(user=user) is not None,
            },
        )


@method_decorator(protected, name="dispatch")
class SignInSetupView(TotpSetupMixin, PendingStepView):
    """Step 2 for users who must use a second factor and have none yet."""

    purpose = signin.SETUP

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.setup_page(request, self.pending.user, CodeForm(), sign_in=True)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.pending.user
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.setup_page(request, user, form, sign_in=True)
        if (refused := self.refused_if_locked(request)) is not None:
            return refused
        check = services.totp_device_confirm(
            actor=user, token=form.cleaned_data["code"]
        )
        if not check.ok:
            form.add_error("code", code_error(check))
            return self.setup_page(request, user, form, sign_in=True)
        signin.sign_in_complete(request, user=user, device=check.device)
        messages.success(
            request,
            _(
                "Your authenticator app is set up. From now on, signing in asks "
                "for your password and a code from the app."
            ),
        )
        return finish(request, self.pending.next_url, user)


@require_POST
@csrf_protect
@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out on this device (POST only: a link or an image must not sign
    anybody out)."""
    was_signed_in = request.user.is_authenticated
    logout(request)
    if was_signed_in:
        messages.success(request, _("You have been signed out."))
    return signin.forget_signed_in(redirect("accounts_login"))


class AdminLoginRedirect(View):
    """``/admin/login/`` (Wagtail's sign-in) leads to ours, keeping ``next``;
    without one, back to the admin afterwards."""

    def get(self, request: HttpRequest) -> HttpResponse:
        next_url = signin.safe_next(request, request.GET.get("next"))
        return HttpResponseRedirect(login_url(next_url or reverse("wagtailadmin_home")))

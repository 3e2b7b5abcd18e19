"""The admin's "sign-in support" screen: the Sitzungsdienst finds a council
member's account, sees whether it has an app and is locked, resets the app
(lost phone) or lifts the lock. Scoped to the staff user's bodies
(``services.may_support``)."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gremien.access import staff_bodies
from gremien.models import Person

from . import services
from .models import SignInThrottle

ROWS = 50


def supported_accounts(*, actor, query: str = "") -> QuerySet[Person]:
    """Persons with an account in the actor's bodies, with the state of their
    sign-in (``has_app``, ``is_locked``)."""
    persons = (
        Person.objects.alive().filter(user__isnull=False).select_related("user", "body")
    )
    if not actor.is_superuser:
        persons = persons.filter(body__in=staff_bodies(actor).values("pk"))
    for word in query.split():
        persons = persons.filter(
            Q(family_name__icontains=word)
            | Q(given_name__icontains=word)
            | Q(user__username__icontains=word)
        )
    locks = SignInThrottle.objects.filter(
        scope=SignInThrottle.Scope.ACCOUNT,
        user=OuterRef("user"),
        locked_until__gt=timezone.now(),
    )
    apps = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return persons.annotate(has_app=Exists(apps), is_locked=Exists(locks)).order_by(
        "family_name", "given_name"
    )


class SignInSupportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/sign_in_support.html"
    page_title = gettext_lazy("Sign-in support")
    header_icon = "key"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or user.has_perm(services.SUPPORT_PERMISSION)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        accounts = supported_accounts(actor=self.request.user, query=query)
        return {
            **super().get_context_data(**kwargs),
            "query": query,
            "accounts": accounts[:ROWS],
            "more": accounts.count() > ROWS,
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        account = get_object_or_404(User, pk=request.POST.get("user"))
        action = request.POST.get("action")
        name = account.get_username()
        if action == "reset_app":
            services.totp_device_reset(actor=request.user, user=account)
            messages.success(
                request,
                _(
                    "The authenticator app of %(name)s has been removed and all "
                    "their sessions ended."
                )
                % {"name": name},
            )
        elif action == "unlock":
            services.account_unlock(actor=request.user, user=account)
            messages.success(
                request, _("The account %(name)s is unlocked.") % {"name": name}
            )
        else:
            messages.error(request, _("Unknown action."))
        back = reverse("accounts_sign_in_support")
        query = request.POST.get("q", "")
        return HttpResponseRedirect(
            f"{back}?{urlencode({'q': query})}" if query else back
        )

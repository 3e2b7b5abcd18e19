"""Pages of the notifications app in the member portal
(``/mitglieder/benachrichtigungen/…``).

Who: signed-in users, each for their own notifications and settings; a
notification of someone else answers with the same 404 as one that does not
exist. No page is cached outside the reader's browser.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.guards import login_required

from . import selectors, services
from .forms import PreferencesForm
from .topics import RULES

PER_PAGE = 30


def _page(request, template: str, context: dict) -> HttpResponse:
    response = render(request, template, {"nav": "notifications", **context})
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first, unread ones marked."""
    paginator = Paginator(
        selectors.notifications_for(user=request.user).select_related("meeting"),
        PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("seite"))
    return _page(
        request,
        "notifications/list.html",
        {
            "title": _("Notifications"),
            "page": page,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@never_cache
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its meeting."""
    notification = selectors.notification_of(user=request.user, pk=pk)
    if notification is None:
        raise Http404(_("This notification does not exist."))
    services.notification_open(actor=request.user, notification=notification)
    target = notification.url
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("notifications_list")


@require_POST
@login_required
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect("notifications_list")


@never_cache
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which notifications the member wants, in the portal and by e-mail."""
    choices = selectors.preferences(user=request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    address = selectors.email_address_for(user=request.user)
    if request.method == "POST":
        if form.is_valid():
            saved = services.preferences_update(
                actor=request.user, choices=form.choices()
            )
            messages.success(request, _("Your notification settings are saved."))
            wants_mail = any(
                saved[topic].email
                for topic, rule in RULES.items()
                if not rule.formal_email
            )
            if wants_mail and not address:
                messages.warning(
                    request,
                    _(
                        "No e-mail address is on record for you, so no e-mail "
                        "can be sent. Please give the Sitzungsdienst your "
                        "address."
                    ),
                )
            return redirect("notifications_settings")
        messages.error(request, _("Please check your entries."))
    return _page(
        request,
        "notifications/settings.html",
        {
            "title": _("Notification settings"),
            "form": form,
            "address": address,
            "has_person": selectors.has_seat_person(user=request.user),
        },
    )

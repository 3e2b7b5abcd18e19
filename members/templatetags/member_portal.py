"""``{% offline_client %}``: the configuration and texts of the offline
client (``static/members/offline.js``) for the member pages' frame."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from notifications.selectors import unread_count

register = template.Library()


def offline_texts() -> dict[str, str]:
    return {
        "offline": _("You are offline. You see the copy kept on this device."),
        "offlineAsOf": _("You are offline. You see the copy of %(when)s."),
        "keptAsOf": _("Kept for offline reading (as of %(when)s)"),
        "syncedAt": _("Last updated on this device: %(when)s"),
        "notYet": _(
            "Nothing has been kept on this device yet. Open the portal once "
            "with a connection."
        ),
        "nothingKept": _("No upcoming meetings to keep."),
        "meetingLine": _("%(start)s · %(count)s documents · %(size)s MB"),
        "savedAt": _("saved %(when)s"),
        "notSaved": _("not saved yet"),
        "pack": _("Session pack (personal copy)"),
        "partial": _(
            "Some documents could not be saved. They are tried again at the "
            "next update."
        ),
        "failed": _("Saving for offline reading failed. Please try again later."),
        "signedOut": _(
            "Your session has ended: sign in again to update the documents "
            "kept on this device."
        ),
        "cleared": _("The documents kept on this device have been deleted."),
        "unsyncedSignOut": _(
            "%(count)s notes have not been sent yet and will be lost when you "
            "sign out now. Sign out anyway?"
        ),
    }


@register.simple_tag(takes_context=True)
def offline_client(context) -> SafeString:
    user = context["request"].user
    config = {
        "worker": reverse("members_service_worker"),
        "scope": "/mitglieder/",
        "dataUrl": reverse("members_offline_data"),
        "user": user.pk if user.is_authenticated else None,
        "storeModule": static("reader/store.mjs"),
        "csrfUrl": reverse("reader_api_csrf"),
    }
    return json_script(config, "offline-config") + json_script(
        offline_texts(), "offline-texts"
    )


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or ``None``: ``{{ note_counts|lookup:file.pk }}``."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many notifications the signed-in member has not read yet."""
    user = context["request"].user
    return unread_count(user=user) if user.is_authenticated else 0

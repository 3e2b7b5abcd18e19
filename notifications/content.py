"""The words of a notification: title and text as the member reads them.

Written in the installation's language (``LANGUAGE_CODE``, German), like the
Sitzungsdienst's letters, and kept as written: the notification says what
was announced then, even if the meeting changes later. Only the meeting's
own data goes in (name, date, place, the notice's subject, file names);
every recipient may read the meeting's non-public part
(:mod:`notifications.audience`).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sessions.models import Dispatch, Meeting

from .topics import Kind

#: The member portal's page of a meeting (owned by the ``members`` app).
MEETING_URL_NAME = "members_meeting"


@dataclass(frozen=True)
class Content:
    title: str
    text: str
    url: str


def meeting_url(meeting: Meeting) -> str:
    try:
        return reverse(MEETING_URL_NAME, args=[meeting.pk])
    except NoReverseMatch:  # the member portal is not installed
        return ""


def long_date(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l, j. F Y, H:i")


def short_date(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j. F Y")


def _place(meeting: Meeting) -> str:
    return str(meeting.location) if meeting.location_id else _("to be announced")


def _when_and_where(meeting: Meeting) -> str:
    return _("Begins: %(start)s\nPlace: %(place)s") % {
        "start": long_date(meeting.start),
        "place": _place(meeting),
    }


def _notice_text(dispatch: Dispatch, kind: str) -> str:
    meeting = dispatch.meeting
    if kind == Kind.INVITATION:
        return _when_and_where(meeting)
    if kind == Kind.ADDENDUM:
        return _(
            "Items were added to or changed on the agenda of the meeting on "
            "%(start)s. The items marked as addendum are in the member portal."
        ) % {"start": long_date(meeting.start)}
    if kind == Kind.RESCHEDULE:
        return _("The meeting moves.") + "\n" + _when_and_where(meeting)
    reason = meeting.cancellation_reason.strip()
    text = _("The meeting on %(start)s does not take place.") % {
        "start": long_date(meeting.start)
    }
    if reason:
        text += "\n" + _("Reason: %(reason)s") % {"reason": reason}
    return text


def _formal_notice_line(email: str) -> str:
    if email:
        return _(
            "The Sitzungsdienst has sent you the formal notice by e-mail "
            "to %(address)s."
        ) % {"address": email}
    return _(
        "No e-mail address is on record for you: the Sitzungsdienst delivers "
        "the formal notice to you by other means."
    )


def notice_content(dispatch: Dispatch, kind: str, *, delivery_email: str) -> Content:
    """A formal notice (its subject as the title) for one recipient, naming
    where the Sitzungsdienst sent it."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _notice_text(dispatch, kind) + "\n" + _formal_notice_line(delivery_email)
        return Content(dispatch.subject, text, meeting_url(dispatch.meeting))


def minutes_content(meeting: Meeting) -> Content:
    with translation.override(settings.LANGUAGE_CODE):
        return Content(
            _("Minutes published: %(meeting)s") % {"meeting": meeting.name},
            _("The minutes of the meeting on %(date)s are published.")
            % {"date": short_date(meeting.start)},
            meeting_url(meeting),
        )


def files_content(meeting: Meeting, names: list[str]) -> Content:
    with translation.override(settings.LANGUAGE_CODE):
        return Content(
            _("New documents: %(meeting)s") % {"meeting": meeting.name},
            _("New: %(files)s") % {"files": ", ".join(names)},
            meeting_url(meeting),
        )

"""The public part of the minutes (öffentliche Niederschrift).

Which items the public may read is decided by
``publicportal.visibility.public_minutes_items``: only the public items of a
public meeting whose minutes are published. This module only adds what is
shown with them (the public paper, the item's minutes) in a fixed number of
queries, and renders the plain-text form.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from gremien.rules import LOCAL_TIME
from sessions.extracts import plain_text, vote_lines
from sessions.models import AgendaItem, ItemMinutes, Meeting

from . import visibility

#: The parts of an item's minutes shown to the public, in this order.
MINUTES_TEXT_FIELDS = ("discussion", "motions", "statements")


def public_minutes_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items of the public minutes, in agenda order, each with
    ``public_consultation`` (its consultation if the paper is public, else
    ``None``) and ``public_item_minutes`` (its :class:`ItemMinutes` or
    ``None``). Three queries, however many items."""
    return visibility.public_minutes_items(meeting).prefetch_related(
        Prefetch(
            "consultation",
            queryset=visibility.public_consultations().select_related("paper"),
            to_attr="public_consultation",
        ),
        Prefetch(
            "item_minutes",
            queryset=ItemMinutes.objects.prefetch_related("biased"),
            to_attr="public_item_minutes",
        ),
    )


def _header(meeting: Meeting) -> list[str]:
    organizations = visibility.public_organizations().filter(meetings=meeting)
    start = meeting.start.astimezone(LOCAL_TIME)
    return [
        meeting.body.name,
        ", ".join(o.name for o in organizations),
        _("Meeting: %(name)s on %(date)s")
        % {"name": meeting.name, "date": start.strftime("%d.%m.%Y")},
    ]


def _item_lines(item: AgendaItem) -> list[str]:
    lines = [f"{item.number} {item.name}".strip()]
    consultation = item.public_consultation
    if consultation is not None:
        lines.append(
            _("Paper: %(reference)s %(name)s")
            % {
                "reference": consultation.paper.reference,
                "name": consultation.paper.name,
            }
        )
    resolution = plain_text(item.resolution_text)
    if resolution:
        lines += ["", _("Resolution:"), resolution]
    if item.result_wording:
        lines.append(_("Result: %(result)s") % {"result": item.result_wording})
    item_minutes = item.public_item_minutes
    lines += vote_lines(item_minutes)
    if item_minutes is not None:
        for field in MINUTES_TEXT_FIELDS:
            text = plain_text(getattr(item_minutes, field))
            if text:
                lines.append(text)
    return lines


def public_minutes_text(meeting: Meeting) -> str:
    """The public part of the minutes as plain text; empty but for a line
    break when the public may not read them."""
    items = list(public_minutes_items(meeting))
    if not visibility.minutes_published(meeting):
        return "\n"
    lines = _header(meeting)
    for item in items:
        lines += ["", *_item_lines(item)]
    return "\n".join(lines) + "\n"

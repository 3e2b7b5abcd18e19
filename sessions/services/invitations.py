"""Invitations (Ladung) and the notices that follow them.

A notice is one ``Dispatch`` (kind, subject and letter text as sent) with one
``Delivery`` per recipient. The e-mails leave after the commit, through the
``dispatch_send`` task; a recipient without an e-mail address gets a delivery
with status ``no_address`` so staff see whom to reach by letter.

The letter is a form letter: ``Dispatch.text`` keeps it with
``RECIPIENT_PLACEHOLDER`` where the recipient's name goes, and each e-mail
replaces the placeholder with the name of its delivery's person.
"""

import datetime as dt
import re
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.models import Membership
from gremien.rules import LOCAL_TIME, get_code

from .. import hooks
from ..models import AgendaItem, Delivery, Dispatch, Meeting
from ..recipients import (
    RECIPIENT_PLACEHOLDER,
    email_address,
    invitation_recipients,
    meeting_day,
)
from ..tasks import dispatch_send
from ..transitions import check_transition, move_to
from .lifecycle import lock_meeting, require_meeting_permission

#: Template tags a body's own letter may use: no loading of tag libraries, no
#: including of files, no dumping of the context (``debug``).
_SANDBOX_TAGS = {
    "autoescape",
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "now",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
}


@cache
def _sandbox_engine() -> Engine:
    """A template engine for texts typed in by staff.

    No loaders, no tag libraries beyond the harmless built-in tags and filters,
    autoescaping off (the output is plain text). The context holds only
    strings and lists of plain dicts, never model instances, so a template
    cannot reach methods or private data; Django already refuses names that
    start with an underscore.
    """
    engine = Engine(loaders=[], libraries={}, builtins=[], autoescape=False)
    library = Library()
    library.tags = {
        name: tag
        for name, tag in defaulttags.register.tags.items()
        if name in _SANDBOX_TAGS
    }
    library.filters = dict(defaultfilters.register.filters)
    engine.template_builtins = [library]
    return engine


def render_letter_template(source: str, context: dict) -> str:
    """Render a body's own letter template; refuse one that does not compile."""
    try:
        template = _sandbox_engine().from_string(source)
        return template.render(Context(context, autoescape=False))
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _(
                "The body's invitation letter cannot be used: %(error)s. Correct "
                "the letter text in the body's settings or empty it to use the "
                "standard text."
            )
            % {"error": exc},
            code="invitation_template_invalid",
        ) from exc


# --- Letter context -----------------------------------------------------------


def _long_date(moment: dt.datetime) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(moment.astimezone(LOCAL_TIME), "l, j. F Y, H:i")


def _short_date(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%d.%m.%Y")


def _item_dict(item: AgendaItem, depth: int) -> dict:
    return {
        "number": item.number,
        "name": item.name,
        "public": item.public,
        "indent": "    " * depth,
    }


def agenda_lines(meeting: Meeting) -> tuple[list[dict], list[dict]]:
    """Public and non-public agenda items in order, as plain dicts.

    The letter goes to members only, so non-public items are listed too.
    """
    items = list(meeting.agenda_items.alive().order_by("order"))
    depth: dict[int, int] = {}
    public, nonpublic = [], []
    for item in items:
        depth[item.pk] = depth.get(item.parent_id, -1) + 1 if item.parent_id else 0
        (public if item.public else nonpublic).append(_item_dict(item, depth[item.pk]))
    return public, nonpublic


def _signatory(meeting: Meeting, actor) -> str:
    """The chair of the (first) organization, else the acting staff member."""
    day = meeting_day(meeting)
    for membership in (
        Membership.objects.alive()
        .filter(organization__in=meeting.organizations.all(), role__istartswith="vors")
        .select_related("person")
        .order_by("organization__name", "pk")
    ):
        if membership.is_active_on(day):
            return f"{membership.person.name}\n{membership.role}"
    if actor is not None and actor.get_full_name():
        return actor.get_full_name()
    return meeting.body.name


def letter_context(meeting: Meeting, *, actor, **extra) -> dict:
    """Everything a letter may print, as plain strings and dicts."""
    public, nonpublic = agenda_lines(meeting)
    context = {
        "recipient": RECIPIENT_PLACEHOLDER,
        "meeting": meeting.name,
        "organization": ", ".join(o.name for o in meeting.organizations.all()),
        "body": meeting.body.name,
        "start": _long_date(meeting.start),
        "start_short": _short_date(meeting.start),
        "location": str(meeting.location) if meeting.location_id else "",
        "signatory": _signatory(meeting, actor),
        "urgent_reason": meeting.urgent_reason,
        "public_items": public,
        "nonpublic_items": nonpublic,
    }
    context.update(extra)
    context["agenda"] = render_to_string("sessions/mail/_agenda.txt", context)
    return context


def _render(name: str, context: dict) -> str:
    text = render_to_string(f"sessions/mail/{name}.txt", context)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def invitation_text(meeting: Meeting, context: dict) -> str:
    """The invitation letter: the body's own text, else the standard one.

    A body's own text that leaves out the agenda or the reason for urgency gets
    them appended: an invitation without them would not be a proper one.
    """
    source = meeting.body.invitation_template.strip()
    if not source:
        return _render("invitation", context)
    text = render_letter_template(source, context).strip()
    if context["urgent_reason"] and context["urgent_reason"] not in text:
        text += "\n\n" + _("Reason for urgency: %(reason)s") % {
            "reason": context["urgent_reason"]
        }
    if context["agenda"].strip() and context["agenda"].strip() not in text:
        text += "\n\n" + context["agenda"].strip()
    return text


# --- Invitation deadline (Ladungsfrist) ---------------------------------------


def invitation_period_days(meeting: Meeting) -> int:
    """Days of notice for ``meeting``: the longest of its organizations' own
    periods, else the body's, else the municipal code's."""
    own = [
        o.invitation_period_days
        for o in meeting.organizations.all()
        if o.invitation_period_days is not None
    ]
    return get_code(meeting.body.municipal_code).effective_invitation_period_days(
        organization_days=max(own) if own else None,
        body_days=meeting.body.invitation_period_days,
    )


def invitation_deadline(meeting: Meeting) -> dt.datetime:
    """The last moment an invitation to ``meeting`` may go out."""
    return get_code(meeting.body.municipal_code).invitation_deadline(
        meeting_start=meeting.start, period_days=invitation_period_days(meeting)
    )


def check_invitation_deadline(
    meeting: Meeting, *, sent: dt.datetime, urgent_reason: str
) -> None:
    """Refuse an invitation after the deadline unless a reason for urgency is given.

    Even an urgent invitation must arrive on the day before the meeting at the
    latest (the floor § 58 Abs. 1 S. 3 HGO sets; applied to every code).
    """
    code = get_code(meeting.body.municipal_code)
    period = invitation_period_days(meeting)
    if code.invitation_in_time(
        sent=sent, meeting_start=meeting.start, period_days=period
    ):
        return
    if not urgent_reason:
        latest = code.invitation_deadline(
            meeting_start=meeting.start, period_days=period
        )
        raise ValidationError(
            _(
                "The invitation is too late: with %(days)s days' notice "
                "(%(basis)s) it had to be sent by %(latest)s. If the matter is "
                "urgent, give the reason for the urgency; it is recorded and "
                "printed on the invitation."
            )
            % {
                "days": period,
                "basis": code.invitation_basis,
                "latest": latest.strftime("%d.%m.%Y"),
            },
            code="invitation_too_late",
        )
    if not code.invitation_in_time(
        sent=sent, meeting_start=meeting.start, period_days=0
    ):
        raise ValidationError(
            _(
                "Even an urgent invitation must reach the members on the day "
                "before the meeting at the latest. Reschedule the meeting."
            ),
            code="invitation_too_late_urgent",
        )


# --- Dispatches ---------------------------------------------------------------


def _recipients_or_refuse(meeting: Meeting):
    recipients = invitation_recipients(meeting)
    if not recipients:
        raise ValidationError(
            _(
                "Nobody would receive this notice: the meeting's organizations "
                "have no members or deputies on the day of the meeting. Add the "
                "memberships to the committee first, then send it."
            ),
            code="no_recipients",
        )
    return recipients


def create_dispatch(
    meeting: Meeting,
    *,
    actor,
    kind: str,
    template: str,
    context: dict,
    text: str | None = None,
    urgent_reason: str = "",
) -> Dispatch:
    """Record a notice with one delivery per recipient; send it after commit
    and tell the subscribers of :mod:`sessions.hooks` (``NOTICE_SENT``)."""
    recipients = _recipients_or_refuse(meeting)
    dispatch = Dispatch.objects.create(
        meeting=meeting,
        kind=kind,
        sent_by=actor,
        sequence=meeting.sequence,
        urgent_reason=urgent_reason,
        subject=_render(f"{template}_subject", context),
        text=text if text is not None else _render(template, context),
    )
    Delivery.objects.bulk_create(
        Delivery(
            dispatch=dispatch,
            person=person,
            email=email_address(person),
            status=(
                Delivery.Status.QUEUED
                if email_address(person)
                else Delivery.Status.NO_ADDRESS
            ),
        )
        for person, _membership in recipients
    )
    log(
        instance=meeting,
        action="wagtail.edit",
        user=actor,
        data={"dispatch": dispatch.pk, "kind": kind, "sequence": dispatch.sequence},
    )
    transaction.on_commit(lambda: dispatch_send.enqueue(dispatch.pk))
    hooks.emit(hooks.MeetingEvent(hooks.NOTICE_SENT, meeting.pk, dispatch.pk))
    return dispatch


def _require_agenda(meeting: Meeting) -> None:
    if not meeting.agenda_items.alive().exists():
        raise ValidationError(
            _(
                "The meeting has no agenda yet. Add the agenda items first; an "
                "invitation must state the agenda."
            ),
            code="agenda_empty",
        )


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting, urgent_reason: str = "") -> Dispatch:
    """Send the invitation: planned → invited.

    Who: staff of the meeting's body with ``meetings.change_meeting``;
    ``actor=None`` only for system jobs. Locks the meeting row. Refuses a
    meeting without agenda (``agenda_empty``) or recipients
    (``no_recipients``), and one after the invitation deadline
    (``invitation_too_late``) unless ``urgent_reason`` is given, which is
    stored on the meeting and the dispatch and printed in the letter.
    Emits an audit-log entry and, on commit, the e-mails with ``einladung.ics``
    (METHOD:REQUEST).
    """
    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    check_transition(meeting, Meeting.State.INVITED)
    urgent_reason = urgent_reason.strip()
    now = timezone.now()
    if meeting.start <= now:
        raise ValidationError(
            _("The meeting has already begun; it cannot be invited to any more."),
            code="meeting_in_past",
        )
    _require_agenda(meeting)
    _recipients_or_refuse(meeting)
    check_invitation_deadline(meeting, sent=now, urgent_reason=urgent_reason)
    in_time = get_code(meeting.body.municipal_code).invitation_in_time(
        sent=now,
        meeting_start=meeting.start,
        period_days=invitation_period_days(meeting),
    )
    meeting.urgent_reason = "" if in_time else urgent_reason
    context = letter_context(meeting, actor=actor)
    dispatch = create_dispatch(
        meeting,
        actor=actor,
        kind=Dispatch.Kind.INVITATION,
        template="invitation",
        context=context,
        text=invitation_text(meeting, context),
        urgent_reason=meeting.urgent_reason,
    )
    move_to(meeting, Meeting.State.INVITED)
    meeting.invitation_sent_at = now
    meeting.save(update_fields=["state", "urgent_reason", "invitation_sent_at"])
    log(
        instance=meeting,
        action="wagtail.edit",
        user=actor,
        data={"state": meeting.state, "urgent_reason": meeting.urgent_reason},
    )
    return dispatch


def pending_addendum_items(meeting: Meeting):
    """Agenda items marked as addendum and added or changed since the last notice."""
    since = (
        meeting.dispatches.order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    items = meeting.agenda_items.alive().filter(addendum=True).order_by("order")
    if since is None:
        return items
    return items.filter(
        Q(addendum_at__gt=since) | Q(addendum_at__isnull=True, modified__gt=since)
    )


@transaction.atomic
def meeting_send_addendum(*, actor, meeting: Meeting) -> Dispatch:
    """Send the agenda items added or changed since the last notice (Nachtrag).

    Who: as :func:`meeting_invite`. Only for an invited meeting (``not_invited``);
    refuses when no addendum item is new (``nothing_to_send``). Locks the
    meeting row. Emits an audit-log entry and, on commit, the e-mails (no
    calendar attachment: date and place are unchanged).
    """
    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    if meeting.state != Meeting.State.INVITED:
        raise ValidationError(
            _(
                "An addendum can only be sent for a meeting whose invitation has "
                "gone out and which has not begun; before the invitation, new "
                "items are simply part of it."
            ),
            code="not_invited",
        )
    items = list(pending_addendum_items(meeting))
    if not items:
        raise ValidationError(
            _(
                "There is nothing to send: no agenda item marked as addendum was "
                "added or changed since the last notice."
            ),
            code="nothing_to_send",
        )
    context = letter_context(
        meeting,
        actor=actor,
        addendum_items=[_item_dict(item, 0) for item in items],
    )
    return create_dispatch(
        meeting,
        actor=actor,
        kind=Dispatch.Kind.ADDENDUM,
        template="addendum",
        context=context,
    )


def notify_reschedule(
    meeting: Meeting,
    *,
    actor,
    old_start: dt.datetime,
    old_location: str,
    reason: str,
) -> Dispatch:
    """Notice of a new date or place (METHOD:REQUEST, the meeting's new SEQUENCE)."""
    context = letter_context(
        meeting,
        actor=actor,
        old_start=_long_date(old_start),
        old_location=old_location,
        reason=reason,
    )
    return create_dispatch(
        meeting,
        actor=actor,
        kind=Dispatch.Kind.RESCHEDULE,
        template="reschedule",
        context=context,
        urgent_reason=meeting.urgent_reason,
    )


def notify_cancellation(meeting: Meeting, *, actor, reason: str) -> Dispatch:
    """Notice that the meeting is called off (METHOD:CANCEL)."""
    context = letter_context(meeting, actor=actor, reason=reason)
    return create_dispatch(
        meeting,
        actor=actor,
        kind=Dispatch.Kind.CANCELLATION,
        template="cancellation",
        context=context,
    )

"""The life of a meeting: create, reschedule, cancel, start, end.

planned → invited → running → held → minutes drafted → minutes signed →
published; a meeting may be rescheduled or cancelled before it runs. Every
state change goes through ``sessions.transitions``; the invitation itself is in
``sessions.services.invitations``, the minutes states in the minutes services.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.access import require_body_access
from gremien.models import Body, Location, Organization

from ..models import Meeting
from ..slugs import meeting_assign_slug
from ..transitions import BEFORE_RUNNING, check_transition, move_to

PERMISSION = "meetings.change_meeting"

#: A meeting may be opened this long before its announced start (members
#: gather early; the chair opens when the quorum is there). No limit after.
START_WINDOW = dt.timedelta(hours=1)


def require_meeting_permission(actor, meeting: Meeting) -> None:
    """Staff of the meeting's body with ``meetings.change_meeting``; ``None`` is
    a system job."""
    if actor is not None:
        require_body_access(actor, meeting.body, PERMISSION)


def lock_meeting(meeting: Meeting) -> None:
    """Lock the meeting row and reload ``meeting`` from it (in a transaction)."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").first()
    meeting.refresh_from_db()


def _log_state(meeting: Meeting, actor, **data) -> None:
    log(
        instance=meeting,
        action="wagtail.edit",
        user=actor,
        data={"state": meeting.state, **data},
    )


def _validate_place_and_time(
    *, body: Body, start: dt.datetime, end: dt.datetime | None, location
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if end is not None and end <= start:
        errors["end"] = [
            ValidationError(
                _("The end must be after the start."), code="end_before_start"
            )
        ]
    if location is not None and location.body_id != body.pk:
        errors["location"] = [
            ValidationError(
                _("The location belongs to another body."),
                code="location_other_body",
            )
        ]
    if errors:
        raise ValidationError(errors)


def _validate_organizations(*, body: Body, organizations: list[Organization]):
    if not organizations:
        return ValidationError(
            _("Choose the committee (or committees) that meet."),
            code="organizations_required",
        )
    for organization in organizations:
        if organization.body_id != body.pk:
            return ValidationError(
                _("%(name)s belongs to another body.") % {"name": organization},
                code="organization_other_body",
            )
        if not organization.holds_meetings:
            return ValidationError(
                _(
                    "%(name)s does not hold meetings with agendas; choose a "
                    "council, committee, advisory board or fraction."
                )
                % {"name": organization},
                code="organization_not_deliberative",
            )
    return None


@transaction.atomic
def meeting_create(
    *,
    actor,
    body: Body,
    organizations: list[Organization],
    name: str,
    start: dt.datetime,
    end: dt.datetime | None = None,
    location: Location | None = None,
    public: bool = True,
) -> Meeting:
    """Plan a meeting of one organization or a joint meeting of several.

    Who: staff of ``body`` with ``meetings.add_meeting``; ``actor=None`` for
    system jobs (import, seed). The organizations must belong to ``body`` and
    hold meetings (council, committees, advisory boards, fractions). A
    fraction's meeting is never public: it is created non-public whatever
    ``public`` says. Emits an audit-log entry ``wagtail.create``.
    """
    if actor is not None:
        require_body_access(actor, body, "meetings.add_meeting")
    organizations = list(organizations)
    problem = _validate_organizations(body=body, organizations=organizations)
    if problem is not None:
        raise ValidationError({"organizations": [problem]})
    _validate_place_and_time(body=body, start=start, end=end, location=location)
    meeting = Meeting(
        body=body,
        name=name,
        start=start,
        end=end,
        location=location,
        public=public and not any(o.kind == o.Kind.FRACTION for o in organizations),
    )
    meeting.full_clean()
    meeting.save()
    meeting.organizations.set(organizations)
    meeting_assign_slug(meeting, organizations[0].name)
    log(instance=meeting, action="wagtail.create", user=actor)
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    actor,
    meeting: Meeting,
    start: dt.datetime,
    end: dt.datetime | None = None,
    location: Location | None = None,
    reason: str = "",
    urgent_reason: str = "",
) -> Meeting:
    """Move a planned or invited meeting to a new date and/or place.

    Who: staff with ``meetings.change_meeting`` on the body. Locks the meeting.
    ``end=None`` keeps the meeting's length; ``location=None`` keeps the place.
    Raises the calendar SEQUENCE. If the invitation has gone out, the new date
    must keep the invitation deadline like an invitation (or give
    ``urgent_reason``), and a notice with METHOD:REQUEST and the new SEQUENCE
    (same UID) goes to every recipient on commit. Emits an audit-log entry.
    """
    from .invitations import check_invitation_deadline, notify_reschedule

    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    if meeting.state not in BEFORE_RUNNING:
        raise ValidationError(
            _(
                "The meeting is “%(state)s”: only a meeting that has not begun "
                "can be rescheduled."
            )
            % {"state": meeting.get_state_display()},
            code="illegal_transition",
        )
    if end is None and meeting.end is not None:
        end = start + (meeting.end - meeting.start)
    new_location = location if location is not None else meeting.location
    _validate_place_and_time(
        body=meeting.body, start=start, end=end, location=new_location
    )
    if start <= timezone.now():
        raise ValidationError(
            {
                "start": [
                    ValidationError(
                        _("The new start lies in the past."), code="start_in_past"
                    )
                ]
            }
        )
    if (start, end, new_location) == (meeting.start, meeting.end, meeting.location):
        raise ValidationError(
            _("Date and place are unchanged; there is nothing to reschedule."),
            code="unchanged",
        )
    old_start = meeting.start
    old_location = str(meeting.location) if meeting.location_id else ""
    meeting.start, meeting.end, meeting.location = start, end, new_location
    invited = meeting.state == Meeting.State.INVITED
    if invited:
        urgent_reason = urgent_reason.strip()
        check_invitation_deadline(
            meeting, sent=timezone.now(), urgent_reason=urgent_reason
        )
        if urgent_reason:
            meeting.urgent_reason = urgent_reason
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    if invited:
        notify_reschedule(
            meeting,
            actor=actor,
            old_start=old_start,
            old_location=old_location,
            reason=reason.strip(),
        )
    _log_state(
        meeting,
        actor,
        rescheduled_from=old_start.isoformat(),
        start=start.isoformat(),
        sequence=meeting.sequence,
        reason=reason,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Call off a planned or invited meeting: → cancelled.

    Who: staff with ``meetings.change_meeting`` on the body. Locks the meeting.
    ``reason`` is required and kept. If the invitation has gone out, raises the
    SEQUENCE and sends a notice with METHOD:CANCEL on commit. Emits an
    audit-log entry.
    """
    from .invitations import notify_cancellation

    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    check_transition(meeting, Meeting.State.CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "cancellation_reason": [
                    ValidationError(
                        _("Give the reason for the cancellation."),
                        code="reason_required",
                    )
                ]
            }
        )
    invited = meeting.state == Meeting.State.INVITED
    move_to(meeting, Meeting.State.CANCELLED)
    meeting.cancellation_reason = reason
    if invited:
        meeting.sequence += 1
    meeting.save(update_fields=["state", "cancellation_reason", "sequence"])
    if invited:
        notify_cancellation(meeting, actor=actor, reason=reason)
    _log_state(meeting, actor, reason=reason)
    return meeting


@transaction.atomic
def meeting_start(*, actor, meeting: Meeting) -> Meeting:
    """Open the meeting: invited → running.

    Who: staff with ``meetings.change_meeting`` on the body. Locks the meeting.
    Allowed from ``START_WINDOW`` (one hour) before the announced start on;
    earlier is refused (``too_early``): a meeting cannot be held before the
    time the members were invited to. Emits an audit-log entry.
    """
    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    check_transition(meeting, Meeting.State.RUNNING)
    if timezone.now() < meeting.start - START_WINDOW:
        raise ValidationError(
            _(
                "The meeting was called for %(start)s; it can be opened at most "
                "one hour before. Reschedule it if it is to take place earlier."
            )
            % {"start": timezone.localtime(meeting.start).strftime("%d.%m.%Y %H:%M")},
            code="too_early",
        )
    move_to(meeting, Meeting.State.RUNNING)
    meeting.save(update_fields=["state"])
    _log_state(meeting, actor)
    return meeting


@transaction.atomic
def meeting_end(*, actor, meeting: Meeting) -> Meeting:
    """Close the meeting: running → held.

    Who: staff with ``meetings.change_meeting`` on the body. Locks the meeting.
    Emits an audit-log entry.
    """
    require_meeting_permission(actor, meeting)
    lock_meeting(meeting)
    move_to(meeting, Meeting.State.HELD)
    meeting.save(update_fields=["state"])
    _log_state(meeting, actor)
    return meeting

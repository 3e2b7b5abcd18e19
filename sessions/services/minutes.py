"""Minutes (Niederschrift): attendance, minutes per agenda item, signatures,
corrections and publication.

Who may call: staff of the meeting's body with ``meetings.change_meeting``
(``gremien.access.require_body_access``). Signing needs the same; the signature
records the acting user and the time. ``actor=None`` (system jobs such as an
import) is accepted where no user has to be recorded, i.e. not for signatures
and corrections.

Locking: once either signature is on the minutes, nothing in them changes
except through ``minutes_correct``, which records a ``MinutesCorrection`` with
the reason and the old and new value. State changes lock the meeting row.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.access import require_body_access
from gremien.models import Membership, Person
from gremien.rules import LOCAL_TIME, MajorityResult, get_code

from .. import hooks
from ..models import (
    AgendaItem,
    Attendance,
    ItemMinutes,
    Meeting,
    Minutes,
    MinutesCorrection,
)
from ..transitions import move_to

State = Meeting.State
PERMISSION = "meetings.change_meeting"

#: A meeting without an end is assumed to last this long (attendance overlap).
ASSUMED_DURATION = dt.timedelta(hours=4)

#: States in which minutes may be opened.
OPENABLE_STATES = {State.RUNNING, State.HELD}
#: States in which attendance may be recorded (before signatures).
ATTENDANCE_STATES = {State.INVITED, State.RUNNING, State.HELD, State.MINUTES_DRAFTED}
#: States in which the minutes of an item may be written (before signatures).
ITEM_MINUTES_STATES = {State.RUNNING, State.HELD, State.MINUTES_DRAFTED}

ROLES = ("chair", "clerk")
VOTES = ("yes", "no", "abstain")

#: Fields ``minutes_correct`` may change, by the model they live on.
ITEM_TEXT_FIELDS = ("discussion", "motions", "statements")
ITEM_COUNT_FIELDS = ("votes_yes", "votes_no", "votes_abstain")
ITEM_CORRECTABLE = (*ITEM_TEXT_FIELDS, *ITEM_COUNT_FIELDS, "unanimous")
AGENDA_ITEM_CORRECTABLE = ("resolution_text",)
MINUTES_CORRECTABLE = ("remarks",)

# --- checks shared by the services -------------------------------------------


def _field_error(
    field: str, message: str, *, code: str, params: dict | None = None
) -> ValidationError:
    """A refusal attached to ``field`` that still carries its ``code``."""
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def _require_access(actor, meeting: Meeting) -> None:
    if actor is not None:
        require_body_access(actor, meeting.body, PERMISSION)


def _require_user(actor, what: str) -> None:
    if actor is None:
        raise ValidationError(
            _("%(what)s needs a signed-in user to be recorded."),
            code="user_required",
            params={"what": what},
        )


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting row and bring the caller's instance up to date."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.state = locked.state
    return locked


def _minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def _any_signature(minutes: Minutes | None) -> bool:
    return minutes is not None and (
        minutes.chair_signed_at is not None or minutes.clerk_signed_at is not None
    )


def refuse_if_signed(meeting: Meeting) -> None:
    """Signed (even by one signatory) means: only a correction may change it."""
    if _any_signature(_minutes_of(meeting)):
        raise ValidationError(
            _(
                "The minutes have been signed and can no longer be edited. "
                "Record a correction with its reason instead."
            ),
            code="minutes_signed",
        )


def _require_state(meeting: Meeting, allowed: set[str], code: str) -> None:
    if meeting.state not in allowed:
        raise ValidationError(
            _(
                "This is not possible while the meeting is “%(state)s”. "
                "Possible in: %(allowed)s."
            ),
            code=code,
            params={
                "state": State(meeting.state).label,
                "allowed": ", ".join(str(State(s).label) for s in sorted(allowed)),
            },
        )


def _require_same_body(meeting: Meeting, person: Person | None, field: str) -> None:
    if person is not None and person.body_id != meeting.body_id:
        raise _field_error(
            field,
            _("The person belongs to another body than the meeting."),
            code="foreign_person",
        )


def _meeting_day(meeting: Meeting) -> dt.date:
    return meeting.start.astimezone(LOCAL_TIME).date()


def _meeting_end(meeting: Meeting) -> dt.datetime:
    return meeting.end or meeting.start + ASSUMED_DURATION


# --- minutes ------------------------------------------------------------------


@transaction.atomic
def minutes_open(
    *,
    actor,
    meeting: Meeting,
    chair: Person | None = None,
    clerk: Person | None = None,
) -> Minutes:
    """Start the minutes of a running or held meeting; idempotent.

    Who: staff of the body with ``meetings.change_meeting``. Calling it again
    returns the existing minutes and sets ``chair``/``clerk`` where given, as
    long as nobody has signed. Emits an audit-log entry.
    """
    _require_access(actor, meeting)
    _require_same_body(meeting, chair, "chair")
    _require_same_body(meeting, clerk, "clerk")
    meeting = _lock_meeting(meeting)
    minutes = _minutes_of(meeting)
    if minutes is None:
        _require_state(meeting, OPENABLE_STATES, "meeting_not_held")
        minutes = Minutes.objects.create(
            meeting=meeting, chair=chair, clerk=clerk, opened_at=timezone.now()
        )
        log(instance=minutes, action="wagtail.create", user=actor)
        return minutes
    if chair is None and clerk is None:
        return minutes
    refuse_if_signed(meeting)
    minutes.chair = chair or minutes.chair
    minutes.clerk = clerk or minutes.clerk
    minutes.save(update_fields=["chair", "clerk", "modified"])
    log(instance=minutes, action="wagtail.edit", user=actor)
    return minutes


# --- attendance ---------------------------------------------------------------


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise _field_error(
            field,
            _("“%(value)s” is not a valid choice."),
            code="invalid_choice",
            params={"value": value},
        )


def _check_item_of(meeting: Meeting, item: AgendaItem | None, field: str) -> None:
    if item is not None and (item.meeting_id != meeting.pk or item.deleted):
        raise _field_error(
            field, _("The agenda item belongs to another meeting."), code="foreign_item"
        )


def _check_arrival_departure(
    *,
    arrived_before: AgendaItem | None,
    left_after: AgendaItem | None,
    arrived_at: dt.datetime | None,
    left_at: dt.datetime | None,
) -> None:
    by_item = arrived_before and left_after and left_after.order < arrived_before.order
    by_time = arrived_at and left_at and left_at < arrived_at
    if by_item or by_time:
        raise ValidationError(
            _(
                "The departure lies before the arrival. Check the items or times "
                "of arrival and departure."
            ),
            code="departure_before_arrival",
        )


def _overlapping_attendance(meeting: Meeting, person: Person) -> Attendance | None:
    """The person's presence at another meeting whose time overlaps this one."""
    start, end = meeting.start, _meeting_end(meeting)
    other_ends_after_start = Q(meeting__end__gt=start) | Q(
        meeting__end__isnull=True, meeting__start__gt=start - ASSUMED_DURATION
    )
    return (
        Attendance.objects.filter(person=person, status=Attendance.Status.PRESENT)
        .exclude(meeting=meeting)
        .exclude(meeting__state=State.CANCELLED)
        .filter(meeting__deleted_at__isnull=True, meeting__start__lt=end)
        .filter(other_ends_after_start)
        .select_related("meeting")
        .first()
    )


def _check_overlap(meeting: Meeting, person: Person) -> None:
    other = _overlapping_attendance(meeting, person)
    if other is not None:
        raise ValidationError(
            _(
                "%(person)s is already recorded as present at “%(other)s”, which "
                "takes place at the same time. Correct the attendance of that "
                "meeting first, or record this person as excused or absent here."
            ),
            code="attendance_overlap",
            params={"person": person.name, "other": str(other.meeting)},
        )


def _check_membership(meeting: Meeting, person: Person, membership) -> None:
    if membership is None:
        return
    organizations = meeting.organizations.values_list("pk", flat=True)
    if membership.person_id != person.pk or membership.organization_id not in set(
        organizations
    ):
        raise _field_error(
            "membership",
            _(
                "The membership is not this person's seat in an organization "
                "of the meeting."
            ),
            code="foreign_membership",
        )


@transaction.atomic
def attendance_record(
    *,
    actor,
    meeting: Meeting,
    person: Person,
    status: str,
    capacity: str = Attendance.Capacity.MEMBER,
    membership: Membership | None = None,
    substitute_for: Person | None = None,
    arrived_before: AgendaItem | None = None,
    left_after: AgendaItem | None = None,
    arrived_at: dt.datetime | None = None,
    left_at: dt.datetime | None = None,
) -> Attendance:
    """Record (create or replace) one person's attendance at ``meeting``.

    Who: staff of the body with ``meetings.change_meeting``. The row is
    replaced as a whole with the given values. ``arrived_before``: present from
    this item on; ``left_after``: present up to and including this item.
    Refuses a person recorded present at another meeting at the same time
    (``attendance_overlap``; a meeting without an end is taken to last four
    hours), items of another meeting, departure before arrival, and any change
    once the minutes are signed. Emits an audit-log entry.
    """
    _require_access(actor, meeting)
    _check_choice(status, Attendance.Status, "status")
    _check_choice(capacity, Attendance.Capacity, "capacity")
    _require_same_body(meeting, person, "person")
    _require_same_body(meeting, substitute_for, "substitute_for")
    _check_membership(meeting, person, membership)
    _check_item_of(meeting, arrived_before, "arrived_before")
    _check_item_of(meeting, left_after, "left_after")
    _check_arrival_departure(
        arrived_before=arrived_before,
        left_after=left_after,
        arrived_at=arrived_at,
        left_at=left_at,
    )
    meeting = _lock_meeting(meeting)
    refuse_if_signed(meeting)
    _require_state(meeting, ATTENDANCE_STATES, "meeting_not_running")
    if status == Attendance.Status.PRESENT:
        _check_overlap(meeting, person)
    attendance, created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "status": status,
            "capacity": capacity,
            "membership": membership,
            "substitute_for": substitute_for,
            "arrived_before": arrived_before,
            "left_after": left_after,
            "arrived_at": arrived_at,
            "left_at": left_at,
        },
    )
    log(
        instance=attendance,
        action="wagtail.create" if created else "wagtail.edit",
        user=actor,
        data={"status": status, "capacity": capacity},
    )
    return attendance


#: Seats that are expected at every meeting. Deputies are not: they appear
#: on the list only when they stand in (``attendance_record`` with
#: ``substitute_for``), never as "absent".
PREFILL_CAPACITY = {
    Membership.Kind.MEMBER: Attendance.Capacity.MEMBER,
    Membership.Kind.CITIZEN_MEMBER: Attendance.Capacity.MEMBER,
    Membership.Kind.ADVISORY: Attendance.Capacity.MEMBER,
}


def _seats_on(meeting: Meeting) -> list[Membership]:
    """Active seats of the meeting's organizations that are expected there."""
    day = _meeting_day(meeting)
    seats = (
        Membership.objects.alive()
        .filter(organization__in=meeting.organizations.all(), kind__in=PREFILL_CAPACITY)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person")
        .order_by("pk")
    )
    return list(seats)


@transaction.atomic
def attendance_prefill(*, actor, meeting: Meeting) -> list[Attendance]:
    """Put every member of the meeting's organizations on the list.

    Who: staff of the body with ``meetings.change_meeting``. Seats active on
    the meeting day (Europe/Berlin) get a row with status absent, so the clerk
    only ticks who is present; persons already on the list are left alone, so
    calling it again adds only new seats. A person with several seats gets one
    row. Deputies are added when they stand in. Returns the rows created.
    """
    _require_access(actor, meeting)
    meeting = _lock_meeting(meeting)
    refuse_if_signed(meeting)
    _require_state(meeting, ATTENDANCE_STATES, "meeting_not_running")
    listed = set(meeting.attendances.values_list("person_id", flat=True))
    created = []
    for seat in _seats_on(meeting):
        if seat.person_id in listed or seat.person.deleted:
            continue
        listed.add(seat.person_id)
        created.append(
            Attendance(
                meeting=meeting,
                person=seat.person,
                membership=seat,
                status=Attendance.Status.ABSENT,
                capacity=PREFILL_CAPACITY[seat.kind],
            )
        )
    Attendance.objects.bulk_create(created)
    if created:
        log(
            instance=meeting,
            action="wagtail.edit",
            user=actor,
            data={"attendance_prefilled": len(created)},
        )
    return created


def present_at_item(agenda_item: AgendaItem) -> dict[int, Person]:
    """Persons present while ``agenda_item`` was dealt with, by id.

    Present at the meeting and, where recorded, arrived before or at this item
    and not left before it (by the items' order).
    """
    rows = attendance_at_item(agenda_item).select_related("person")
    return {row.person_id: row.person for row in rows}


def is_present_at_item(agenda_item: AgendaItem, person_id: int) -> bool:
    """Whether one person was present at ``agenda_item`` (one small query,
    for checks per person such as a ballot)."""
    return attendance_at_item(agenda_item).filter(person_id=person_id).exists()


def attendance_at_item(agenda_item: AgendaItem):
    """The attendance rows of the persons present at ``agenda_item`` (the rule
    of :func:`present_at_item` as a queryset, for subqueries)."""
    order = agenda_item.order
    return Attendance.objects.filter(
        Q(arrived_before__isnull=True) | Q(arrived_before__order__lte=order),
        Q(left_after__isnull=True) | Q(left_after__order__gte=order),
        meeting_id=agenda_item.meeting_id,
        status=Attendance.Status.PRESENT,
    )


# --- minutes of an agenda item ------------------------------------------------


def _check_counts(**counts: int | None) -> None:
    for field, value in counts.items():
        if value is not None and value < 0:
            raise _field_error(
                field, _("A number of votes cannot be negative."), code="negative_count"
            )


def _check_unanimous(unanimous: bool, votes_no: int | None) -> None:
    if unanimous and votes_no:
        raise ValidationError(
            _(
                "A unanimous vote has no no-votes. Either enter 0 no-votes or "
                "untick “unanimous”."
            ),
            code="unanimous_with_no_votes",
        )


def _person_id(value: Any) -> int:
    return value.pk if isinstance(value, Person) else int(value)


def _normalise_roll_call(
    entries: Iterable[dict], present: dict[int, Person]
) -> list[dict]:
    result, seen = [], set()
    for entry in entries:
        try:
            pid, vote = _person_id(entry["person"]), entry["vote"]
        except (KeyError, TypeError, ValueError):
            raise _field_error(
                "roll_call",
                _('Each named vote needs a "person" and a "vote".'),
                code="roll_call_invalid",
            ) from None
        if vote not in VOTES or pid in seen:
            raise _field_error(
                "roll_call",
                _("Each person votes once, with yes, no or abstain."),
                code="roll_call_invalid",
            )
        if pid not in present:
            raise _field_error(
                "roll_call",
                _(
                    "Only persons present at this item can vote by name. "
                    "Record their attendance first."
                ),
                code="roll_call_not_present",
            )
        seen.add(pid)
        result.append({"person": pid, "name": present[pid].name, "vote": vote})
    return result


def _roll_call_counts(roll_call: list[dict]) -> dict[str, int]:
    return {
        f"votes_{vote}": sum(1 for e in roll_call if e["vote"] == vote)
        for vote in VOTES
    }


def _apply_roll_call(item_minutes: ItemMinutes, roll_call: list[dict]) -> None:
    """Counts follow the roll call; explicit counts must agree with it."""
    if not roll_call:
        return
    for field, count in _roll_call_counts(roll_call).items():
        given = getattr(item_minutes, field)
        if given is not None and given != count:
            raise _field_error(
                field,
                _(
                    "The counts do not match the named votes. Leave the counts "
                    "empty to take them from the roll call."
                ),
                code="roll_call_mismatch",
            )
        setattr(item_minutes, field, count)


def _biased_persons(
    biased: Iterable, present: dict[int, Person], roll_call: list[dict]
) -> list[Person]:
    ids = [_person_id(p) for p in biased]
    if any(pid not in present for pid in ids):
        raise _field_error(
            "biased",
            _(
                "Only persons present at this item can declare bias. Record "
                "their attendance first."
            ),
            code="biased_not_present",
        )
    if set(ids) & {e["person"] for e in roll_call}:
        raise _field_error(
            "biased",
            _(
                "A member who declared bias takes no part in the vote. Remove "
                "them from the roll call."
            ),
            code="biased_in_roll_call",
        )
    return [present[pid] for pid in ids]


def _editable_item(agenda_item: AgendaItem) -> Meeting:
    if agenda_item.deleted:
        raise ValidationError(
            _("The agenda item has been deleted."), code="item_deleted"
        )
    meeting = _lock_meeting(agenda_item.meeting)
    refuse_if_signed(meeting)
    _require_state(meeting, ITEM_MINUTES_STATES, "meeting_not_held")
    return meeting


def _assign(obj, values: dict[str, Any]) -> None:
    for field, value in values.items():
        if value is not None:
            setattr(obj, field, value)


@transaction.atomic
def item_minutes_update(
    *,
    actor,
    agenda_item: AgendaItem,
    discussion: str | None = None,
    motions: str | None = None,
    statements: str | None = None,
    resolution_text: str | None = None,
    votes_yes: int | None = None,
    votes_no: int | None = None,
    votes_abstain: int | None = None,
    unanimous: bool | None = None,
    roll_call: list[dict] | None = None,
    biased: Iterable[Person | int] | None = None,
    done: bool | None = None,
) -> ItemMinutes:
    """Write the minutes of one agenda item; ``None`` leaves a field as it is.

    Who: staff of the body with ``meetings.change_meeting``, while the meeting
    is running, held or its minutes drafted, and nobody has signed
    (``minutes_signed`` otherwise: use ``minutes_correct``). ``roll_call`` is a
    list of ``{"person": Person or id, "vote": "yes"|"no"|"abstain"}`` of
    persons present at the item; the counts follow it. ``biased`` persons must
    be present and must not vote. ``resolution_text`` is written to the agenda
    item. The outcome is computed by :func:`item_vote_outcome`, not stored.
    Locks the meeting row; emits an audit-log entry.
    """
    meeting = agenda_item.meeting
    _require_access(actor, meeting)
    _check_counts(votes_yes=votes_yes, votes_no=votes_no, votes_abstain=votes_abstain)
    _editable_item(agenda_item)
    item_minutes, _created = ItemMinutes.objects.get_or_create(agenda_item=agenda_item)
    _assign(
        item_minutes,
        {
            "discussion": discussion,
            "motions": motions,
            "statements": statements,
            "votes_yes": votes_yes,
            "votes_no": votes_no,
            "votes_abstain": votes_abstain,
            "unanimous": unanimous,
            "done": done,
        },
    )
    present = present_at_item(agenda_item)
    if roll_call is not None:
        item_minutes.roll_call = _normalise_roll_call(roll_call, present)
    _apply_roll_call(item_minutes, item_minutes.roll_call)
    _check_unanimous(item_minutes.unanimous, item_minutes.votes_no)
    biased_ids = list(item_minutes.biased.values_list("pk", flat=True))
    biased_persons = _biased_persons(
        biased_ids if biased is None else biased, present, item_minutes.roll_call
    )
    item_minutes.save()
    if biased is not None:
        item_minutes.biased.set(biased_persons)
    if resolution_text is not None:
        agenda_item.resolution_text = resolution_text
        agenda_item.save(update_fields=["resolution_text", "modified"])
    log(instance=item_minutes, action="wagtail.edit", user=actor)
    return item_minutes


def item_vote_outcome(item_minutes: ItemMinutes) -> MajorityResult | None:
    """The result of the vote under the body's municipal code, or ``None``
    when no vote was recorded. Unanimous without counts is accepted."""
    code = get_code(item_minutes.agenda_item.meeting.body.municipal_code)
    yes, no, abstain = (
        item_minutes.votes_yes,
        item_minutes.votes_no,
        item_minutes.votes_abstain,
    )
    if item_minutes.unanimous and yes is None:
        return MajorityResult(
            accepted=True,
            explanation=_("Accepted unanimously."),
            legal_basis=code.majority_basis,
        )
    if yes is None and no is None:
        return None
    return code.majority(yes=yes or 0, no=no or 0, abstain=abstain or 0)


# --- drafting, signing, publishing --------------------------------------------


def unfinished_items(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items whose minutes the clerk has not marked finished."""
    return list(
        meeting.agenda_items.alive().exclude(item_minutes__done=True).order_by("order")
    )


def _require_minutes(meeting: Meeting) -> Minutes:
    minutes = _minutes_of(meeting)
    if minutes is None:
        raise ValidationError(
            _("The minutes have not been started yet. Open them first."),
            code="no_minutes",
        )
    return minutes


@transaction.atomic
def minutes_mark_drafted(*, actor, meeting: Meeting) -> Meeting:
    """The clerk hands over the draft: held → minutes drafted.

    Who: staff of the body with ``meetings.change_meeting``. The minutes must
    have been opened. Items may still be completed until the first signature.
    Emits an audit-log entry.
    """
    _require_access(actor, meeting)
    locked = _lock_meeting(meeting)
    _require_minutes(locked)
    move_to(locked, State.MINUTES_DRAFTED)
    locked.save(update_fields=["state", "modified"])
    meeting.state = locked.state
    log(instance=locked, action="wagtail.edit", user=actor, data={"state": "drafted"})
    return locked


def _check_signable(meeting: Meeting, minutes: Minutes, role: str, actor) -> None:
    if role not in ROLES:
        raise ValidationError(_("Sign as chair or as clerk."), code="invalid_role")
    _require_state(meeting, {State.MINUTES_DRAFTED}, "not_drafted")
    unfinished = unfinished_items(meeting)
    if unfinished:
        raise ValidationError(
            _(
                "The minutes of these items are not finished: %(items)s. "
                "Finish them before signing."
            ),
            code="minutes_unfinished",
            params={"items": ", ".join(i.number or i.name for i in unfinished)},
        )
    if getattr(minutes, f"{role}_signed_at") is not None:
        raise ValidationError(
            _("The minutes already carry this signature."), code="already_signed"
        )
    other = "clerk" if role == "chair" else "chair"
    if getattr(minutes, f"{other}_signed_by_id") == actor.pk:
        raise ValidationError(
            _(
                "You have already signed as the other signatory. Chair and clerk "
                "sign with their own accounts."
            ),
            code="same_signatory",
        )


@transaction.atomic
def minutes_sign(*, actor, meeting: Meeting, as_role: str) -> Minutes:
    """Sign the drafted minutes as ``"chair"`` or ``"clerk"``.

    Who: a signed-in staff user of the body with ``meetings.change_meeting``
    (kept simple: the chair signs with a staff account of the body). Requires
    the state minutes drafted and every item finished (``minutes_unfinished``
    lists the item numbers); one user cannot give both signatures
    (``same_signatory``). Records user and time; with both signatures the
    meeting becomes minutes signed and the minutes immutable. Locks meeting
    and minutes rows; emits an audit-log entry.
    """
    _require_user(actor, _("Signing"))
    _require_access(actor, meeting)
    locked = _lock_meeting(meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=locked).first()
    if minutes is None:
        minutes = _require_minutes(locked)
    _check_signable(locked, minutes, as_role, actor)
    setattr(minutes, f"{as_role}_signed_by", actor)
    setattr(minutes, f"{as_role}_signed_at", timezone.now())
    minutes.save()
    if minutes.signed:
        move_to(locked, State.MINUTES_SIGNED)
        locked.save(update_fields=["state", "modified"])
        meeting.state = locked.state
    log(instance=minutes, action="wagtail.edit", user=actor, data={"signed": as_role})
    return minutes


def _parse_count(value: Any) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise _field_error(
            "new_value", _("Enter a whole number of at least 0."), code="invalid_value"
        )
    return count


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "ja"}:
        return True
    if text in {"false", "0", "no", "nein"}:
        return False
    raise _field_error("new_value", _("Enter yes or no."), code="invalid_value")


def _correction_target(meeting: Meeting, agenda_item: AgendaItem | None, field: str):
    """The object a correction changes, and the value parsed for its field."""
    if agenda_item is None:
        if field in MINUTES_CORRECTABLE:
            return _require_minutes(meeting), str
    else:
        _check_item_of(meeting, agenda_item, "agenda_item")
        if field in AGENDA_ITEM_CORRECTABLE:
            return agenda_item, str
        if field in ITEM_CORRECTABLE:
            target, _created = ItemMinutes.objects.get_or_create(
                agenda_item=agenda_item
            )
            if field in ITEM_COUNT_FIELDS:
                return target, _parse_count
            return target, _parse_bool if field == "unanimous" else str
    raise _field_error(
        "field",
        _("This part of the minutes cannot be corrected this way."),
        code="field_not_correctable",
    )


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def minutes_correct(
    *,
    actor,
    meeting: Meeting,
    reason: str,
    field: str,
    new_value: Any,
    agenda_item: AgendaItem | None = None,
) -> MinutesCorrection:
    """Correct signed minutes (Berichtigung): the only way to change them.

    Who: a signed-in staff user of the body with ``meetings.change_meeting``.
    Applies to minutes carrying at least one signature; a reason is required.
    ``field`` is one of the item's texts, counts or ``unanimous``, the item's
    ``resolution_text``, or (without ``agenda_item``) the minutes' ``remarks``.
    Records old and new value, applies the change, and emits an audit-log
    entry. Locks the meeting row.
    """
    _require_user(actor, _("A correction"))
    _require_access(actor, meeting)
    if not (reason or "").strip():
        raise _field_error(
            "reason", _("Say why the minutes are corrected."), code="reason_required"
        )
    locked = _lock_meeting(meeting)
    minutes = _minutes_of(locked)
    if not _any_signature(minutes):
        raise ValidationError(
            _(
                "The minutes are not signed yet; edit them directly instead of "
                "recording a correction."
            ),
            code="minutes_not_signed",
        )
    target, parse = _correction_target(locked, agenda_item, field)
    value = parse(new_value)
    old_value = getattr(target, field)
    setattr(target, field, value)
    if isinstance(target, ItemMinutes):
        _check_unanimous(target.unanimous, target.votes_no)
    target.save()
    correction = MinutesCorrection.objects.create(
        minutes=minutes,
        agenda_item=agenda_item,
        field=field,
        old_value=_as_text(old_value),
        new_value=_as_text(value),
        reason=reason.strip(),
        corrected_by=actor,
    )
    log(
        instance=minutes,
        action="wagtail.edit",
        user=actor,
        data={"correction": correction.pk, "field": field},
    )
    return correction


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> Minutes:
    """Publish the signed minutes: minutes signed → published.

    Who: staff of the body with ``meetings.change_meeting``. Sets
    ``published_at``. What the public then sees is decided by
    ``publicportal.visibility.public_minutes_items`` (only public items of a
    public meeting), shown through ``publicportal.minutes``. Locks the meeting
    row; emits an audit-log entry and, on commit, ``MINUTES_PUBLISHED`` to the
    subscribers of :mod:`sessions.hooks` (members' notifications).
    """
    _require_access(actor, meeting)
    locked = _lock_meeting(meeting)
    minutes = _require_minutes(locked)
    move_to(locked, State.PUBLISHED)
    locked.save(update_fields=["state", "modified"])
    meeting.state = locked.state
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["published_at", "modified"])
    log(instance=minutes, action="wagtail.edit", user=actor, data={"published": True})
    hooks.emit(hooks.MeetingEvent(hooks.MINUTES_PUBLISHED, meeting.pk))
    return minutes

"""Conducting a meeting live: start and end, the current agenda item,
check-in and check-out, bias, and the list of speakers (Redeliste).

Who may call: the conductor of the meeting (``voting._require_conductor``:
staff of the body with ``meetings.change_meeting``, or the meeting's chair
through their own user account; ``actor=None`` is a system job) for
everything, except what a member does for themself through the user account
of their person: request to speak, withdraw the request, declare or withdraw
bias. Changing the meeting's state (invited → running → held) needs staff, as
in ``sessions.services.lifecycle``.

Locking: every service locks the meeting row, so changes of one meeting's
live state are serialised. Every change raises ``LiveSession.version`` and
sends the new state to the screens on commit
(``sessions.live.events.state_changed`` through ``voting.live_changed``).
Refusals are ``ValidationError`` with a ``code``; missing rights are
``PermissionDenied``.

The read helpers at the end (``live_of``, ``speakers_of``, ``ballot_of``)
build nothing for the public: public payloads go through
``publicportal.visibility``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.models import Membership, Person

from ..access import seats_on_meeting_day
from ..models import (
    AgendaItem,
    Attendance,
    ItemMinutes,
    LiveSession,
    Meeting,
    SpeakerRequest,
    Vote,
    VoteParticipation,
)
from .lifecycle import meeting_end, meeting_start
from .minutes import (
    _check_overlap,
    _require_same_body,
    present_at_item,
    refuse_if_signed,
)
from .voting import (
    BallotConfirmation,
    _confirmation,
    _require_conductor,
    live_changed,
)

State = Meeting.State
Speaker = SpeakerRequest.State

#: Seats whose holders may be checked in, strongest first (a person with
#: several seats in a joint meeting is listed under the first).
ENTITLED_KINDS = (
    Membership.Kind.MEMBER,
    Membership.Kind.CITIZEN_MEMBER,
    Membership.Kind.ADVISORY,
    Membership.Kind.DEPUTY,
)
#: Seats that carry a vote of their own (a deputy may stand in for these).
OWN_VOTE_KINDS = (Membership.Kind.MEMBER, Membership.Kind.CITIZEN_MEMBER)


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# --- shared checks ------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _require_running(meeting: Meeting) -> None:
    if meeting.state != State.RUNNING:
        raise _refuse(
            _("This is only possible while the meeting is running."),
            "meeting_not_running",
        )


def _live(meeting: Meeting) -> LiveSession:
    """The live session of the locked, running ``meeting``."""
    _require_running(meeting)
    live = LiveSession.objects.filter(meeting=meeting).first()
    if live is None or live.ended:
        raise _refuse(
            _("The meeting is not being conducted live. Start the live session."),
            "not_live",
        )
    return live


def _current_item(live: LiveSession) -> AgendaItem:
    if live.current_item is None or live.current_item.deleted:
        raise _refuse(
            _("No agenda item is being dealt with. Choose the current item first."),
            "no_current_item",
        )
    return live.current_item


def _require_no_open_vote(meeting: Meeting) -> None:
    if Vote.objects.filter(meeting=meeting, state=Vote.State.OPEN).exists():
        raise _refuse(
            _("A vote is open. Close the vote first."),
            "vote_open",
        )


def _require_item_of(meeting: Meeting, agenda_item: AgendaItem) -> None:
    if agenda_item.meeting_id != meeting.pk:
        raise _refuse(_("The agenda item belongs to another meeting."), "foreign_item")
    if agenda_item.deleted:
        raise _refuse(_("The agenda item has been deleted."), "item_deleted")


def _require_present(agenda_item: AgendaItem, person: Person) -> None:
    if person.pk not in present_at_item(agenda_item):
        raise _refuse(
            _("%(person)s is not recorded as present. Check in first."),
            "not_present",
            person=person.name,
        )


def _own_person(actor, meeting: Meeting) -> Person | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Person.objects.alive().filter(user=actor, body=meeting.body).first()


def _require_own_person(actor, meeting: Meeting) -> Person:
    person = _own_person(actor, meeting)
    if person is None:
        raise PermissionDenied(_("Only members of the committee can do this."))
    return person


def _alive_items(meeting: Meeting):
    return AgendaItem.objects.alive().filter(meeting=meeting).order_by("order")


def _log(meeting: Meeting, actor, **data) -> None:
    log(instance=meeting, action="wagtail.edit", user=actor, data={"live": data})


def _changed(live: LiveSession | None, meeting: Meeting) -> None:
    """Raise the version and send the state on commit; refresh ``live``."""
    live_changed(meeting)
    if live is not None:
        live.refresh_from_db(fields=["version"])


# --- start, end, current item -------------------------------------------------


def _open_meeting(actor, meeting: Meeting) -> Meeting:
    if meeting.state == State.INVITED:
        meeting_start(actor=actor, meeting=meeting)
        return _lock(meeting)
    if meeting.state != State.RUNNING:
        raise _refuse(
            _(
                "Only an invited or running meeting can be conducted live; this "
                "meeting is “%(state)s”."
            ),
            "meeting_not_running",
            state=State(meeting.state).label,
        )
    return meeting


@transaction.atomic
def live_start(*, actor, meeting: Meeting) -> LiveSession:
    """Start (or resume) conducting ``meeting`` live.

    Who: the conductor; opening an invited meeting (invited → running, through
    ``meeting_start`` with its checks) needs staff. A running meeting just gets
    its live session, or resumes it (idempotent, e.g. after a restart). A new
    session starts at the first agenda item; a resumed one keeps its item.
    Locks the meeting row; raises the version; emits the state on commit.
    """
    _require_conductor(actor, meeting)
    meeting = _open_meeting(actor, _lock(meeting))
    live = LiveSession.objects.filter(meeting=meeting).first()
    if live is None:
        live = LiveSession.objects.create(
            meeting=meeting,
            started_at=timezone.now(),
            started_by=actor if getattr(actor, "is_authenticated", False) else None,
            current_item=_alive_items(meeting).first(),
        )
        _log(meeting, actor, started=True)
    elif live.current_item is None or live.current_item.deleted:
        live.current_item = _alive_items(meeting).first()
        live.save(update_fields=["current_item"])
    _changed(live, meeting)
    return live


@transaction.atomic
def live_end(*, actor, meeting: Meeting) -> Meeting:
    """End the live session and the meeting: running → held.

    Who: the conductor; the state change needs staff (``meeting_end``).
    Refused while a vote is open (``vote_open``). Withdraws waiting requests
    to speak and finishes the current speaker. Locks the meeting row; raises
    the version; emits the state on commit.
    """
    _require_conductor(actor, meeting)
    locked = _lock(meeting)
    live = _live(locked)
    _require_no_open_vote(locked)
    meeting_end(actor=actor, meeting=locked)
    now = timezone.now()
    live.ended_at = now
    live.save(update_fields=["ended_at"])
    open_requests = SpeakerRequest.objects.filter(meeting=locked)
    open_requests.filter(state=Speaker.SPEAKING).update(state=Speaker.DONE, done_at=now)
    open_requests.filter(state=Speaker.WAITING).update(state=Speaker.WITHDRAWN)
    _changed(live, locked)
    meeting.state = locked.state
    return locked


@transaction.atomic
def live_item_set(*, actor, meeting: Meeting, agenda_item: AgendaItem) -> LiveSession:
    """Move the live session to ``agenda_item`` (the item on every screen).

    Who: the conductor. The item must be an agenda item of this meeting and
    not deleted; refused while a vote is open (``vote_open``). The speaker of
    the item left finishes. Locks the meeting row; raises the version; emits
    the state on commit.
    """
    _require_conductor(actor, meeting)
    _require_item_of(meeting, agenda_item)
    locked = _lock(meeting)
    live = _live(locked)
    _require_no_open_vote(locked)
    previous = live.current_item_id
    if previous != agenda_item.pk:
        SpeakerRequest.objects.filter(
            agenda_item_id=previous, state=Speaker.SPEAKING
        ).update(state=Speaker.DONE, done_at=timezone.now())
        live.current_item = agenda_item
        live.save(update_fields=["current_item"])
        _log(locked, actor, item=agenda_item.pk)
    _changed(live, locked)
    return live


# --- check-in and check-out ---------------------------------------------------


def entitled_seats(meeting: Meeting):
    """Seats on the meeting day whose holders may be checked in."""
    return (
        seats_on_meeting_day(meeting)
        .filter(kind__in=ENTITLED_KINDS)
        .select_related("person", "organization")
    )


def _strongest(seats: list[Membership]) -> Membership:
    return min(seats, key=lambda seat: (ENTITLED_KINDS.index(seat.kind), seat.pk))


def _seat_for(
    meeting: Meeting, person: Person, substitute_for: Person | None
) -> Membership:
    """The seat ``person`` attends in; checks a deputy's standing in."""
    seats = list(entitled_seats(meeting).filter(person=person))
    if not seats:
        raise _refuse(
            _("%(person)s has no seat in the committee of this meeting."),
            "not_a_member",
            person=person.name,
        )
    if substitute_for is None:
        return _strongest(seats)
    deputy_seats = [s for s in seats if s.kind == Membership.Kind.DEPUTY]
    if not deputy_seats:
        raise _refuse(
            _("Only a deputy can stand in for a member."),
            "not_a_deputy",
        )
    own_votes = entitled_seats(meeting).filter(
        person=substitute_for, kind__in=OWN_VOTE_KINDS, voting_right=True
    )
    if substitute_for.pk == person.pk or not own_votes.exists():
        raise _refuse(
            _("A deputy can stand in only for a member with a vote."),
            "substitute_not_member",
        )
    return deputy_seats[0]


def _capacity(existing: Attendance | None, substitute_for: Person | None) -> str:
    if existing is not None and existing.capacity == Attendance.Capacity.CHAIR:
        return Attendance.Capacity.CHAIR
    if substitute_for is not None:
        return Attendance.Capacity.DEPUTY
    return Attendance.Capacity.MEMBER


def _earlier_arrival(
    existing: Attendance | None, current: AgendaItem | None
) -> tuple[AgendaItem | None, object]:
    """Arrival item and time on check-in: an earlier arrival is kept."""
    now = timezone.now()
    if existing is None or existing.status != Attendance.Status.PRESENT:
        return current, now
    kept = existing.arrived_before
    if kept is None or current is None or kept.order <= current.order:
        return kept, existing.arrived_at or now
    return current, now


def _check_in(
    meeting: Meeting,
    live: LiveSession,
    person: Person,
    existing: Attendance | None,
    substitute_for: Person | None,
    seat: Membership,
) -> Attendance:
    _check_overlap(meeting, person)
    arrived_before, arrived_at = _earlier_arrival(existing, live.current_item)
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "status": Attendance.Status.PRESENT,
            "capacity": _capacity(existing, substitute_for),
            "membership": seat,
            "substitute_for": substitute_for,
            "arrived_before": arrived_before,
            "arrived_at": arrived_at,
            "left_after": None,
            "left_at": None,
        },
    )
    return attendance


def _item_before(item: AgendaItem | None) -> AgendaItem | None:
    if item is None:
        return None
    return (
        AgendaItem.objects.alive()
        .filter(meeting_id=item.meeting_id, order__lt=item.order)
        .order_by("order")
        .last()
    )


def _check_out(
    meeting: Meeting,
    live: LiveSession,
    person: Person,
    existing: Attendance | None,
    seat: Membership,
) -> Attendance:
    if existing is None:
        return Attendance.objects.create(
            meeting=meeting,
            person=person,
            membership=seat,
            status=Attendance.Status.ABSENT,
            capacity=_capacity(None, None),
        )
    if existing.status != Attendance.Status.PRESENT:
        return existing
    left_after = _item_before(live.current_item)
    arrived = existing.arrived_before
    if left_after is None or (arrived is not None and arrived.order > left_after.order):
        # Gone before any item was finished: not there at all.
        existing.status = Attendance.Status.ABSENT
        existing.arrived_before = existing.left_after = None
        existing.arrived_at = existing.left_at = None
    else:
        existing.left_after = left_after
        existing.left_at = timezone.now()
    existing.save()
    return existing


@transaction.atomic
def live_attendance_set(
    *,
    actor,
    meeting: Meeting,
    person: Person,
    present: bool,
    substitute_for: Person | None = None,
) -> Attendance:
    """Check ``person`` in (``present=True``) or out during the live session.

    Who: the conductor (also for members without a device). The person must
    hold a seat of a member, deputy, citizen member or advisory member in the
    meeting's organizations on the meeting day (``not_a_member``).

    Check-in: present from the current item on (an earlier arrival is kept),
    a departure is cleared; capacity deputy when standing in for
    ``substitute_for`` (a member with a vote), member otherwise, a chair stays
    chair. Refused when the person is recorded present at another meeting at
    the same time (``attendance_overlap``). Check-out: present up to the item
    before the current one; without one, absent. Not once the minutes are
    signed. Locks the meeting row; raises the version; emits the state on
    commit; audit-log entry.
    """
    _require_conductor(actor, meeting)
    _require_same_body(meeting, person, "person")
    _require_same_body(meeting, substitute_for, "substitute_for")
    locked = _lock(meeting)
    live = _live(locked)
    refuse_if_signed(locked)
    seat = _seat_for(locked, person, substitute_for if present else None)
    existing = (
        Attendance.objects.filter(meeting=locked, person=person)
        .select_related("arrived_before")
        .first()
    )
    if present:
        attendance = _check_in(locked, live, person, existing, substitute_for, seat)
    else:
        attendance = _check_out(locked, live, person, existing, seat)
    log(
        instance=attendance,
        action="wagtail.edit",
        user=actor,
        data={"status": attendance.status, "capacity": attendance.capacity},
    )
    _changed(live, locked)
    return attendance


# --- bias ---------------------------------------------------------------------


def _bias_person(actor, meeting: Meeting, person: Person | None) -> Person:
    """The person whose bias is declared; the conductor may name anyone."""
    own = _own_person(actor, meeting)
    if person is None:
        if own is None:
            raise PermissionDenied(_("Only members of the committee can do this."))
        return own
    if own is None or own.pk != person.pk:
        _require_conductor(actor, meeting)
    return person


def _bias_item(agenda_item: AgendaItem) -> Meeting:
    meeting = agenda_item.meeting
    _require_item_of(meeting, agenda_item)
    locked = _lock(meeting)
    _require_running(locked)
    refuse_if_signed(locked)
    return locked


@transaction.atomic
def bias_declare(
    *, actor, agenda_item: AgendaItem, person: Person | None = None
) -> ItemMinutes:
    """Record that ``person`` is biased on ``agenda_item`` (Befangenheit).

    Who: a member for themself (``person=None``: the actor's person), or the
    conductor for anyone. The person must be present at the item
    (``not_present``) and must not have voted yet in an open vote on it
    (``already_voted``). Afterwards the person cannot vote on the item and
    counts no longer for the quorum. Idempotent. Locks the meeting row and
    an open vote on the item (against a ballot at the same time); raises the
    version; emits the state on commit; audit-log entry.
    """
    meeting = agenda_item.meeting
    person = _bias_person(actor, meeting, person)
    locked = _bias_item(agenda_item)
    _require_present(agenda_item, person)
    # Lock the open vote like ballot_cast does: a ballot and a declaration
    # of bias by the same person cannot both get through.
    open_votes = list(
        Vote.objects.select_for_update().filter(
            agenda_item=agenda_item, state=Vote.State.OPEN
        )
    )
    voted = VoteParticipation.objects.filter(vote__in=open_votes, person=person)
    if open_votes and voted.exists():
        raise _refuse(
            _(
                "%(person)s has already voted in the open vote on this item. "
                "Bias must be declared before voting."
            ),
            "already_voted",
            person=person.name,
        )
    item_minutes, _created = ItemMinutes.objects.get_or_create(agenda_item=agenda_item)
    item_minutes.biased.add(person)
    # Ballots checked before this declaration must be checked again.
    Vote.objects.filter(pk__in=[v.pk for v in open_votes]).update(
        revision=F("revision") + 1
    )
    log(instance=item_minutes, action="wagtail.edit", user=actor, data={"bias": True})
    _changed(None, locked)
    return item_minutes


@transaction.atomic
def bias_withdraw(
    *, actor, agenda_item: AgendaItem, person: Person | None = None
) -> ItemMinutes:
    """Withdraw a declaration of bias on ``agenda_item``.

    Who: as ``bias_declare``. Allowed during an open vote: the person may
    then vote. Idempotent. Locks the meeting row; raises the version; emits
    the state on commit; audit-log entry.
    """
    meeting = agenda_item.meeting
    person = _bias_person(actor, meeting, person)
    locked = _bias_item(agenda_item)
    item_minutes, _created = ItemMinutes.objects.get_or_create(agenda_item=agenda_item)
    item_minutes.biased.remove(person)
    log(instance=item_minutes, action="wagtail.edit", user=actor, data={"bias": False})
    _changed(None, locked)
    return item_minutes


# --- list of speakers ---------------------------------------------------------


def _open_request(agenda_item: AgendaItem, person: Person) -> SpeakerRequest | None:
    return SpeakerRequest.objects.filter(
        agenda_item=agenda_item, person=person, state__in=SpeakerRequest.OPEN_STATES
    ).first()


def _waiting(agenda_item_id: int) -> list[SpeakerRequest]:
    return list(
        SpeakerRequest.objects.filter(
            agenda_item_id=agenda_item_id, state=Speaker.WAITING
        ).order_by("position", "pk")
    )


def _renumber(agenda_item_id: int, order: list[SpeakerRequest] | None = None) -> None:
    """Waiting requests get positions 1..n (in ``order`` if given)."""
    requests = _waiting(agenda_item_id) if order is None else order
    changed = []
    for position, request in enumerate(requests, start=1):
        if request.position != position:
            request.position = position
            changed.append(request)
    SpeakerRequest.objects.bulk_update(changed, ["position"])


def _add_request(
    meeting: Meeting, live: LiveSession, person: Person, added_by=None
) -> SpeakerRequest:
    item = _current_item(live)
    _require_present(item, person)
    existing = _open_request(item, person)
    if existing is not None:
        return existing
    last = SpeakerRequest.objects.filter(
        agenda_item=item, state=Speaker.WAITING
    ).aggregate(last=Max("position"))["last"]
    request = SpeakerRequest.objects.create(
        meeting=meeting,
        agenda_item=item,
        person=person,
        position=(last or 0) + 1,
        requested_at=timezone.now(),
        added_by=added_by,
    )
    _changed(live, meeting)
    return request


@transaction.atomic
def speaker_request(*, actor, meeting: Meeting) -> SpeakerRequest:
    """Ask to speak on the current item (Wortmeldung).

    Who: a member for themself, present at the current item (``not_present``).
    A second request while one is open returns the open one. Locks the
    meeting row; raises the version and emits the state on commit when a
    request was added.
    """
    person = _require_own_person(actor, meeting)
    locked = _lock(meeting)
    return _add_request(locked, _live(locked), person)


@transaction.atomic
def speaker_withdraw(*, actor, meeting: Meeting) -> SpeakerRequest | None:
    """Withdraw one's own waiting request on the current item.

    Who: a member for themself. Returns the withdrawn request, or ``None``
    when there was no waiting one. Locks the meeting row; raises the version
    and emits the state on commit when a request was withdrawn.
    """
    person = _require_own_person(actor, meeting)
    locked = _lock(meeting)
    live = _live(locked)
    request = SpeakerRequest.objects.filter(
        agenda_item=_current_item(live), person=person, state=Speaker.WAITING
    ).first()
    if request is None:
        return None
    request.state = Speaker.WITHDRAWN
    request.save(update_fields=["state"])
    _renumber(request.agenda_item_id)
    _changed(live, locked)
    return request


@transaction.atomic
def speaker_add(*, actor, meeting: Meeting, person: Person) -> SpeakerRequest:
    """Put ``person`` on the list of speakers of the current item.

    Who: the conductor. The person must be present at the current item
    (``not_present``); an open request is returned as it is. Locks the
    meeting row; raises the version and emits the state on commit when a
    request was added.
    """
    _require_conductor(actor, meeting)
    _require_same_body(meeting, person, "person")
    locked = _lock(meeting)
    added_by = actor if getattr(actor, "is_authenticated", False) else None
    return _add_request(locked, _live(locked), person, added_by=added_by)


def _locked_request(
    actor, request: SpeakerRequest
) -> tuple[Meeting, LiveSession, SpeakerRequest]:
    """Conductor check, meeting lock, and the request as it is now."""
    _require_conductor(actor, request.meeting)
    locked = _lock(request.meeting)
    live = _live(locked)
    request = SpeakerRequest.objects.select_for_update().get(pk=request.pk)
    return locked, live, request


def _require_waiting(request: SpeakerRequest) -> None:
    if request.state != Speaker.WAITING:
        raise _refuse(
            _("This request to speak is no longer waiting."), "speaker_not_waiting"
        )


@transaction.atomic
def speaker_call(*, actor, request: SpeakerRequest) -> SpeakerRequest:
    """Give ``request``'s person the floor; the previous speaker is done.

    Who: the conductor. The request must be waiting (``speaker_not_waiting``;
    calling the current speaker again changes nothing) and belong to the
    current item (``not_current_item``). Locks the meeting and the request;
    raises the version; emits the state on commit.
    """
    locked, live, request = _locked_request(actor, request)
    if request.state == Speaker.SPEAKING:
        return request
    _require_waiting(request)
    if request.agenda_item_id != live.current_item_id:
        raise _refuse(
            _("The request to speak belongs to another agenda item."),
            "not_current_item",
        )
    now = timezone.now()
    SpeakerRequest.objects.filter(
        agenda_item_id=request.agenda_item_id, state=Speaker.SPEAKING
    ).update(state=Speaker.DONE, done_at=now)
    request.state = Speaker.SPEAKING
    request.called_at = now
    request.position = 0
    request.save(update_fields=["state", "called_at", "position"])
    _renumber(request.agenda_item_id)
    _changed(live, locked)
    return request


@transaction.atomic
def speaker_done(*, actor, request: SpeakerRequest) -> SpeakerRequest:
    """The speaker has finished.

    Who: the conductor. Only the current speaker (``speaker_not_speaking``);
    a finished request is returned as it is. Locks the meeting and the
    request; raises the version; emits the state on commit.
    """
    locked, live, request = _locked_request(actor, request)
    if request.state == Speaker.DONE:
        return request
    if request.state != Speaker.SPEAKING:
        raise _refuse(_("This person does not have the floor."), "speaker_not_speaking")
    request.state = Speaker.DONE
    request.done_at = timezone.now()
    request.save(update_fields=["state", "done_at"])
    _changed(live, locked)
    return request


@transaction.atomic
def speaker_remove(*, actor, request: SpeakerRequest) -> SpeakerRequest:
    """Take a waiting or speaking request off the list (withdrawn).

    Who: the conductor. A finished request stays finished
    (``speaker_finished``); a withdrawn one is returned as it is. Locks the
    meeting and the request; raises the version; emits the state on commit.
    """
    locked, live, request = _locked_request(actor, request)
    if request.state == Speaker.WITHDRAWN:
        return request
    if request.state == Speaker.DONE:
        raise _refuse(_("This person has already spoken."), "speaker_finished")
    request.state = Speaker.WITHDRAWN
    request.save(update_fields=["state"])
    _renumber(request.agenda_item_id)
    _changed(live, locked)
    return request


@transaction.atomic
def speaker_move(*, actor, request: SpeakerRequest, position: int) -> SpeakerRequest:
    """Move a waiting request to ``position`` (1 = next); the waiting
    requests are renumbered 1..n. A position past the end means last.

    Who: the conductor. Only waiting requests (``speaker_not_waiting``);
    ``position`` is a whole number of at least 1 (``invalid_position``).
    Locks the meeting and the request; raises the version; emits the state
    on commit.
    """
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise _refuse(
            _("The position must be a whole number of at least 1."),
            "invalid_position",
        )
    locked, live, request = _locked_request(actor, request)
    _require_waiting(request)
    order = [r for r in _waiting(request.agenda_item_id) if r.pk != request.pk]
    order.insert(min(position, len(order) + 1) - 1, request)
    _renumber(request.agenda_item_id, order)
    _changed(live, locked)
    request.refresh_from_db(fields=["position"])
    return request


# --- reads for the screens ----------------------------------------------------


def live_of(meeting: Meeting) -> LiveSession | None:
    """The meeting's live session (also an ended one), or ``None``."""
    return (
        LiveSession.objects.filter(meeting=meeting)
        .select_related("current_item")
        .first()
    )


def speakers_of(agenda_item: AgendaItem | None) -> list[SpeakerRequest]:
    """The open list of speakers of ``agenda_item``: the current speaker
    first, then the waiting requests by position (persons selected)."""
    if agenda_item is None:
        return []
    requests = SpeakerRequest.objects.filter(
        agenda_item=agenda_item, state__in=SpeakerRequest.OPEN_STATES
    ).select_related("person")
    return sorted(
        requests,
        key=lambda r: (r.state != Speaker.SPEAKING, r.position, r.pk),
    )


def ballot_of(vote: Vote, person: Person) -> BallotConfirmation | None:
    """``person``'s confirmation in ``vote`` (choice ``None`` for a secret
    vote), or ``None`` if they have not voted. For the person's own screen."""
    participation = VoteParticipation.objects.filter(vote=vote, person=person).first()
    if participation is None:
        return None
    return _confirmation(participation, vote)

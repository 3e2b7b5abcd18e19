"""Live voting: open a vote on an agenda item, cast ballots, close it and write
the result into the minutes; counts entered or corrected by hand; quorum.

Who may call:

- ``vote_open``, ``vote_close``, ``vote_record_manual``, ``vote_correct``:
  staff of the meeting's body with ``meetings.change_meeting``, or the
  meeting's chair (the person recorded present as chair, or the chair of the
  minutes, through their own user account).
- ``ballot_cast``: a member, through the user account of their person.

Locking: ``vote_open`` locks the meeting row (one open vote per meeting, also a
database constraint); ``vote_close`` and ``vote_correct`` lock the vote row
first; ``ballot_cast`` checks without locks and takes the vote row's lock
last, when it raises the counter of the vote if it is still open and at the
revision the ballot was checked against (``bias_declare`` raises it), so a
ballot is wholly before or wholly after a close or a declaration of bias.

Events: the state-changing services raise ``LiveSession.version`` (where the
meeting is conducted live) and send the new live state on commit
(``sessions.live.events.state_changed``); ``ballot_cast`` sends the vote's
progress on commit when it recorded a new ballot (``vote_progress``).

Secret votes: the choice is added to the counters of the locked vote row and
nowhere else; no log line, audit entry or return value names a person together
with a choice. Nothing is logged per ballot for any kind of vote.
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.access import require_body_access
from gremien.compiled import CompiledQuery
from gremien.models import Membership, Person
from gremien.rules import QuorumResult, get_code
from gremien.timedcache import TimedCache

from ..access import seats_on_meeting_day
from ..models import (
    AgendaItem,
    Attendance,
    Ballot,
    ItemMinutes,
    LiveSession,
    Meeting,
    Minutes,
    Vote,
    VoteCorrection,
    VoteParticipation,
)
from .minutes import (
    attendance_at_item,
    is_present_at_item,
    present_at_item,
    refuse_if_signed,
)

logger = logging.getLogger(__name__)

PERMISSION = "meetings.change_meeting"
Choice = Vote.Choice

#: Seats that carry a vote of their own.
VOTING_KINDS = (Membership.Kind.MEMBER, Membership.Kind.CITIZEN_MEMBER)


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


@dataclass(frozen=True)
class BallotConfirmation:
    """What the member's device shows: the ballot is recorded.

    ``choice`` is ``None`` for a secret vote: the server does not know it per
    person. ``receipt`` is the random id of the participation row.
    """

    vote_id: int
    receipt: uuid.UUID
    client_id: uuid.UUID
    choice: str | None


# --- who may do what ----------------------------------------------------------


def _is_chair(actor, meeting: Meeting) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    as_attendance = Attendance.objects.filter(
        meeting=meeting,
        person__user=actor,
        capacity=Attendance.Capacity.CHAIR,
        status=Attendance.Status.PRESENT,
    ).exists()
    as_minutes = Minutes.objects.filter(meeting=meeting, chair__user=actor).exists()
    return as_attendance or as_minutes


def _require_conductor(actor, meeting: Meeting) -> None:
    """Staff of the body or the meeting's chair; ``None`` is a system job."""
    if actor is None or _is_chair(actor, meeting):
        return
    require_body_access(actor, meeting.body, PERMISSION)


def _require_running(meeting: Meeting) -> None:
    if meeting.state != Meeting.State.RUNNING:
        raise _refuse(
            _("Votes can only be taken while the meeting is running."),
            "meeting_not_running",
        )


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _lock_vote(vote: Vote) -> Vote:
    return Vote.objects.select_for_update().select_related("meeting").get(pk=vote.pk)


def live_changed(meeting: Meeting) -> None:
    """Raise the live session's version (if the meeting has one) and send the
    new live state on commit. Call inside the transaction that changed it."""
    from ..live import events

    LiveSession.objects.filter(meeting_id=meeting.pk).update(version=F("version") + 1)
    events.state_changed(meeting)


def _progress(vote: Vote, *, voters: int | None = None) -> None:
    from ..live import events

    events.vote_progress(vote, voters=voters)


# --- seats, presence, bias ----------------------------------------------------


def _seats(meeting: Meeting):
    """Seats with a vote in the meeting's organizations on the meeting day."""
    return seats_on_meeting_day(meeting).filter(voting_right=True)


def _regular_voters(meeting: Meeting) -> set[int]:
    """Persons holding a voting seat of their own."""
    return set(
        _seats(meeting).filter(kind__in=VOTING_KINDS).values_list("person", flat=True)
    )


def _deputies(meeting: Meeting) -> set[int]:
    return set(
        _seats(meeting)
        .filter(kind=Membership.Kind.DEPUTY)
        .values_list("person", flat=True)
    )


def _bias_rows(agenda_item: AgendaItem):
    return ItemMinutes.biased.through.objects.filter(
        itemminutes__agenda_item=agenda_item
    )


def _biased(agenda_item: AgendaItem) -> set[int]:
    return set(_bias_rows(agenda_item).values_list("person_id", flat=True))


def _standing_in(meeting: Meeting, present: set[int]) -> dict[int, int]:
    """Deputy → absent member, for present deputies standing in for one."""
    rows = Attendance.objects.filter(
        meeting=meeting,
        person__in=present & _deputies(meeting),
        substitute_for__isnull=False,
    ).values_list("person", "substitute_for")
    regular = _regular_voters(meeting)
    return {
        deputy: member
        for deputy, member in rows
        if member in regular and member not in present
    }


def _voters_present(agenda_item: AgendaItem) -> set[int]:
    """Present persons with a vote at the item: own seat, or standing in."""
    meeting = agenda_item.meeting
    present = set(present_at_item(agenda_item))
    own = present & _regular_voters(meeting)
    return own | set(_standing_in(meeting, present))


def voters_at(agenda_item: AgendaItem) -> set[int]:
    """Ids of the persons who may vote at ``agenda_item`` now: present with
    a vote (own seat, or a deputy standing in) and not biased."""
    return _voters_present(agenda_item) - _biased(agenda_item)


def _statutory_members(meeting: Meeting) -> int:
    total = 0
    for organization in meeting.organizations.all():
        if organization.statutory_members:
            total += organization.statutory_members
        else:
            total += (
                _seats(meeting)
                .filter(organization=organization, kind__in=VOTING_KINDS)
                .values("person")
                .distinct()
                .count()
            )
    return max(total, 1)


def quorum(meeting: Meeting, agenda_item: AgendaItem | None = None) -> QuorumResult:
    """Beschlussfähigkeit under the body's municipal code.

    Counts present members with a vote (their own seat, or a deputy standing in
    for an absent member); with ``agenda_item``, presence at that item and
    minus those who declared bias on it. Without an item: everyone recorded
    present at the meeting. Reads only; no permission check (the count is
    shown to everyone in the room).
    """
    code = get_code(meeting.body.municipal_code)
    if agenda_item is None:
        present = set(
            Attendance.objects.filter(
                meeting=meeting, status=Attendance.Status.PRESENT
            ).values_list("person", flat=True)
        )
        voters = (present & _regular_voters(meeting)) | set(
            _standing_in(meeting, present)
        )
        biased = 0
    else:
        voters = _voters_present(agenda_item)
        biased = len(voters & _biased(agenda_item))
    return code.quorum(
        statutory_members=_statutory_members(meeting),
        present_voting=len(voters),
        biased_present=biased,
    )


# --- opening ------------------------------------------------------------------


def _check_kind(meeting: Meeting, kind: str, *, is_election: bool, requested_by: int):
    if kind not in Vote.Kind.values:
        raise _refuse(_("Unknown kind of vote."), "invalid_kind")
    if kind != Vote.Kind.SECRET:
        return
    code = get_code(meeting.body.municipal_code)
    allowed = code.secret_vote_allowed(
        is_election=is_election,
        requested_by=requested_by,
        statutory_members=_statutory_members(meeting),
    )
    if not allowed:
        raise _refuse(
            _(
                "A secret vote is not allowed here under %(basis)s. Votes on "
                "matters are open unless the municipal code allows a secret "
                "vote on request."
            ),
            "secret_not_allowed",
            basis=code.voting_mode_basis,
        )


def _check_item(agenda_item: AgendaItem) -> None:
    if agenda_item.deleted:
        raise _refuse(_("The agenda item has been deleted."), "item_deleted")


@transaction.atomic
def vote_open(
    *,
    actor,
    agenda_item: AgendaItem,
    kind: str,
    name: str = "",
    is_election: bool = False,
    secret_requested_by: int = 0,
) -> Vote:
    """Open a vote on ``agenda_item`` of a running meeting.

    Who: staff of the body or the meeting's chair. Only one vote per meeting
    may be open (``vote_already_open``). A secret vote only where the body's
    municipal code allows it (elections; NRW: on request of a fifth of the
    statutory members, ``secret_requested_by``). Locks the meeting row; emits
    an audit-log entry and, on commit, the live state (version raised).
    """
    meeting = agenda_item.meeting
    _require_conductor(actor, meeting)
    _check_item(agenda_item)
    meeting = _lock_meeting(meeting)
    _require_running(meeting)
    _check_kind(
        meeting, kind, is_election=is_election, requested_by=secret_requested_by
    )
    if Vote.objects.filter(meeting=meeting, state=Vote.State.OPEN).exists():
        raise _refuse(
            _("Another vote is still open in this meeting. Close it first."),
            "vote_already_open",
        )
    code = get_code(meeting.body.municipal_code)
    vote = Vote.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        kind=kind,
        name=name.strip(),
        opened_at=timezone.now(),
        opened_by=actor,
        municipal_code=code.key,
        legal_basis=code.majority_basis,
    )
    log(instance=meeting, action="wagtail.edit", user=actor, data={"vote": vote.pk})
    live_changed(meeting)
    logger.info("vote %s opened on item %s (%s)", vote.pk, agenda_item.pk, kind)
    return vote


# --- casting ------------------------------------------------------------------


def _person_of(actor, meeting: Meeting) -> Person:
    person = (
        Person.objects.alive().filter(user=actor, body_id=meeting.body_id).first()
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    if person is None:
        raise PermissionDenied(_("Only members of the committee can vote."))
    return person


def _confirmation(participation: VoteParticipation, vote: Vote) -> BallotConfirmation:
    choice = None
    if vote.kind != Vote.Kind.SECRET:
        choice = Ballot.objects.get(participation=participation).choice
    return BallotConfirmation(
        vote_id=vote.pk,
        receipt=participation.pk,
        client_id=participation.client_id,
        choice=choice,
    )


def _refuse_already_voted() -> ValidationError:
    return _refuse(
        _("You have already voted in this vote. A ballot cannot be changed."),
        "already_voted",
    )


def _earlier(vote: Vote, person: Person, client_id: uuid.UUID):
    """The confirmation of a retried ballot, or a refusal of a second one."""
    rows = list(
        VoteParticipation.objects.filter(vote=vote).filter(
            Q(person=person) | Q(client_id=client_id)
        )
    )
    mine = next((row for row in rows if row.person_id == person.pk), None)
    if mine is not None:
        if mine.client_id == client_id:
            return _confirmation(mine, vote)
        raise _refuse_already_voted()
    if rows:
        raise _refuse(
            _("This ballot id is already in use. Reload the page and vote again."),
            "client_id_taken",
        )
    return None


def _with_ballot_facts(persons, vote: Vote):
    """``persons`` annotated with everything the ballot rules need: present
    at the vote's item, biased on it, a voting or a deputy's seat, and (for
    a saved vote) its state and revision and an earlier participation (its
    id and client id). The rules of :func:`_voters_present` and
    :func:`_biased`, for one person."""
    item = vote.agenda_item
    seats = _seats(vote.meeting).filter(person=OuterRef("pk"))
    facts = {
        "present": Exists(attendance_at_item(item).filter(person=OuterRef("pk"))),
        "biased": Exists(_bias_rows(item).filter(person=OuterRef("pk"))),
        "voting_seat": Exists(seats.filter(kind__in=VOTING_KINDS)),
        "deputy_seat": Exists(seats.filter(kind=Membership.Kind.DEPUTY)),
    }
    if vote.pk is not None:
        earlier = VoteParticipation.objects.filter(vote=vote, person=OuterRef("pk"))
        this_vote = Vote.objects.filter(pk=vote.pk)
        facts["vote_state"] = Subquery(this_vote.values("state"))
        facts["vote_revision"] = Subquery(this_vote.values("revision"))
        facts["earlier_id"] = Subquery(earlier.values("pk")[:1])
        facts["earlier_client_id"] = Subquery(earlier.values("client_id")[:1])
    return persons.annotate(**facts)


def entitlement_refusal(vote: Vote, person: Person) -> str | None:
    """The code with which ``ballot_cast`` would refuse ``person`` at the
    vote's item for lack of entitlement (``not_present``, ``biased``,
    ``deputy_not_standing_in``, ``not_entitled``), or ``None``. ``vote`` may
    be unsaved, carrying only its meeting and item."""
    persons = Person.objects.filter(pk=person.pk)
    facts = _with_ballot_facts(persons, vote).values(
        "id", "present", "biased", "voting_seat", "deputy_seat"
    )
    try:
        _refuse_unless_entitled(vote.agenda_item, facts.get())
    except ValidationError as error:
        return error.code
    return None


def _refuse_unless_entitled(item: AgendaItem, facts: dict) -> None:
    """Refuse the ballot of a person (``facts`` of :func:`_with_ballot_facts`
    with ``id``) unless they have a vote at ``item`` now."""
    if not facts["present"]:
        raise _refuse(
            _("You are not recorded as present. Check in with the clerk first."),
            "not_present",
        )
    if facts["biased"]:
        raise _refuse_biased()
    if facts["voting_seat"]:
        return
    if facts["deputy_seat"]:
        if _stands_in_now(item, facts["id"]):
            return
        raise _refuse(
            _("As a deputy you can vote only while standing in for an absent member."),
            "deputy_not_standing_in",
        )
    raise _refuse(_("You have no vote in this committee."), "not_entitled")


def _refuse_biased() -> ValidationError:
    return _refuse(
        _("You have declared bias on this item and take no part in the vote."),
        "biased",
    )


def _stands_in_now(item: AgendaItem, deputy_id: int) -> bool:
    """Whether the present deputy stands in for a voting member who is
    absent at ``item`` (the rule of ``_standing_in``, for one person)."""
    member = (
        Attendance.objects.filter(
            meeting_id=item.meeting_id,
            person_id=deputy_id,
            substitute_for__isnull=False,
        )
        .values_list("substitute_for", flat=True)
        .first()
    )
    if member is None or is_present_at_item(item, member):
        return False
    return _seats(item.meeting).filter(person_id=member, kind__in=VOTING_KINDS).exists()


# --- the ballot's queries, compiled once per vote -----------------------------

#: Seconds a vote's compiled ballot queries are reused (they carry the
#: meeting's organizations and day: a seat changed meanwhile counts after
#: this long at most).
COMPILED_SECONDS = 2.0
#: An id no row has, standing for the user or person of the ballot.
_PLACEHOLDER = -7_041_987


@dataclass(frozen=True)
class _BallotQueries:
    vote: Vote  # kind, meeting (with body) and item; never its state
    facts: CompiledQuery  # by user id: the person and the ballot facts
    voters: int  # who may vote at the item (when compiled): "all have voted"


_compiled = TimedCache(COMPILED_SECONDS, limit=64)


def _ballot_queries(vote: Vote) -> _BallotQueries:
    """The ballot queries of ``vote`` (a reference with ``pk`` and
    ``meeting_id``), compiled at most ``COMPILED_SECONDS`` ago."""
    return _compiled.get((vote.pk, vote.meeting_id), lambda: _compile(vote))


def _compile(vote: Vote) -> _BallotQueries:
    vote = Vote.objects.select_related("meeting", "agenda_item").get(
        pk=vote.pk, meeting_id=vote.meeting_id
    )
    persons = Person.objects.alive().filter(
        user_id=_PLACEHOLDER, body_id=vote.meeting.body_id
    )
    facts = _with_ballot_facts(persons, vote).values(
        "id",
        "present",
        "biased",
        "voting_seat",
        "deputy_seat",
        "vote_state",
        "vote_revision",
        "earlier_id",
        "earlier_client_id",
    )
    return _BallotQueries(
        vote=vote,
        facts=CompiledQuery(facts.order_by("pk")[:1], _PLACEHOLDER),
        voters=len(voters_at(vote.agenda_item)),
    )


def forget_compiled() -> None:
    """Drop the compiled ballot queries (tests: ids come again)."""
    _compiled.clear()


def _count_in(actor, queries: _BallotQueries, facts: dict, choice: str) -> None:
    """Add the choice to the counters of the vote if it is still open and at
    the revision the ballot was checked against. The update takes the vote's
    row lock until commit, and is the last statement before it: ballots
    queue on this lock, so nothing else runs while it is held. A
    ``vote_close`` or ``bias_declare`` locks the vote first and changes its
    state or revision: a ballot checked before is then checked again."""
    field = f"votes_{choice}"
    for _attempt in range(3):
        updated = Vote.objects.filter(
            pk=queries.vote.pk,
            state=Vote.State.OPEN,
            revision=facts["vote_revision"],
        ).update(**{field: F(field) + 1})
        if updated:
            return
        facts = queries.facts.first(actor.pk)
        if facts["vote_state"] != Vote.State.OPEN:
            raise _refuse(_("The vote is closed; no more ballots."), "vote_closed")
        _refuse_unless_entitled(queries.vote.agenda_item, facts)
    raise _refuse(
        _("The vote changed while your ballot was recorded. Please vote again."),
        "vote_changed",
    )


@transaction.atomic
def _cast(actor, vote: Vote, choice: str, client_id: uuid.UUID) -> BallotConfirmation:
    queries = _ballot_queries(vote)
    vote = queries.vote
    facts = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        facts = queries.facts.first(actor.pk)
    if facts is None:
        raise PermissionDenied(_("Only members of the committee can vote."))
    person_id = facts["id"]
    if facts["earlier_id"] is not None:
        if uuid.UUID(str(facts["earlier_client_id"])) == client_id:
            earlier = VoteParticipation(
                pk=uuid.UUID(str(facts["earlier_id"])),
                vote=vote,
                person_id=person_id,
                client_id=client_id,
            )
            return _confirmation(earlier, vote)
        raise _refuse_already_voted()
    if facts["vote_state"] != Vote.State.OPEN:
        raise _refuse(_("The vote is closed; no more ballots."), "vote_closed")
    _refuse_unless_entitled(vote.agenda_item, facts)
    participation = VoteParticipation.objects.create(
        vote=vote, person_id=person_id, client_id=client_id
    )
    if vote.kind != Vote.Kind.SECRET:
        Ballot.objects.create(
            participation=participation,
            vote=vote,
            person_id=person_id,
            choice=choice,
            cast_at=timezone.now(),
        )
    _count_in(actor, queries, facts, choice)
    _progress(vote, voters=queries.voters)
    return BallotConfirmation(
        vote_id=vote.pk,
        receipt=participation.pk,
        client_id=client_id,
        choice=None if vote.kind == Vote.Kind.SECRET else choice,
    )


def ballot_cast(
    *, actor, vote: Vote, choice: str, client_id: uuid.UUID | str
) -> BallotConfirmation:
    """Record the actor's ballot in ``vote`` before it is acknowledged.

    Who: a present member with a vote at the item (a deputy only while
    standing in for an absent member), not biased on it, through their own
    user account. ``client_id`` is generated by the device: the same id again
    returns the same confirmation (also after close); a second ballot with
    another id is refused (``already_voted``). Refused once the vote is
    closed (``vote_closed``). For a secret vote the choice goes only into the
    vote's counters. Logs nothing per ballot. Emits the vote's progress (the
    count only) on commit, not for a retry. ``vote`` may be an unsaved
    ``Vote(pk=…, meeting_id=…)``: it is read again, from that meeting only.

    Four statements in one transaction, no savepoint: the person with all
    facts the rules need (the vote's state and revision included), compiled
    once per vote (:func:`_ballot_queries`); the participation; the ballot
    (not for a secret vote); the counter.

    Locking: the checks run without locks (ballots of different members go
    on in parallel); one ballot per member is the participation's unique
    constraint (a concurrent ballot of the same member, or with the same
    client id, fails on it and gets the outcome of the one that committed);
    the counters are raised last, only while the vote is open and at the
    revision checked (see :func:`_count_in`), which takes the vote's row
    lock until commit, so a ``vote_close`` or ``bias_declare`` (which lock
    it first and change the state or the revision) is either wholly before
    or wholly after this ballot.
    """
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError:
        raise _refuse(_("The ballot id is invalid."), "invalid_client_id") from None
    if choice not in Choice.values:
        raise _refuse(_("Vote yes, no or abstain."), "invalid_choice")
    try:
        return _cast(actor, vote, choice, client_id)
    except IntegrityError:
        vote = Vote.objects.select_related("meeting").get(pk=vote.pk)
        earlier = _earlier(vote, _person_of(actor, vote.meeting), client_id)
        if earlier is None:  # the other one was rolled back meanwhile
            raise
        return earlier


# --- closing and the minutes --------------------------------------------------


def _counts(vote: Vote) -> dict[str, int]:
    return {
        "yes": vote.votes_yes,
        "no": vote.votes_no,
        "abstain": vote.votes_abstain,
    }


def _apply_result(vote: Vote) -> None:
    outcome = get_code(vote.municipal_code).majority(
        yes=vote.votes_yes, no=vote.votes_no, abstain=vote.votes_abstain
    )
    vote.result = Vote.Result.ACCEPTED if outcome.accepted else Vote.Result.REJECTED
    vote.legal_basis = outcome.legal_basis


def _roll_call(vote: Vote) -> list[dict]:
    if vote.kind != Vote.Kind.NAMED:
        return []
    return [
        {"person": b.person_id, "name": b.person.name, "vote": b.choice}
        for b in vote.ballots.select_related("person")
    ]


def _write_minutes(vote: Vote) -> ItemMinutes:
    """The vote's counts, roll call and result into the item's minutes."""
    item_minutes, _created = ItemMinutes.objects.get_or_create(
        agenda_item=vote.agenda_item
    )
    item_minutes.votes_yes = vote.votes_yes
    item_minutes.votes_no = vote.votes_no
    item_minutes.votes_abstain = vote.votes_abstain
    item_minutes.unanimous = (
        vote.votes_yes > 0 and vote.votes_no == 0 and vote.votes_abstain == 0
    )
    item_minutes.roll_call = _roll_call(vote)
    item_minutes.save()
    item = vote.agenda_item
    item.result = (
        AgendaItem.Result.ACCEPTED
        if vote.result == Vote.Result.ACCEPTED
        else AgendaItem.Result.REJECTED
    )
    item.save(update_fields=["result", "modified"])
    return item_minutes


def _record_attendance_numbers(vote: Vote) -> None:
    result = quorum(vote.meeting, vote.agenda_item)
    vote.entitled = _statutory_members(vote.meeting)
    vote.present = result.counted


@transaction.atomic
def vote_close(*, actor, vote: Vote) -> Vote:
    """Close an open vote, compute its result and write it into the minutes.

    Who: staff of the body or the meeting's chair. Records the statutory and
    the present voting members, applies the body's majority rule, writes
    counts (and, for a roll-call vote, each member's choice) into the item's
    minutes and sets the item's result. Locks the vote row; emits an
    audit-log entry with the counts only and, on commit, the live state.
    """
    _require_conductor(actor, vote.meeting)
    vote = _lock_vote(vote)
    if not vote.is_open:
        raise _refuse(_("The vote is already closed."), "vote_closed")
    refuse_if_signed(vote.meeting)
    vote.state = Vote.State.CLOSED
    vote.closed_at = timezone.now()
    vote.closed_by = actor
    _record_attendance_numbers(vote)
    _apply_result(vote)
    vote.save()
    _write_minutes(vote)
    log(
        instance=vote.meeting,
        action="wagtail.edit",
        user=actor,
        data={"vote": vote.pk, "result": vote.result, **_counts(vote)},
    )
    live_changed(vote.meeting)
    logger.info("vote %s closed: %s", vote.pk, vote.result)
    return vote


# --- by hand ------------------------------------------------------------------


def _check_manual(actor, yes: int, no: int, abstain: int, reason: str) -> str:
    if actor is None:
        raise _refuse(
            _("Counts entered by hand need a signed-in user to be recorded."),
            "user_required",
        )
    if min(yes, no, abstain) < 0:
        raise _refuse(_("A number of votes cannot be negative."), "negative_count")
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(
            _("Give the reason for entering the result by hand."), "reason_required"
        )
    return reason


def _set_counts(vote: Vote, yes: int, no: int, abstain: int) -> None:
    vote.votes_yes, vote.votes_no, vote.votes_abstain = yes, no, abstain


@transaction.atomic
def vote_record_manual(
    *,
    actor,
    agenda_item: AgendaItem,
    yes: int,
    no: int,
    abstain: int,
    reason: str,
    name: str = "",
) -> Vote:
    """Enter the counts of a vote taken in the room (show of hands).

    Who: staff of the body or the meeting's chair, while the meeting runs or
    before the minutes are signed. Creates a closed open vote marked manual,
    a ``VoteCorrection`` with the reason, and writes the result into the
    minutes like ``vote_close``. Locks the meeting row; emits the live state
    on commit.
    """
    meeting = agenda_item.meeting
    _require_conductor(actor, meeting)
    _check_item(agenda_item)
    reason = _check_manual(actor, yes, no, abstain, reason)
    meeting = _lock_meeting(meeting)
    if meeting.state not in (Meeting.State.RUNNING, *Meeting.HELD_STATES):
        raise _refuse(
            _("A vote can only be recorded for a meeting that runs or was held."),
            "meeting_not_held",
        )
    refuse_if_signed(meeting)
    code = get_code(meeting.body.municipal_code)
    now = timezone.now()
    vote = Vote(
        meeting=meeting,
        agenda_item=agenda_item,
        kind=Vote.Kind.OPEN,
        name=name.strip(),
        state=Vote.State.CLOSED,
        manual=True,
        opened_at=now,
        opened_by=actor,
        closed_at=now,
        closed_by=actor,
        municipal_code=code.key,
    )
    _set_counts(vote, yes, no, abstain)
    _record_attendance_numbers(vote)
    _apply_result(vote)
    vote.save()
    VoteCorrection.objects.create(
        vote=vote, new_counts=_counts(vote), reason=reason, corrected_by=actor
    )
    _write_minutes(vote)
    log(
        instance=meeting,
        action="wagtail.edit",
        user=actor,
        data={"vote": vote.pk, "manual": True, **_counts(vote)},
    )
    live_changed(meeting)
    return vote


@transaction.atomic
def vote_correct(
    *, actor, vote: Vote, yes: int, no: int, abstain: int, reason: str
) -> VoteCorrection:
    """Correct the counts of a closed vote, with the reason.

    Who: staff of the body or the meeting's chair, before the minutes are
    signed (afterwards: ``minutes_correct``). Not for roll-call votes, whose
    counts follow the named ballots. Keeps old and new counts, recomputes the
    result and rewrites the minutes. Locks the vote row; emits the live state
    on commit.
    """
    _require_conductor(actor, vote.meeting)
    reason = _check_manual(actor, yes, no, abstain, reason)
    vote = _lock_vote(vote)
    if vote.is_open:
        raise _refuse(_("Close the vote before correcting it."), "vote_open")
    if vote.kind == Vote.Kind.NAMED:
        raise _refuse(
            _(
                "The counts of a roll-call vote follow the named ballots and "
                "cannot be corrected by hand."
            ),
            "named_vote",
        )
    refuse_if_signed(vote.meeting)
    old = _counts(vote)
    _set_counts(vote, yes, no, abstain)
    _apply_result(vote)
    vote.save()
    correction = VoteCorrection.objects.create(
        vote=vote,
        old_counts=old,
        new_counts=_counts(vote),
        reason=reason,
        corrected_by=actor,
    )
    _write_minutes(vote)
    log(
        instance=vote.meeting,
        action="wagtail.edit",
        user=actor,
        data={"vote": vote.pk, "correction": correction.pk, **_counts(vote)},
    )
    live_changed(vote.meeting)
    return correction

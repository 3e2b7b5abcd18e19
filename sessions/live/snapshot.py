"""The ``state`` payload of a live meeting, per audience, and the member's
``me`` message.

Built from the database only (the state lives there); read-only, no
permission checks: callers decide who receives which audience. ``staff`` gets
everything, ``members`` (and the projector, which shows the members' payload)
everything but the attendance list. The ``public`` payload is not built here
but by the builder ``publicportal`` registers (see :mod:`.events`), which may
reuse the pieces below for what visibility allows.

Secret votes: no payload names a person together with a choice. Counts go out
only once a vote is closed; the roll call only for a closed named vote.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from documents.models import File
from gremien.models import Person

from ..models import (
    AgendaItem,
    Attendance,
    LiveSession,
    Meeting,
    SpeakerRequest,
    Vote,
)
from ..services import live as live_services
from ..services import voting
from ..services.live import live_of
from .events import MEMBERS, PROJECTOR, STAFF

INTERNAL_AUDIENCES = (STAFF, MEMBERS, PROJECTOR)


# --- pieces (also used by the public builder) ---------------------------------


def meeting_payload(meeting: Meeting, live: LiveSession | None) -> dict:
    running = meeting.state == Meeting.State.RUNNING
    return {
        "id": meeting.pk,
        "name": meeting.name,
        "state": meeting.state,
        "live": bool(live is not None and not live.ended and running),
        "ended": bool(live is not None and live.ended),
    }


def item_payload(item: AgendaItem) -> dict:
    return {
        "id": item.pk,
        "number": item.number,
        "name": item.name,
        "public": item.public,
    }


def current_item(live: LiveSession | None) -> AgendaItem | None:
    item = live.current_item if live is not None else None
    if item is None or item.deleted_at is not None:
        return None
    return item


def quorum_payload(meeting: Meeting, item: AgendaItem | None) -> dict:
    result = voting.quorum(meeting, item)
    biased = 0
    if item is not None:
        biased = len(voting._voters_present(item) & voting._biased(item))
    return {
        "present": result.counted,
        "required": result.required,
        "quorate": result.reached,
        "biased": biased,
        "basis": result.legal_basis,
    }


def speakers_of(item: AgendaItem | None, names: dict[int, str] | None = None):
    """Open requests to speak on ``item``: the speaker first, then the
    waiting ones in order. ``names`` restricts the names shown (persons not
    in it get an empty name)."""
    result = []
    for row in live_services.speakers_of(item):
        name = row.person.name
        if names is not None:
            name = names.get(row.person_id, "")
        result.append(
            {"id": row.pk, "person": row.person_id, "name": name, "state": row.state}
        )
    return result


def vote_of(meeting: Meeting, item: AgendaItem | None) -> Vote | None:
    """The open vote of the meeting, else the latest vote on the current
    item (its result stays on the screens until the item changes)."""
    vote = (
        Vote.objects.filter(meeting=meeting, state=Vote.State.OPEN)
        .select_related("agenda_item")
        .first()
    )
    if vote is None and item is not None:
        vote = (
            Vote.objects.filter(agenda_item=item)
            .select_related("agenda_item")
            .order_by("-pk")
            .first()
        )
    return vote


def vote_payload(vote: Vote | None) -> dict | None:
    if vote is None:
        return None
    closed = not vote.is_open
    roll_call = []
    if closed and vote.kind == Vote.Kind.NAMED:
        roll_call = [
            {"name": ballot.person.name, "vote": ballot.choice}
            for ballot in vote.ballots.select_related("person")
        ]
    result_label = str(Vote.Result(vote.result).label) if vote.result else ""
    return {
        "id": vote.pk,
        "item": vote.agenda_item_id,
        "name": vote.name or vote.agenda_item.name,
        "kind": vote.kind,
        "state": vote.state,
        "cast": vote.cast,
        "entitled": vote.entitled,
        "present": vote.present,
        "result": vote.result,
        "result_label": result_label,
        "counts": (
            {"yes": vote.votes_yes, "no": vote.votes_no, "abstain": vote.votes_abstain}
            if closed
            else None
        ),
        "roll_call": roll_call,
        "basis": vote.legal_basis,
        "manual": vote.manual,
    }


def _item_files(item: AgendaItem) -> list[dict]:
    files = File.objects.alive().filter(agenda_item=item).order_by("order", "pk")
    paper_files = File.objects.none()
    consultation = getattr(item, "consultation", None)
    try:
        paper_id = consultation.paper_id if consultation is not None else None
    except Exception:  # no consultation row
        paper_id = None
    if paper_id:
        paper_files = File.objects.alive().filter(paper_id=paper_id)
    return [
        {"name": f.name, "url": _member_file_url(item.meeting_id, f.pk)}
        for f in [*files, *paper_files.order_by("order", "pk")]
    ]


def _member_file_url(meeting_id: int, file_id: int) -> str | None:
    """The download for readers of the non-public part (``member_file``)."""
    try:
        return reverse("member_file", args=[meeting_id, file_id])
    except NoReverseMatch:
        return None


def _attendance(meeting: Meeting) -> list[dict]:
    """The attendance list of the chair's console: every person who may be
    checked in, with their attendance if recorded."""
    rows = {
        row.person_id: row
        for row in Attendance.objects.filter(meeting=meeting).select_related("person")
    }
    seats = (
        live_services.entitled_seats(meeting)
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    result: list[dict] = []
    seen: set[int] = set()
    for seat in seats:
        if seat.person_id in seen:
            continue
        seen.add(seat.person_id)
        row = rows.get(seat.person_id)
        result.append(_attendance_row(seat.person, row, seat.kind, seat.organization))
    for person_id, row in rows.items():
        if person_id not in seen:
            result.append(_attendance_row(row.person, row, "", None))
    return result


def _attendance_row(person: Person, row, kind: str, organization) -> dict:
    return {
        "person": person.pk,
        "name": person.name,
        "status": row.status if row is not None else None,
        "capacity": row.capacity if row is not None else None,
        "kind": kind,
        "substitute_for": row.substitute_for_id if row is not None else None,
        "organization": organization.name if organization is not None else "",
    }


def _persons(meeting: Meeting, extra: set[int]) -> dict[str, str]:
    ids = set(live_services.entitled_seats(meeting).values_list("person", flat=True))
    ids |= set(
        Attendance.objects.filter(meeting=meeting).values_list("person", flat=True)
    )
    ids |= extra
    return {
        str(person.pk): person.name
        for person in Person.objects.filter(pk__in=ids).only(
            "pk", "title", "given_name", "affix", "family_name"
        )
    }


# --- the payloads -------------------------------------------------------------


def build(meeting: Meeting, audience: str) -> dict:
    """The ``state`` payload of ``meeting`` for ``staff``, ``members`` or
    ``projector`` (the projector gets the members' payload)."""
    if audience not in INTERNAL_AUDIENCES:
        raise ValueError(f"not an internal audience: {audience!r}")
    meeting = Meeting.objects.get(pk=meeting.pk)
    live = live_of(meeting)
    item = current_item(live)
    items = AgendaItem.objects.alive().filter(meeting=meeting).order_by("order")
    item_data = None
    present: set[int] = set()
    voters: set[int] = set()
    biased: set[int] = set()
    if item is not None:
        item_data = {**item_payload(item), "files": _item_files(item)}
        present = voting._voters_present(item)
        biased = voting._biased(item)
        voters = present - biased
    speakers = speakers_of(item)
    payload = {
        "type": "state",
        "version": live.version if live is not None else 0,
        "meeting": meeting_payload(meeting, live),
        "items": [item_payload(i) for i in items],
        "item": item_data,
        "quorum": quorum_payload(meeting, item),
        "present": sorted(present),
        "voters": sorted(voters),
        "biased": sorted(biased),
        "speakers": speakers,
        "vote": vote_payload(vote_of(meeting, item)),
        "persons": _persons(
            meeting, present | biased | {s["person"] for s in speakers}
        ),
    }
    if audience == STAFF:
        payload["attendance"] = _attendance(meeting)
    return payload


def _can_vote_reason(meeting: Meeting, item: AgendaItem | None, person: Person):
    if item is None:
        return "no_item"
    return voting.entitlement_refusal(Vote(meeting=meeting, agenda_item=item), person)


def ballot_of(vote: Vote | None, person: Person) -> dict | None:
    """The person's own receipt in ``vote`` (never their choice in a secret
    vote)."""
    confirmation = live_services.ballot_of(vote, person) if vote is not None else None
    if confirmation is None:
        return None
    return {
        "vote": confirmation.vote_id,
        "receipt": str(confirmation.receipt),
        "client_id": str(confirmation.client_id),
        "choice": confirmation.choice,
    }


def me(meeting: Meeting, person: Person) -> dict:
    """The member's own ``me`` message: ballot receipt in the current vote,
    open request to speak, and why they cannot vote now (or ``None``)."""
    live = live_of(meeting)
    item = current_item(live)
    vote = vote_of(meeting, item)
    request = None
    if item is not None:
        request = (
            SpeakerRequest.objects.filter(
                agenda_item=item,
                person=person,
                state__in=SpeakerRequest.OPEN_STATES,
            )
            .only("pk", "state")
            .first()
        )
    vote_item = vote.agenda_item if vote is not None and vote.is_open else item
    return {
        "type": "me",
        "person": person.pk,
        "name": person.name,
        "ballot": ballot_of(vote, person),
        "speaker_request": (
            {"id": request.pk, "state": request.state} if request is not None else None
        ),
        "can_vote_reason": _can_vote_reason(meeting, vote_item, person),
    }

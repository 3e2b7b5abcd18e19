"""The documents of a meeting as PDFs: invitation, agenda, minutes and
resolution extract.

Invitation and agenda print a :class:`~sessions.pdf.selection.MeetingSelection`
and nothing beyond it, so a public selection gives a public document. The
minutes print the items the caller passes (internal: all; the portal passes
its public minutes items); the resolution extract is internal. Everything is
rendered by :mod:`documents.pdf.render` (German, tagged PDF/UA-1; archival
minutes PDF/A-3b).
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone, translation

from documents.pdf.render import (
    DOCUMENT_LANGUAGE,
    PDF_A,
    PDF_UA,
    RenderedPDF,
    render_counted,
)
from gremien.rules import LOCAL_TIME, get_code

from ..models import AgendaItem, Attendance, Consultation, ItemMinutes, Meeting, Minutes
from ..services.invitations import _signatory, invitation_period_days
from ..services.minutes import item_vote_outcome
from .selection import MEMBER, ItemPart, MeetingSelection

PUBLIC_PART = "Öffentlicher Teil"
NONPUBLIC_PART = "Nichtöffentlicher Teil"
VOTE_LABELS = {"yes": "Ja", "no": "Nein", "abstain": "Enthaltung"}


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(LOCAL_TIME) if moment else None


def _day(meeting: Meeting) -> str:
    return _local(meeting.start).strftime("%d.%m.%Y")


def _running_context(meeting: Meeting, organizations: Iterable) -> str:
    names = ", ".join(o.name for o in organizations) or meeting.name
    return f"{names} · Sitzung am {_day(meeting)}"


def _place(meeting: Meeting) -> str:
    """Where the body writes from (the locality of its address)."""
    location = meeting.body.location
    return location.locality if location is not None else ""


def _meeting_context(meeting: Meeting, organizations: list) -> dict:
    return {
        "meeting": meeting,
        "body": meeting.body,
        "organizations": organizations,
        "organization_names": ", ".join(o.name for o in organizations),
        "start": _local(meeting.start),
        "end": _local(meeting.end),
        "location": meeting.location,
        "running_context": _running_context(meeting, organizations),
        "created": timezone.now(),
    }


# --- agenda rows ----------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    pk: int
    number: str
    name: str
    paper_reference: str
    addendum: bool
    depth: int
    page: int | None = None


@dataclass
class AgendaPart:
    heading: str
    public: bool
    rows: list[AgendaRow] = field(default_factory=list)


def _depths(parts: list[ItemPart]) -> dict[int, int]:
    depth: dict[int, int] = {}
    for part in parts:
        item = part.item
        parent = depth.get(item.parent_id) if item.parent_id else None
        depth[item.pk] = 0 if parent is None else min(parent + 1, 2)
    return depth


def agenda_parts(
    selection: MeetingSelection, page_numbers: Mapping[int, int] | None = None
) -> list[AgendaPart]:
    """The public part, then (when the selection has non-public items, i.e.
    for members) the non-public part."""
    depth = _depths(selection.items)
    public = AgendaPart(PUBLIC_PART, True)
    nonpublic = AgendaPart(NONPUBLIC_PART, False)
    for part in selection.items:
        item = part.item
        row = AgendaRow(
            pk=item.pk,
            number=item.number,
            name=item.name,
            paper_reference=part.paper.reference if part.paper else "",
            addendum=item.addendum,
            depth=depth[item.pk],
            page=(page_numbers or {}).get(item.pk),
        )
        (public if part.public else nonpublic).rows.append(row)
    return [public, nonpublic] if nonpublic.rows else [public]


def _agenda_context(
    selection: MeetingSelection,
    page_numbers: Mapping[int, int] | None,
    item_links: bool,
) -> dict:
    return {
        "parts": agenda_parts(selection, page_numbers),
        "page_numbers": page_numbers is not None,
        "item_links": item_links,
        "members": selection.audience == MEMBER,
    }


# --- invitation and agenda --------------------------------------------------------


def _signatory_lines(meeting: Meeting) -> list[str]:
    return _signatory(meeting, None).splitlines()


def invitation_context(selection: MeetingSelection) -> dict:
    meeting = selection.meeting
    context = _meeting_context(meeting, selection.organizations)
    code = get_code(meeting.body.municipal_code)
    sent = meeting.invitation_sent_at or timezone.now()
    context.update(
        _agenda_context(selection, None, False),
        title=f"Einladung – {meeting.name} am {_day(meeting)}",
        footer_title=f"Einladung · {meeting.name} · {_day(meeting)}",
        letter_date=_local(sent),
        letter_place=_place(meeting),
        period_days=invitation_period_days(meeting),
        period_basis=code.invitation_basis,
        # The reason for urgency is printed on the members' invitation; the
        # public rules do not cover it, so the public copy leaves it out.
        urgent_reason=meeting.urgent_reason if selection.audience == MEMBER else "",
        signatory=_signatory_lines(meeting),
    )
    return context


def invitation_pdf(selection: MeetingSelection) -> RenderedPDF:
    """Einladung: addressees (the organizations), date, time and place, the
    agenda of the selection, the invitation deadline and the signature."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = invitation_context(selection)
    return render_counted("sessions/pdf/invitation.html", context)


def agenda_context(
    selection: MeetingSelection,
    *,
    page_numbers: Mapping[int, int] | None = None,
    item_links: bool = False,
) -> dict:
    meeting = selection.meeting
    context = _meeting_context(meeting, selection.organizations)
    context.update(
        _agenda_context(selection, page_numbers, item_links),
        title=f"Tagesordnung – {meeting.name} am {_day(meeting)}",
        footer_title=f"Tagesordnung · {meeting.name} · {_day(meeting)}",
    )
    return context


def agenda_pdf(
    selection: MeetingSelection,
    *,
    page_numbers: Mapping[int, int] | None = None,
    item_links: bool = False,
) -> RenderedPDF:
    """Tagesordnung of the selection: "Öffentlicher Teil", then for members
    "Nichtöffentlicher Teil". ``page_numbers`` ({agenda item pk: page}) adds a
    right-aligned "Seite" column; ``item_links`` makes each title a link to
    ``pack:item-<pk>`` (the session pack turns these into internal links)."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = agenda_context(
            selection, page_numbers=page_numbers, item_links=item_links
        )
    return render_counted("sessions/pdf/agenda.html", context)


# --- minutes ----------------------------------------------------------------------


@dataclass
class Vote:
    """What the minutes say about the vote on one item."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    unanimous: bool = False
    outcome: str = ""
    legal_basis: str = ""
    roll_call: list[tuple[str, str]] = field(default_factory=list)
    biased: list[str] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.yes is not None or self.no is not None

    @property
    def recorded(self) -> bool:
        return bool(
            self.counted or self.unanimous or self.outcome or self.roll_call
        ) or bool(self.biased)


def vote_of(record: ItemMinutes | None) -> Vote:
    if record is None:
        return Vote()
    outcome = item_vote_outcome(record)
    return Vote(
        yes=record.votes_yes,
        no=record.votes_no,
        abstain=record.votes_abstain,
        unanimous=record.unanimous,
        outcome=outcome.explanation if outcome else "",
        legal_basis=outcome.legal_basis if outcome else "",
        roll_call=[
            (entry.get("name", ""), VOTE_LABELS.get(entry.get("vote"), ""))
            for entry in record.roll_call
        ],
        biased=[person.name for person in record.biased.all()],
    )


@dataclass
class MinutesItem:
    item: AgendaItem
    paper: object  # documents.Paper or None
    record: ItemMinutes | None
    vote: Vote


_UNSET = object()


def _one(value):
    """A reverse one-to-one prefetched to an attribute may be a list."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _paper(item: AgendaItem, consultations: dict[int, Consultation]):
    """The item's paper: the portal's ``public_consultation`` when the item
    carries one (public minutes), else the live consultation's live paper."""
    consultation = _one(getattr(item, "public_consultation", _UNSET))
    if consultation is _UNSET:
        consultation = consultations.get(item.pk)
    if consultation is None or consultation.paper.deleted:
        return None
    return consultation.paper


def _record(item: AgendaItem, records: dict[int, ItemMinutes]):
    record = _one(getattr(item, "public_item_minutes", _UNSET))
    return records.get(item.pk) if record is _UNSET else record


def minutes_items(meeting: Meeting, items: Iterable[AgendaItem]) -> list[MinutesItem]:
    items = [item for item in items if item.meeting_id == meeting.pk]
    consultations = {
        c.agenda_item_id: c
        for c in Consultation.objects.alive()
        .filter(agenda_item__in=[i.pk for i in items])
        .select_related("paper")
    }
    records = {
        r.agenda_item_id: r
        for r in ItemMinutes.objects.filter(
            agenda_item__in=[i.pk for i in items]
        ).prefetch_related("biased")
    }
    result = []
    for item in items:
        item.meeting = meeting  # the vote rules read the body through it
        record = _record(item, records)
        if record is not None:
            record.agenda_item = item
        result.append(
            MinutesItem(item, _paper(item, consultations), record, vote_of(record))
        )
    return result


@dataclass(frozen=True)
class Present:
    name: str
    note: str = ""


ATTENDANCE_GROUPS = (
    (Attendance.Capacity.CHAIR, "Vorsitz"),
    (Attendance.Capacity.MEMBER, "Mitglieder"),
    (Attendance.Capacity.DEPUTY, "Stellvertretung"),
    (Attendance.Capacity.ADMINISTRATION, "Verwaltung"),
    (Attendance.Capacity.CLERK, "Schriftführung"),
    (Attendance.Capacity.GUEST, "Gäste"),
)


def _presence_note(attendance: Attendance) -> str:
    notes = []
    if attendance.substitute_for_id:
        notes.append(f"für {attendance.substitute_for.name}")
    if attendance.arrived_before_id:
        notes.append(f"ab TOP {attendance.arrived_before.number}".strip())
    if attendance.left_after_id:
        notes.append(f"bis TOP {attendance.left_after.number}".strip())
    return ", ".join(notes)


def attendance_groups(
    meeting: Meeting, named: Collection[int] | None
) -> list[tuple[str, list[Present]]]:
    """Who was there, by capacity, then who was excused or absent."""
    attendances = [
        a
        for a in meeting.attendances.select_related(
            "person", "substitute_for", "arrived_before", "left_after"
        ).order_by("person__family_name", "person__given_name")
        if not a.person.deleted and (named is None or a.person_id in named)
    ]
    present = [a for a in attendances if a.status == Attendance.Status.PRESENT]
    groups = []
    for capacity, label in ATTENDANCE_GROUPS:
        people = [
            Present(a.person.name, _presence_note(a))
            for a in present
            if a.capacity == capacity
        ]
        if people:
            groups.append((label, people))
    for status, label in (
        (Attendance.Status.EXCUSED, "Entschuldigt"),
        (Attendance.Status.ABSENT, "Unentschuldigt abwesend"),
    ):
        people = [Present(a.person.name) for a in attendances if a.status == status]
        if people:
            groups.append((label, people))
    return groups


@dataclass(frozen=True)
class Signatory:
    role: str
    name: str
    signed_at: datetime | None


def _person_name(person, named: Collection[int] | None) -> str:
    if (
        person is None
        or person.deleted
        or (named is not None and person.pk not in named)
    ):
        return ""
    return person.name


def signatories(
    minutes: Minutes | None, named: Collection[int] | None
) -> list[Signatory]:
    if minutes is None:
        return [Signatory("Vorsitz", "", None), Signatory("Schriftführung", "", None)]
    return [
        Signatory(
            "Vorsitz",
            _person_name(minutes.chair, named),
            _local(minutes.chair_signed_at),
        ),
        Signatory(
            "Schriftführung",
            _person_name(minutes.clerk, named),
            _local(minutes.clerk_signed_at),
        ),
    ]


def minutes_context(
    meeting: Meeting,
    *,
    items: Iterable[AgendaItem],
    public_persons: Collection[int] | None = None,
) -> dict:
    minutes = (
        Minutes.objects.filter(meeting=meeting).select_related("chair", "clerk").first()
    )
    organizations = [o for o in meeting.organizations.order_by("name") if not o.deleted]
    context = _meeting_context(meeting, organizations)
    entries = minutes_items(meeting, items)
    public = [e for e in entries if e.item.public]
    nonpublic = [e for e in entries if not e.item.public]
    officers = signatories(minutes, public_persons)
    parts = [(PUBLIC_PART, public)]
    if nonpublic:
        parts.append((NONPUBLIC_PART, nonpublic))
    context.update(
        title=f"Niederschrift – {meeting.name} am {_day(meeting)}",
        footer_title=f"Niederschrift · {meeting.name} · {_day(meeting)}",
        minutes=minutes,
        # The called start; Minutes.opened_at is when the record was opened.
        end=_local(meeting.end or (minutes.closed_at if minutes else None)),
        show_end=True,
        draft=minutes is None or not minutes.signed,
        attendance=attendance_groups(meeting, public_persons),
        # General remarks are not covered by the public rules: internal only.
        remarks=minutes.remarks if minutes and public_persons is None else "",
        parts=parts,
        signatories=officers,
        officers=officers,
    )
    return context


def minutes_pdf(
    meeting: Meeting,
    *,
    items: Iterable[AgendaItem],
    archival: bool = False,
    public_persons: Collection[int] | None = None,
) -> RenderedPDF:
    """Niederschrift: head, attendance, per item paper, discussion, motions,
    statements, resolution, result, votes and bias, then the signatures.

    ``items``: the agenda items to include (internal: all of the meeting; the
    public minutes: ``publicportal.minutes.public_minutes_items``, whose
    ``public_consultation``/``public_item_minutes`` are used when present).
    ``public_persons``: for a public document, the ids of the persons that may
    be named (attendance and signatures; the general remarks are left out);
    ``None`` names everyone. ``archival`` renders PDF/A-3b instead of PDF/UA-1.
    """
    with translation.override(DOCUMENT_LANGUAGE):
        context = minutes_context(meeting, items=items, public_persons=public_persons)
    return render_counted(
        "sessions/pdf/minutes.html", context, variant=PDF_A if archival else PDF_UA
    )


# --- resolution extract ---------------------------------------------------------------


def resolution_extract_context(agenda_item: AgendaItem) -> dict:
    # Read afresh: the extract must show what is recorded now.
    agenda_item = AgendaItem.objects.select_related(
        "meeting__body", "meeting__location"
    ).get(pk=agenda_item.pk)
    meeting = agenda_item.meeting
    organizations = [o for o in meeting.organizations.order_by("name") if not o.deleted]
    context = _meeting_context(meeting, organizations)
    entry = minutes_items(meeting, [agenda_item])[0]
    minutes = Minutes.objects.filter(meeting=meeting).select_related("clerk").first()
    label = f"{agenda_item.number} {agenda_item.name}".strip()
    context.update(
        title=f"Beschlussauszug – {label} ({meeting.name} am {_day(meeting)})",
        footer_title=f"Beschlussauszug · {agenda_item.number or agenda_item.name} · "
        f"{meeting.name} · {_day(meeting)}",
        entry=entry,
        clerk=_person_name(minutes.clerk, None) if minutes else "",
        letter_place=_place(meeting),
        signed=minutes is not None and minutes.signed,
    )
    return context


def resolution_extract_pdf(agenda_item: AgendaItem) -> RenderedPDF:
    """Beschlussauszug of one item for the departments (internal; may be a
    non-public item, then marked so): the content of
    :func:`sessions.extracts.resolution_extract`."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = resolution_extract_context(agenda_item)
    return render_counted("sessions/pdf/resolution_extract.html", context)

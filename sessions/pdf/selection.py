"""What goes into a meeting's documents: the items, their papers and files.

Two audiences:

- ``member``: everything of the meeting that is not deleted, including the
  non-public items; each part says whether the public may see it, so that
  the member pack can mark the pages of non-public parts;
- ``public``: only what the public may see.

Which parts are public is decided by :mod:`publicportal.visibility` and by
nothing else. ``sessions`` must not import the portal (layering), so the portal
registers its rules here when it starts (:func:`register_public_rules`).
Without registered rules nothing counts as public: the public selection is
empty and every member page is marked.
"""

from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Prefetch

from documents.models import File, Paper
from gremien.models import Organization

from ..models import AgendaItem, Consultation, Meeting

MEMBER = "member"
PUBLIC = "public"


class PublicRules(Protocol):
    """What the public may see of one meeting (ids of its objects)."""

    def agenda_public(self, meeting: Meeting) -> bool: ...

    def item_ids(self, meeting: Meeting) -> set[int]: ...

    def paper_ids(self, meeting: Meeting) -> set[int]: ...

    def file_ids(self, meeting: Meeting) -> set[int]: ...

    def organization_ids(self, meeting: Meeting) -> set[int]: ...

    def consultation_ids(self, meeting: Meeting) -> set[int]: ...


class _NothingPublic:
    def agenda_public(self, meeting):
        return False

    def item_ids(self, meeting):
        return set()

    paper_ids = file_ids = organization_ids = consultation_ids = item_ids


_registered: list[PublicRules] = [_NothingPublic()]


def register_public_rules(rules: PublicRules) -> None:
    """Called by the portal's ``AppConfig.ready``."""
    _registered[0] = rules


def public_rules() -> PublicRules:
    return _registered[0]


@dataclass
class FilePart:
    """An attached file (a PDF) of a paper or an item."""

    file: File
    public: bool


@dataclass
class ItemPart:
    """One agenda item with its paper and files, in agenda order."""

    item: AgendaItem
    public: bool
    paper: Paper | None = None
    paper_public: bool = False
    #: the paper's consultation path (for the paper document), in order
    consultations: list[Consultation] = field(default_factory=list)
    #: PDFs attached to the paper, then to the item
    files: list[FilePart] = field(default_factory=list)


@dataclass
class MeetingSelection:
    meeting: Meeting
    audience: str
    organizations: list[Organization]
    items: list[ItemPart]
    #: files of the meeting itself (e.g. the invitation as uploaded)
    meeting_files: list[FilePart]

    @property
    def has_non_public(self) -> bool:
        return any(
            not part.public or any(not f.public for f in part.files)
            for part in self.items
        )


def _pdf_files(queryset):
    return queryset.alive().filter(mime_type="application/pdf").order_by("order", "pk")


def _items(meeting: Meeting):
    """All live items of the meeting with consultation, paper, its
    consultation path and the PDFs: a fixed number of queries."""
    consultations = Consultation.objects.alive().select_related("paper")
    return (
        AgendaItem.objects.alive()
        .filter(meeting=meeting)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "consultation",
                queryset=consultations.filter(
                    paper__deleted_at__isnull=True
                ).prefetch_related(
                    Prefetch(
                        "paper__files",
                        queryset=_pdf_files(File.objects),
                        to_attr="pdf_files",
                    ),
                    Prefetch(
                        "paper__consultations",
                        queryset=Consultation.objects.alive()
                        .select_related("meeting", "agenda_item")
                        .prefetch_related("organizations")
                        .order_by("position"),
                        to_attr="path",
                    ),
                ),
                to_attr="live_consultation",
            ),
            Prefetch("files", queryset=_pdf_files(File.objects), to_attr="pdf_files"),
        )
    )


def _consultation(item: AgendaItem) -> Consultation | None:
    found = getattr(item, "live_consultation", None)
    if isinstance(found, list):  # a reverse one-to-one prefetched to an attribute
        return found[0] if found else None
    return found


def meeting_selection(meeting: Meeting, audience: str) -> MeetingSelection:
    """The contents of ``meeting``'s documents for ``audience`` (``MEMBER``
    or ``PUBLIC``). Member access is checked by the caller."""
    if audience not in (MEMBER, PUBLIC):
        raise ValueError(f"unknown audience {audience!r}")
    rules = public_rules()
    agenda_public = rules.agenda_public(meeting)
    public_items = rules.item_ids(meeting) if agenda_public else set()
    public_papers = rules.paper_ids(meeting) if agenda_public else set()
    public_files = rules.file_ids(meeting) if agenda_public else set()
    public_organizations = rules.organization_ids(meeting)
    public_consultations = rules.consultation_ids(meeting) if agenda_public else set()
    parts = []
    for item in _items(meeting):
        item_public = item.pk in public_items
        if audience == PUBLIC and not item_public:
            continue
        part = ItemPart(item=item, public=item_public)
        consultation = _consultation(item)
        if consultation is not None:
            paper = consultation.paper
            paper_public = paper.pk in public_papers
            if audience == MEMBER or paper_public:
                part.paper, part.paper_public = paper, paper_public
                part.consultations = [
                    c
                    for c in paper.path
                    if audience == MEMBER or c.pk in public_consultations
                ]
                part.files += [
                    FilePart(f, f.pk in public_files) for f in paper.pdf_files
                ]
        part.files += [FilePart(f, f.pk in public_files) for f in item.pdf_files]
        if audience == PUBLIC:
            part.files = [f for f in part.files if f.public]
        parts.append(part)
    organizations = list(meeting.organizations.order_by("name"))
    meeting_files = [
        FilePart(f, f.pk in public_files)
        for f in _pdf_files(File.objects.filter(meeting=meeting))
    ]
    if audience == PUBLIC:
        organizations = [o for o in organizations if o.pk in public_organizations]
        meeting_files = [f for f in meeting_files if f.public]
    return MeetingSelection(meeting, audience, organizations, parts, meeting_files)

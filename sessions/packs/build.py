"""Assembling a session pack (Sitzungsmappe) from a meeting selection.

The pack is: cover, invitation, agenda as table of contents with page
numbers, then per agenda item its paper and the PDFs attached to it, in agenda
order. Bookmarks: "Deckblatt", "Einladung", "Tagesordnung", then one entry per
agenda item (sub-items under their item) with one child per document
("Vorlage …", "Anlage n: …"). The agenda's item titles link to the item's
first page.

Documents are made from their HTML: the template of ``documents.pdf`` or
``sessions.pdf`` rendered with that module's context function
(``paper_context``, ``invitation_context``, ``agenda_context``; what
``paper_pdf`` & Co. render), and laid out by WeasyPrint as those functions
do. The HTML is the part's key (:mod:`sessions.packs.keys`), and laying it
out needs no database, so missing parts are made in worker processes
(:mod:`sessions.packs.render`). Which parts a change makes again:

- a paper's text, consultation path or attachment names: that paper only;
- an attached file (new content): that file only;
- a part whose page count changes moves the page numbers: the agenda too;
- an agenda change (item added, moved, renamed, a paper's reference):
  invitation and agenda (both print the agenda);
- meeting data (name, date, time, place) or the organizations: cover,
  invitation and agenda (and the papers' consultation paths, if printed);
- the letter date of an invitation not yet sent is today: its invitation
  changes daily until it is sent.

Items without paper and files get no pages of their own: their bookmark
points to the agenda page that lists them, and their agenda line has no page
number (a separator page per item would add empty pages to every printout).

No state, no models of its own: the selection decides what is in the pack
(member or public), :mod:`sessions.packs.service` keeps packs and files.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from documents.pdf.paper import TEMPLATE as PAPER_TEMPLATE
from documents.pdf.paper import paper_context
from documents.pdf.render import DOCUMENT_LANGUAGE, layout_html
from gremien.rules import LOCAL_TIME

from ..pdf.documents import agenda_context, invitation_context
from ..pdf.selection import MEMBER, PUBLIC, FilePart, ItemPart, MeetingSelection
from .assemble import Assembler
from .canonical import LINK_PREFIX
from .keys import document_html, html_material, logo_stamp
from .parts import NoCache, Part, attachment_material, part_key, read_file
from .render import document_part, run_jobs

COVER_TEMPLATE = "sessions/pdf/pack_cover.html"
INVITATION_TEMPLATE = "sessions/pdf/invitation.html"
AGENDA_TEMPLATE = "sessions/pdf/agenda.html"
#: Layout rounds of the table of contents before it is padded instead.
TOC_ROUNDS = 4
ITEM_LINK = f"{LINK_PREFIX}item-"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PackEntry:
    """Where an agenda item is in the pack (pages are 1-based)."""

    item_pk: int
    title: str
    first_page: int
    public: bool
    #: (first, last) page of each of the item's documents, inclusive
    page_ranges: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class BuiltPack:
    data: bytes = field(repr=False)
    pages: int
    title: str
    items: list[PackEntry]
    #: 0-based pages of non-public parts (the member copy's watermark)
    nonpublic_pages: list[int]
    parts_rendered: int
    parts_reused: int
    #: labels of the parts made by this build ("cover", "paper 12", …)
    rendered: list[str]
    #: keys of every part in the pack (keep them when pruning the cache)
    part_keys: list[str]
    #: every part had a structure tree (uploaded PDFs may be untagged)
    tagged: bool
    #: layout rounds of the table of contents
    toc_rounds: int = 1
    #: processes that made the missing parts
    processes: int = 1
    #: seconds spent per step: "documents" (queries, HTML, keys), "parts"
    #: (reading and making), "agenda" (table of contents), "assembly"
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Job:
    """One part of the pack: found in the cache or to be made."""

    label: str
    key: str
    make: Callable[[], tuple]
    part: Part | None = None


@dataclass
class _Document:
    label: str
    public: bool
    job: _Job
    pages: range = range(0)


@dataclass
class _Item:
    part: ItemPart
    title: str
    documents: list[_Document]


# --- titles ------------------------------------------------------------------------


def pack_title(selection: MeetingSelection) -> str:
    meeting = selection.meeting
    day = meeting.start.astimezone(LOCAL_TIME).strftime("%d.%m.%Y")
    title = f"Sitzungsmappe {meeting.name} ({day})"
    return title if selection.audience == MEMBER else f"{title} – öffentlicher Teil"


def item_title(part: ItemPart) -> str:
    return f"{part.item.number} {part.item.name}".strip()


def _file_label(number: int, file_part: FilePart) -> str:
    file = file_part.file
    return f"Anlage {number}: {file.name or file.file_name}"


# --- the documents -----------------------------------------------------------------


def _local(moment):
    return moment.astimezone(LOCAL_TIME) if moment else None


def cover_context(selection: MeetingSelection) -> dict:
    """Deckblatt: body and logo, organizations, meeting, date, time, place,
    "Sitzungsmappe" and whose pack it is."""
    meeting = selection.meeting
    return {
        "title": pack_title(selection),
        "body": meeting.body,
        "meeting": meeting,
        "organizations": selection.organizations,
        "start": _local(meeting.start),
        "end": _local(meeting.end),
        "location": meeting.location,
        "members": selection.audience == MEMBER,
        "running_context": "",
        "created": timezone.now(),
    }


def _originators(selection: MeetingSelection, part: ItemPart):
    """The persons a paper of the pack names as originators: the selection's
    choice where it makes one; the public pack never names all of them."""
    chosen = getattr(part, "originator_persons", None)
    if chosen is None and selection.audience == PUBLIC:
        return []
    return chosen


def _prefetch(selection: MeetingSelection) -> None:
    """What the papers print, in a few queries for all of them."""
    papers = [part.paper for part in selection.items if part.paper is not None]
    prefetch_related_objects(
        papers,
        "body",
        "originator_organizations",
        "originator_persons",
        "under_direction_of",
    )
    consultations = [c for part in selection.items for c in part.consultations]
    prefetch_related_objects(consultations, "agenda_item")


def _html_job(label: str, template: str, context: dict, logo: str) -> _Job:
    html = document_html(template, context)
    return _Job(label, part_key(html_material(html, logo=logo)), lambda: ("html", html))


def _paper_job(selection, part: ItemPart, logo: str) -> _Job:
    with translation.override(DOCUMENT_LANGUAGE):
        context = paper_context(
            part.paper,
            consultations=part.consultations,
            files=[f.file for f in part.files],
            nonpublic_note=not part.paper_public,
            originator_persons=_originators(selection, part),
        )
    return _html_job(f"paper {part.paper.pk}", PAPER_TEMPLATE, context, logo)


def _file_job(file) -> _Job:
    def make() -> tuple:
        if not file.content:
            read_file(file)  # raises the error that names the file
        if file.content.storage is default_storage:
            return ("stored", file.content.name, file.name)
        return ("attachment", read_file(file), file.name)

    return _Job(f"file {file.pk}", part_key(attachment_material(file)), make)


def _items(selection: MeetingSelection, logo: str) -> list[_Item]:
    items = []
    for part in selection.items:
        documents = []
        if part.paper is not None:
            label = f"Vorlage {part.paper.reference}".strip()
            public = part.public and part.paper_public
            documents.append(
                _Document(label, public, _paper_job(selection, part, logo))
            )
        for number, file_part in enumerate(part.files, start=1):
            public = part.public and file_part.public
            documents.append(
                _Document(
                    _file_label(number, file_part), public, _file_job(file_part.file)
                )
            )
        items.append(_Item(part, item_title(part), documents))
    return items


def _check_public(selection: MeetingSelection) -> None:
    """A public selection holds public parts only (the selection's job; a
    pack never relies on it alone)."""
    if selection.audience != PUBLIC:
        return
    for part in selection.items:
        hidden = (
            not part.public
            or (part.paper is not None and not part.paper_public)
            or any(not f.public for f in part.files)
        )
        if hidden:
            raise ValueError(f"non-public part in a public selection: {part.item.pk}")


# --- making the parts --------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


class _Progress:
    def __init__(self, callback: Progress | None, total: int):
        self.callback = callback
        self.total = total
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(self.done, self.total)


def _make_parts(jobs: list[_Job], cache, progress: _Progress) -> int:
    """Reads what the cache has, makes the rest (several processes);
    returns the number of processes used."""
    missing: dict[str, list[_Job]] = {}
    for job in jobs:
        if job.key in missing:  # the same file twice: made once
            missing[job.key].append(job)
            continue
        job.part = cache.get(job.key)
        if job.part is None:
            missing[job.key] = [job]
        else:
            progress.step()
    waiting = list(missing.values())

    def done(index: int, canonical) -> None:
        part = cache.store(waiting[index][0].key, canonical)
        for job in waiting[index]:
            job.part = part
            progress.step()

    if not waiting:
        return 1
    # documents first, then the cheap attachments: the workers stay busy
    waiting.sort(key=lambda same: same[0].label.startswith("file"))
    return run_jobs([same[0].make() for same in waiting], done)


def _page_numbers(items: list[_Item], first: int) -> dict[int, int]:
    """{item pk: 1-based first page} when the items start on 0-based page
    ``first``; items without documents have none."""
    numbers, page = {}, first
    for item in items:
        if item.documents:
            numbers[item.part.item.pk] = page + 1
        page += sum(document.job.part.pages for document in item.documents)
    return numbers


def first_toc_guess(invitation: Part) -> int:
    """The invitation prints the same agenda: about as many pages."""
    return invitation.pages


def _table_of_contents(selection, items, before, guess, cache, logo) -> tuple:
    """The agenda with the page numbers it causes itself: laid out with a
    guessed length, again with the length found until it stays the same. A
    length that keeps changing (a page number one digit longer wraps a line)
    ends with the longest one, padded with empty pages. Lengths of rounds
    that did not fit are noted in the cache, so a rebuild lays out nothing.
    Returns the part, its length in the pack, the rounds and whether the part
    was made."""
    rounds = 0
    while True:
        rounds += 1
        numbers = _page_numbers(items, before + guess)
        with translation.override(DOCUMENT_LANGUAGE):
            context = agenda_context(selection, page_numbers=numbers, item_links=True)
        html = document_html(AGENDA_TEMPLATE, context)
        key = part_key(html_material(html, logo=logo))
        part = cache.get(key)
        pages = part.pages if part is not None else cache.pages_of(key)
        document = None
        if part is None and pages in (None, guess):
            document = layout_html(html)
            pages = len(document.pages)
        padded = rounds >= TOC_ROUNDS and pages < guess
        if pages == guess or padded:
            if part is not None:
                return part, guess, rounds, False
            document = document or layout_html(html)
            return cache.store(key, document_part(document)), guess, rounds, True
        if part is None:
            cache.note_pages(key, pages)
        if rounds >= 2 * TOC_ROUNDS:
            raise RuntimeError("the table of contents does not settle")
        guess = pages


# --- assembly ----------------------------------------------------------------------


def _assemble(selection, cover, invitation, toc, toc_length, items) -> tuple:
    pack = Assembler()
    pack.add(cover.data, cover.layout)
    invitation_pages = pack.add(invitation.data, invitation.layout)
    toc_pages = pack.add(toc.data, toc.layout)
    for _blank in range(toc_length - toc.pages):
        pack.add_blank(*toc.layout["page_size"])
    for item in items:
        for document in item.documents:
            part = document.job.part
            document.pages = pack.add(part.data, part.layout)
    lines = {
        int(link["uri"].removeprefix(ITEM_LINK)): toc_pages.start + link["page"]
        for link in reversed(toc.layout["links"])
        if link["uri"].startswith(ITEM_LINK)
    }
    first_pages = {
        item.part.item.pk: (
            item.documents[0].pages.start
            if item.documents
            else lines.get(item.part.item.pk, toc_pages.start)
        )
        for item in items
    }
    pack.bookmark("Deckblatt", 0)
    pack.bookmark("Einladung", invitation_pages.start)
    pack.bookmark("Tagesordnung", toc_pages.start)
    entries = {}
    for item in items:
        pk = item.part.item.pk
        parent = entries.get(item.part.item.parent_id)
        entries[pk] = pack.bookmark(item.title, first_pages[pk], parent)
        for document in item.documents:
            pack.bookmark(document.label, document.pages.start, entries[pk])
    titles = {item.part.item.pk: item.title for item in items}

    def resolve_link(uri: str, page: int) -> tuple[int, str]:
        pk = int(uri.removeprefix(ITEM_LINK)) if uri.startswith(ITEM_LINK) else None
        target = first_pages.get(pk, page)
        return target, f"{titles.get(pk, 'Tagesordnung')} – Seite {target + 1}"

    data = pack.finish(
        title=pack_title(selection),
        author=selection.meeting.body.name,
        resolve_link=resolve_link,
        # claim PDF/UA only if every part is tagged (uploads may not be)
        pdf_ua=pack.untagged == 0,
    )
    return data, first_pages, pack


def build_pack(
    selection: MeetingSelection,
    *,
    cache=None,
    progress: Progress | None = None,
) -> BuiltPack:
    """The session pack of ``selection`` (member or public).

    ``cache``: a :class:`~sessions.packs.parts.PartCache`, or ``None`` to make
    every part. ``progress(done, total)`` is called after each part. Raises
    :class:`~sessions.packs.parts.PartError` (German message) when an
    attached file cannot be read."""
    _check_public(selection)
    cache = cache if cache is not None else NoCache()
    clock = _Clock()
    _prefetch(selection)
    logo = logo_stamp(selection.meeting.body)
    cover = _html_job("cover", COVER_TEMPLATE, cover_context(selection), logo)
    with translation.override(DOCUMENT_LANGUAGE):
        context = invitation_context(selection)
    invitation = _html_job("invitation", INVITATION_TEMPLATE, context, logo)
    items = _items(selection, logo)
    jobs = [cover, invitation] + [d.job for item in items for d in item.documents]
    progress_ = _Progress(progress, len(jobs) + 1)
    clock.lap("documents")
    processes = _make_parts(jobs, cache, progress_)
    clock.lap("parts")

    before = cover.part.pages + invitation.part.pages
    toc, toc_length, rounds, toc_made = _table_of_contents(
        selection, items, before, first_toc_guess(invitation.part), cache, logo
    )
    progress_.step()
    clock.lap("agenda")
    data, first_pages, pack = _assemble(
        selection, cover.part, invitation.part, toc, toc_length, items
    )
    clock.lap("assembly")
    entries, nonpublic = [], []
    for item in items:
        for document in item.documents:
            if not document.public:
                nonpublic.extend(document.pages)
        entries.append(
            PackEntry(
                item_pk=item.part.item.pk,
                title=item.title,
                first_page=first_pages[item.part.item.pk] + 1,
                public=item.part.public,
                page_ranges=[(d.pages.start + 1, d.pages.stop) for d in item.documents],
            )
        )
    made = [job.label for job in jobs if not job.part.reused]
    if toc_made:
        made.append("agenda")
    return BuiltPack(
        data=data,
        pages=len(pack.pages),
        title=pack_title(selection),
        items=entries,
        nonpublic_pages=sorted(nonpublic),
        parts_rendered=len(made),
        parts_reused=len(jobs) + 1 - len(made),
        rendered=made,
        part_keys=sorted({job.key for job in jobs} | {toc.key}),
        tagged=pack.untagged == 0,
        toc_rounds=rounds,
        processes=processes,
        timings=clock.laps,
    )

"""PDF files of papers and meetings, stored content-addressed like uploads.

Blobs go to the path ``documents.models.file.file_storage_path`` gives an
upload (``files/<body>/<sha256[:2]>/<sha256>.pdf``), so identical documents
share one blob and many ``File`` rows can point at it. ``File.text`` holds the
text the PDF contains, as ``documents.tasks.file_extract_text`` would find it.
"""

import datetime
import html
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.base import ContentFile

from documents.models import File
from documents.models.file import file_storage_path
from documents.services import file_checksums
from sessions.models import Consultation

from .pdfgen import Block, RenderedPdf, render
from .schedule import BERLIN, PlannedMeeting

WEEKDAYS = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
]
ATTACHMENT_KINDS = [
    ("Lageplan", False),
    ("Kostenschätzung", False),
    ("Abwägungstabelle", False),
    ("Präsentation der Verwaltung", False),
    ("Gutachten", False),
    ("Satzungsentwurf", False),
    ("Vertragsentwurf", True),
    ("Stellungnahme des Seniorenbeirates", False),
]
ROLE_LABELS = {
    Consultation.Role.PRELIMINARY: "Vorberatung",
    Consultation.Role.DECIDING: "Entscheidung",
    Consultation.Role.INFORMATION: "Kenntnisnahme",
    Consultation.Role.HEARING: "Anhörung",
}


@dataclass(frozen=True)
class Blob:
    path: str
    size: int
    sha1: str
    sha256: str
    sha512: str
    text: str


def html_to_text(value: str) -> str:
    value = re.sub(r"<li>", "– ", value)
    value = re.sub(r"</(p|li|h3|h4)>", "\n", value)
    value = re.sub(r"<[^>]+>", "", value)
    return html.unescape(value).strip()


class BlobStore:
    """Writes each distinct PDF once per body; returns what a File row needs."""

    def __init__(self):
        self.storage = File._meta.get_field("content").storage
        self._known: dict[tuple[int, str], Blob] = {}
        self.written = 0

    def put(self, body_id: int, rendered: RenderedPdf) -> Blob:
        sums = file_checksums(rendered.data)
        key = (body_id, sums["sha256"])
        blob = self._known.get(key)
        if blob is not None:
            return blob
        path = file_storage_path(
            SimpleNamespace(body_id=body_id, sha256=sums["sha256"]), "x.pdf"
        )
        if not self.storage.exists(path):
            saved = self.storage.save(path, ContentFile(rendered.data))
            if saved != path:  # pragma: no cover - someone wrote the same blob
                self.storage.delete(saved)
            self.written += 1
        blob = Blob(path, len(rendered.data), text=rendered.text, **sums)
        self._known[key] = blob
        return blob

    def forget_body(self, body_id: int) -> None:
        self._known = {k: v for k, v in self._known.items() if k[0] != body_id}


def file_row(
    blob: Blob, *, body, name, file_name, role, date, order=0, restricted=False, **owner
) -> File:
    return File(
        body=body,
        name=name,
        file_name=file_name,
        mime_type="application/pdf",
        size=blob.size,
        sha1=blob.sha1,
        sha256=blob.sha256,
        sha512=blob.sha512,
        content=blob.path,
        text=blob.text,
        date=date,
        role=role,
        order=order,
        restricted=restricted,
        created=datetime.datetime(
            date.year, date.month, date.day, 10, 0, tzinfo=BERLIN
        ),
        **owner,
    )


def _blocks_from_html(value: str) -> list[Block]:
    return [Block("text", line) for line in html_to_text(value).split("\n") if line]


def paper_document(plan, *, spec) -> RenderedPdf:
    paper = plan.paper
    meta = [
        f"Vorlage-Nr.: {paper.reference}",
        f"Datum: {paper.date:%d.%m.%Y}",
        "Öffentlichkeit: " + ("öffentlich" if paper.public else "nichtöffentlich"),
    ]
    if plan.department is not None:
        meta.append(f"Federführung: {plan.department.name}")
    if plan.fraction is not None:
        meta.append(f"Antragsteller: {plan.fraction.name}")
    path = []
    for step in plan.steps:
        when = (
            f"{step.planned.day:%d.%m.%Y}"
            if step.planned is not None
            else "Termin offen"
        )
        path.append(f"{step.org.name} – {ROLE_LABELS[step.role]} – {when}")
    blocks = [
        Block("small", spec.name),
        Block("title", paper.paper_type),
        Block("text", "\n".join(meta)),
        Block("heading", "Betreff"),
        Block("text", paper.name),
        Block("heading", "Beratungsfolge"),
        Block("text", "\n".join(path)),
    ]
    if paper.proposal:
        blocks += [
            Block("heading", "Beschlussvorschlag"),
            *_blocks_from_html(paper.proposal),
        ]
    blocks += [Block("heading", "Sachverhalt"), *_blocks_from_html(paper.facts)]
    if paper.financial_impact:
        blocks += [
            Block("heading", "Finanzielle Auswirkungen"),
            *_blocks_from_html(paper.financial_impact),
        ]
    return render(
        blocks,
        title=paper.name,
        author=spec.name,
        footer=paper.reference,
        date=paper.date,
    )


def attachment_document(index: int, *, spec) -> tuple[str, bool, RenderedPdf]:
    kind, restricted = ATTACHMENT_KINDS[index % len(ATTACHMENT_KINDS)]
    variant = index // len(ATTACHMENT_KINDS) + 1
    blocks = [
        Block("small", spec.name),
        Block("title", f"{kind} ({variant})"),
        Block(
            "text",
            f"Diese Anlage gehört zu einer Vorlage der Verwaltung der {spec.name}. "
            f"Sie enthält {kind.lower() if kind[0] != 'P' else kind} in der Fassung "
            f"Nr. {variant} und ist Bestandteil der Beratungsunterlagen.",
        ),
        Block(
            "text",
            "Die Darstellung ist maßstabslos. Änderungen gegenüber der vorherigen "
            "Fassung sind kursiv hervorgehoben. Für Rückfragen steht der "
            "federführende Fachbereich zur Verfügung.",
        ),
    ]
    if restricted:
        blocks.append(
            Block("text", "Vertraulich – enthält personenbezogene Daten und Preise.")
        )
    return kind, restricted, render(blocks, title=kind, author=spec.name)


def _when_where(planned: PlannedMeeting) -> list[str]:
    meeting = planned.meeting
    start = meeting.start.astimezone(BERLIN)
    location = meeting.location
    return [
        f"Termin: {WEEKDAYS[start.weekday()]}, {start:%d.%m.%Y}, {start:%H:%M} Uhr",
        f"Ort: {location.description}, {location.room}, {location.street_address}, "
        f"{location.postal_code} {location.locality}",
    ]


def _listed(planned: PlannedMeeting, items) -> tuple[list, int]:
    """Items a file attached to the meeting may name: all for a non-public
    meeting, only the public ones otherwise (the file is as public as the meeting)."""
    if not planned.meeting.public:
        return list(items), 0
    return [i for i in items if i.public], sum(1 for i in items if not i.public)


def invitation_document(planned: PlannedMeeting, items, *, spec) -> RenderedPdf:
    listed, hidden = _listed(planned, items)
    blocks = [
        Block("small", spec.name),
        Block("title", "Einladung"),
        Block("text", f"zur {planned.meeting.name}"),
        Block("text", "\n".join(_when_where(planned))),
        Block(
            "text",
            "Sehr geehrte Damen und Herren, hiermit lade ich Sie zu der oben "
            "genannten Sitzung ein und bitte um Ihre Teilnahme.",
        ),
        Block("heading", "Tagesordnung"),
        Block("text", "\n".join(f"{i.number} {i.name}" for i in listed)),
    ]
    if hidden:
        blocks.append(
            Block(
                "text",
                f"Nichtöffentlicher Teil: {hidden} Tagesordnungspunkte; die "
                "Unterlagen erhalten die Mitglieder gesondert.",
            )
        )
    blocks.append(Block("text", "Mit freundlichen Grüßen\nIm Auftrag\nSitzungsdienst"))
    day = planned.day - datetime.timedelta(days=14)
    return render(
        blocks, title=f"Einladung {planned.meeting.name}", author=spec.name, date=day
    )


def minutes_document(planned: PlannedMeeting, items, *, spec) -> RenderedPdf:
    meeting = planned.meeting
    listed, hidden = _listed(planned, items)
    end = meeting.end.astimezone(BERLIN)
    blocks = [
        Block("small", spec.name),
        Block("title", "Niederschrift"),
        Block("text", f"über die {meeting.name}"),
        Block("text", "\n".join(_when_where(planned)) + f"\nEnde: {end:%H:%M} Uhr"),
    ]
    for item in listed:
        blocks.append(Block("heading", f"{item.number} {item.name}"))
        if item.result:
            blocks.append(Block("text", f"Ergebnis: {item.result_label}"))
        blocks.extend(_blocks_from_html(item.resolution_text))
    if hidden:
        blocks.append(
            Block(
                "text",
                "Über den nichtöffentlichen Teil wird eine gesonderte Niederschrift "
                "gefertigt.",
            )
        )
    day = planned.day + datetime.timedelta(days=14)
    return render(
        blocks, title=f"Niederschrift {meeting.name}", author=spec.name, date=day
    )

"""The paper (Vorlage) as printed: head, consultation path, texts, attachments.

What is printed is what the caller hands in: the consultation steps and the
attachments are chosen by the caller (for the public pack: only what the
public may see, see ``sessions.pdf.selection``). The paper's own texts are
printed as they are.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from gremien.rules import LOCAL_TIME

from ..models import Paper
from .render import RenderedPDF, render_counted

TEMPLATE = "documents/pdf/paper.html"


@dataclass(frozen=True)
class Step:
    """One row of the consultation path (Beratungsfolge)."""

    date: datetime | None
    organizations: str
    role: str
    result: str


def _result(consultation) -> str:
    """The outcome of the step: the agenda item's result once there is one;
    a cancelled meeting says so; otherwise nothing yet."""
    meeting = consultation.meeting
    if consultation.agenda_item_id:
        item = consultation.agenda_item
        if item is not None and not item.deleted and item.result_wording:
            return item.result_wording
    if meeting is not None and meeting.cancelled:
        return "Sitzung abgesagt"
    return ""


def consultation_steps(consultations: Iterable) -> list[Step]:
    steps = []
    for consultation in consultations:
        meeting = consultation.meeting
        organizations = [
            o.name for o in consultation.organizations.all() if not o.deleted
        ]
        steps.append(
            Step(
                date=meeting.start.astimezone(LOCAL_TIME) if meeting else None,
                organizations=", ".join(organizations) or "–",
                role=consultation.oparl_role,
                result=_result(consultation),
            )
        )
    return steps


def _file(entry):
    """A :class:`File` or a selection's ``FilePart``."""
    return getattr(entry, "file", entry)


def _alive(manager) -> list:
    return [obj for obj in manager.all() if not obj.deleted]


def paper_context(
    paper: Paper,
    *,
    consultations: Iterable,
    files: Iterable = (),
    nonpublic_note: bool = False,
    originator_persons: Iterable | None = None,
) -> dict:
    persons = (
        _alive(paper.originator_persons)
        if originator_persons is None
        else list(originator_persons)
    )
    type_label = paper.paper_type or "Vorlage"
    return {
        "paper": paper,
        "body": paper.body,
        "type_label": type_label,
        "title": f"{type_label} {paper.reference}: {paper.name}".strip(),
        "footer_title": f"{type_label} {paper.reference}".strip(),
        "running_context": f"Vorlage {paper.reference}".strip(),
        "originator_organizations": _alive(paper.originator_organizations),
        "originator_persons": persons,
        "lead": _alive(paper.under_direction_of),
        "steps": consultation_steps(consultations),
        "attachments": [_file(entry) for entry in files],
        "nonpublic_note": nonpublic_note,
        "created": timezone.now(),
    }


def paper_pdf(
    paper: Paper,
    *,
    consultations: Iterable,
    files: Iterable = (),
    nonpublic_note: bool = False,
    originator_persons: Iterable | None = None,
) -> RenderedPDF:
    """The Vorlage as a tagged PDF (PDF/UA-1).

    ``consultations``: the steps of the consultation path to print, in order
    (``Consultation`` objects; ``meeting``, ``organizations`` and
    ``agenda_item`` are read). ``files``: the attachments to list by name
    (``File`` objects or ``FilePart``\\ s). ``nonpublic_note`` prints the
    "Nichtöffentlich" label at the top. ``originator_persons``: the persons to
    name as originators; ``None`` names all of the paper's (internal use). A
    public document passes only the persons the public may see.
    """
    context = paper_context(
        paper,
        consultations=consultations,
        files=files,
        nonpublic_note=nonpublic_note,
        originator_persons=originator_persons,
    )
    return render_counted(TEMPLATE, context)

"""Pictures of the first page of a meeting's agenda and of a paper, for the
documentation: with GREMIEN_SCREENSHOTS=<folder> (``make screenshots``) they
are written as ``pdf-agenda.png`` and ``pdf-paper.png`` by poppler's
``pdftoppm``, as a reader's PDF viewer would show them."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from documents.pdf.paper import paper_pdf
from sessions.pdf.documents import agenda_pdf
from sessions.pdf.selection import MEMBER, meeting_selection
from tests.sessions.agenda_factories import Clock
from tests.sessions.pdf_session import build_session

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("GREMIEN_SCREENSHOTS"),
        reason="set GREMIEN_SCREENSHOTS=<folder> to write the pictures",
    ),
    pytest.mark.django_db,
]

#: A plain coat of arms: a shield with a tower, as many towns use.
LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" width="40" height="48"
 viewBox="0 0 40 48"><path d="M2 2h36v22c0 12-9 19-18 22C11 43 2 36 2 24z"
 fill="#1f3d5c"/><path d="M13 36V18h3v-4h3v4h2v-4h3v4h3v18z" fill="#fff"/>
 <path d="M18 36v-6a2 2 0 0 1 4 0v6z" fill="#1f3d5c"/></svg>"""


def folder() -> Path:
    path = Path(os.environ["GREMIEN_SCREENSHOTS"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def first_page_png(data: bytes, target: Path) -> None:
    source = target.with_suffix(".pdf")
    source.write_bytes(data)
    try:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", "1", "-l", "1"]
            + [str(source), str(target.with_suffix(""))],
            check=True,
        )
    finally:
        source.unlink()


def test_pictures_of_the_agenda_and_a_paper(monkeypatch):
    target = folder()
    session = build_session(Clock(monkeypatch), marker="")
    session.body.logo.save("wappen.svg", ContentFile(LOGO), save=True)
    selection = meeting_selection(session.meeting, MEMBER)
    part = next(part for part in selection.items if part.paper == session.plan)

    agenda = agenda_pdf(selection)
    paper = paper_pdf(part.paper, consultations=part.consultations, files=part.files)
    first_page_png(agenda.data, target / "pdf-agenda.png")
    first_page_png(paper.data, target / "pdf-paper.png")

    for name in ("pdf-agenda.png", "pdf-paper.png"):
        with Image.open(target / name) as picture:
            width, height = picture.size
        assert round(height / width, 2) == round(297 / 210, 2)  # an A4 page

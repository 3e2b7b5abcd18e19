"""The paper (Vorlage) as printed: head, consultation path, texts and
attachments, read back from the PDF."""

import re

import pytest

from documents.pdf.paper import paper_pdf
from sessions.pdf.selection import MEMBER, meeting_selection
from tests.documents.pdf_helpers import page_texts, pdf_text, structure
from tests.sessions.agenda_factories import Clock
from tests.sessions.pdf_session import build_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(monkeypatch):
    return build_session(Clock(monkeypatch))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\u2010\u00ad-]\n", "", text))


def part_of(session, paper):
    selection = meeting_selection(session.meeting, MEMBER)
    return next(part for part in selection.items if part.paper == paper)


def render(session, paper, **options):
    part = part_of(session, paper)
    return paper_pdf(
        part.paper, consultations=part.consultations, files=part.files, **options
    )


def test_the_paper_prints_head_path_texts_and_attachments(session):
    pdf = render(session, session.plan)

    text = flat(pdf_text(pdf.data))
    for expected in (
        "BESCHLUSSVORLAGE VO/2026/0001",
        "Bebauungsplan Nr. 12 „Am Mühlenbach“ – Billigung des Entwurfs",
        "Vorlagen-Nr. VO/2026/0001",
        "Datum 20.02.2026",
        "Vorlagenart Beschlussvorlage",
        "Federführung Fachbereich Planen und Bauen",
        "Beratungsfolge",
        "Datum Gremium Zuständigkeit Ergebnis",
        "12.03.2026 Ausschuss für Stadtentwicklung und Bauen Vorberatung empfohlen",
        "offen Rat der Stadt Entscheidung",
        "Beschlussvorschlag Der Bauausschuss empfiehlt dem Rat",
        "Sachverhalt Der Rat der Stadt hat am 14.05.2025",
        "Verkehrserschließung",  # a heading of the rich text
        "Quartiersgarage mit 80 Stellplätzen",  # a list item of the rich text
        "Finanzielle Auswirkungen Die Planungskosten von 85.000 €",
        "Anlagen Anlage 1 Planzeichnung Anlage 2 Abwägungsvorschläge "
        "Anlage 3 Verkehrsgutachten",
    ):
        assert expected in text, expected
    assert "Nichtöffentlich" not in text
    pages = page_texts(pdf.data)
    assert pdf.pages == len(pages) == 2
    assert all(f"Seite {n} von 2" in page for n, page in enumerate(pages, 1))
    assert all("Beschlussvorlage VO/2026/0001" in page for page in pages)


def test_the_paper_is_structured_for_screen_readers(session):
    pdf = render(session, session.plan)

    tags = [tag for tag, _ in structure(pdf.data)]
    headings = [tag for tag in tags if re.fullmatch(r"H\d", tag)]
    assert headings[0] == "H1" and headings.count("H1") == 1
    levels = [int(tag[1]) for tag in headings]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert "Table" in tags and tags.count("TH") >= 4 + 2  # column and row heads


def test_a_motion_names_its_originators_unless_told_otherwise(session):
    shown = flat(pdf_text(render(session, session.motion).data))
    hidden = flat(pdf_text(render(session, session.motion, originator_persons=[]).data))

    assert "ANTRAG VO/2026/0003" in shown
    assert "Einreicher Hans Beispiel" in shown
    assert "Hans Beispiel" not in hidden and "Einreicher" not in hidden
    assert "Anlagen Keine" in shown


def test_a_non_public_paper_is_marked_at_the_top(session):
    pdf = render(session, session.land, nonpublic_note=True)

    first_page = page_texts(pdf.data)[0]
    lines = [line for line in first_page.splitlines() if line.strip()]
    label = next(n for n, line in enumerate(lines) if "NICHTÖFFENTLICH" in line.upper())
    title = next(n for n, line in enumerate(lines) if "Verkauf des Grundstücks" in line)
    assert label < title

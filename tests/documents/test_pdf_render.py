"""The foundation every generated document stands on, read back from the PDF:
tagged PDF/UA-1 in German with its title, the page footer, German
hyphenation, no network, and the body's logo in the header."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from documents.pdf.render import render_counted
from tests.documents.pdf_helpers import (
    HYPHENS,
    NetworkTrap,
    catalog,
    first_page_image,
    page_texts,
    pdf_text,
    xmp,
)
from tests.gremien.factories import BodyFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).parent / "pdf_templates"
MAGENTA = (255, 0, 255)


@pytest.fixture(autouse=True)
def _test_templates(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES]
    settings.TEMPLATES = [engine]


@pytest.fixture
def body():
    return BodyFactory(name="Stadt Neuhausen", slug="neuhausen")


def render(body, **context):
    context.setdefault("title", "Prüfdokument")
    return render_counted(
        "tests/sample.html",
        {"body": body, "running_context": "Bauausschuss", **context},
    )


def test_documents_are_tagged_german_pdf_ua_with_their_title(body):
    pdf = render(body, title="Tagesordnung des Bauausschusses")

    root = catalog(pdf.data)
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert re.search(r"pdfuaid:part(=\"|>)1", xmp(pdf.data))
    info = PdfReader(io.BytesIO(pdf.data)).metadata
    assert info.title == "Tagesordnung des Bauausschusses"
    assert info.author == "Stadt Neuhausen"


def test_every_page_says_which_page_of_how_many(body):
    paragraphs = [
        f"Absatz {n}: " + "Der Rat berät die Vorlage. " * 12 for n in range(60)
    ]

    pdf = render(body, title="Lange Niederschrift", paragraphs=paragraphs)

    pages = page_texts(pdf.data)
    assert pdf.pages == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {pdf.pages}" in text
        assert "Lange Niederschrift" in text  # the footer's title
        assert "Stadt Neuhausen" in text  # the running header


def test_a_long_german_word_is_hyphenated_in_a_narrow_column(body):
    word = "Grundstücksverkehrsgenehmigungsverfahren"

    text = pdf_text(render(body, long_word=word).data)

    lines = [line.strip() for line in text.splitlines()]
    broken = [
        line
        for line in lines
        if line.endswith(HYPHENS) and len(line) > 3 and word.startswith(line[:-1])
    ]
    assert broken, f"{word} was not hyphenated:\n{text}"
    assert word not in lines
    joined = re.sub(f"[{''.join(HYPHENS)}]\n", "", text)
    assert word in joined


def test_network_addresses_are_refused_and_never_requested(body, caplog):
    caplog.set_level(logging.WARNING, logger="documents.pdf.fetcher")
    with NetworkTrap() as trap:
        pdf = render(body, remote_url=trap.url("bild.png"))
        assert trap.connections == 0
        assert trap.probe() == 1
    assert "Hintergrund" in pdf_text(pdf.data)
    assert any("refused" in record.getMessage() for record in caplog.records)


def magenta_in_header(pdf) -> int:
    image = first_page_image(pdf.data)
    header = image.crop((0, 0, image.width, image.height // 8))
    return sum(
        1
        for pixel in header.get_flattened_data()
        if all(abs(a - b) < 40 for a, b in zip(pixel, MAGENTA, strict=True))
    )


def test_the_bodys_svg_logo_is_printed_and_cannot_fetch_anything(body):
    with NetworkTrap() as trap:
        # Stored directly: the upload check would refuse the outside image.
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40">'
            '<rect width="120" height="40" fill="#ff00ff"/>'
            f'<image href="{trap.url("a.png")}" width="10" height="10"/>'
            f'<image xlink:href="{trap.url("b.png")}" width="10" height="10"/>'
            "</svg>"
        )
        body.logo.save("logo.svg", ContentFile(svg.encode()), save=True)

        with_logo = render(body)

        assert trap.connections == 0
    body.logo = ""
    assert magenta_in_header(with_logo) > 20
    assert magenta_in_header(render(body)) == 0

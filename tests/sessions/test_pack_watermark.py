"""The member's personal copy: the name on exactly the non-public pages,
readable and findable, without hiding anything of the page."""

import io
import subprocess

import pytest
from django.core.files.storage import FileSystemStorage
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML

from sessions.packs.build import build_pack
from sessions.packs.parts import PartCache
from sessions.packs.watermark import watermark
from sessions.pdf.selection import MEMBER, meeting_selection
from tests.sessions.pack_engine_helpers import (
    outline_tree,
    page_texts,
    quiet_world,
    reader,
    structure_problems,
)

TEXT = "Nicht öffentlich – persönliches Exemplar für Erika Mustermann"


@pytest.fixture
def world(db, settings, clock, django_capture_on_commit_callbacks):
    return quiet_world(settings, clock, django_capture_on_commit_callbacks)


def grey_pixels(data: bytes, page: int, dpi: int = 40) -> list[list[int]]:
    """Rows of grey values (0 black … 255 white) of ``page`` (0-based)."""
    done = subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(dpi),
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-",
        ],
        input=data,
        capture_output=True,
        check=True,
    )
    raw = done.stdout
    header, offset = [], 0
    while len(header) < 4:  # P5 width height maxval
        end = raw.index(b"\n", offset)
        header += raw[offset:end].split()
        offset = end + 1
    width, height = int(header[1]), int(header[2])
    pixels = raw[offset:]
    return [list(pixels[row * width : (row + 1) * width]) for row in range(height)]


def text_page_pdf(pages: list[tuple[float, float, int]]) -> bytes:
    """Pages of (width, height, rotation) with black text boxes; pypdf
    writes them in one plain revision."""
    writer = PdfWriter()
    for width, height, rotation in pages:
        page = writer.add_blank_page(width, height)
        stream = DecodedStreamObject()
        stream.set_data(
            b"BT /F1 14 Tf 72 %d Td (Beschlussvorlage Haushalt) Tj ET "
            b"0 0 0 rg 72 %d 200 40 re f" % (int(height) - 100, int(height) - 200)
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        if rotation:
            page.rotate(rotation)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_member_copy_names_the_member_on_exactly_the_non_public_pages(
    world, tmp_path
):
    cache = PartCache(FileSystemStorage(location=tmp_path))
    built = build_pack(meeting_selection(world.held_meeting, MEMBER), cache=cache)
    assert built.nonpublic_pages, "the held meeting has non-public parts"
    copy = watermark(built.data, built.nonpublic_pages, TEXT)

    before, after = page_texts(built.data), page_texts(copy)
    assert len(after) == built.pages
    named = [i for i, text in enumerate(after) if TEXT in text]
    assert named == built.nonpublic_pages
    assert all("Erika Mustermann" not in before[i] for i in named)
    for index, text in enumerate(before):  # nothing of the page is lost
        lines = [line for line in text.splitlines() if line.strip()]
        assert all(line in after[index] for line in lines)
    # bookmarks, links, metadata and tags come along
    original, stamped = reader(built.data), reader(copy)
    assert outline_tree(stamped) == outline_tree(original)
    assert stamped.metadata.title == built.title
    assert stamped.root_object["/Lang"] == "de"
    assert structure_problems(stamped) == []
    assert copy.count(b"startxref") == 1, "one revision: nothing to cut off"
    assert watermark(built.data, [], TEXT).count(b"Mustermann") == 0


def test_the_stamp_is_light_and_leaves_the_page_readable():
    plain = text_page_pdf([(595.28, 841.89, 0)])
    stamped = watermark(plain, [0], TEXT)
    before, after = grey_pixels(plain, 0), grey_pixels(stamped, 0)
    changed = [
        (b, a)
        for row_before, row_after in zip(before, after, strict=True)
        for b, a in zip(row_before, row_after, strict=True)
        if a != b
    ]
    assert len(changed) > 500, "the stamp is visible"
    # black stays black, white turns light grey at most (below the top edge)
    assert all(a <= 90 for b, a in changed if b <= 30)
    body = [
        a
        for row_before, row_after in list(zip(before, after, strict=True))[12:]
        for b, a in zip(row_before, row_after, strict=True)
        if b == 255
    ]
    assert min(body) >= 150


def test_rotated_and_other_sizes_get_an_upright_stamp_at_their_top_edge():
    pdf = text_page_pdf([(595.28, 841.89, 90), (612, 792, 0), (841.89, 595.28, 270)])
    stamped = watermark(pdf, [0, 1, 2], TEXT)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"],
        input=stamped,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pages = boxes.split("<page ")[1:]
    assert len(pages) == 3
    for page in pages:
        height = float(page.split('height="')[1].split('"')[0])
        word = page.split(">Mustermann<")[0].rsplit("<word ", 1)[1]
        values = dict(part.split("=") for part in word.split())
        y_min = float(values["yMin"].strip('"'))
        x_min, x_max = (
            float(values["xMin"].strip('"')),
            float(values["xMax"].strip('"')),
        )
        y_max = float(values["yMax"].strip('"'))
        assert y_min < height * 0.05, "the edge line is at the top of the page"
        assert x_max - x_min > y_max - y_min, "and runs left to right"


def test_a_pdf_in_another_form_is_rewritten_before_stamping():
    # WeasyPrint writes object streams: not the plain form the fast path copies
    pdf = HTML(
        string="<p>Anlage mit Objektströmen</p><p style='break-before: page'>2</p>"
    ).write_pdf()
    stamped = watermark(pdf, [1], TEXT)
    texts = page_texts(stamped)
    assert TEXT not in texts[0] and TEXT in texts[1]
    assert "Anlage mit Objektströmen" in texts[0]
    assert stamped.count(b"startxref") == 1


def test_pages_outside_the_pdf_are_refused():
    pdf = text_page_pdf([(595.28, 841.89, 0)])
    with pytest.raises(ValueError, match="1 pages"):
        watermark(pdf, [1], TEXT)
    assert TEXT not in page_texts(watermark(pdf, [], TEXT))[0]

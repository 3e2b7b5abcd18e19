"""A small, dependency-free writer for text-only PDF documents.

Demo data needs thousands of PDFs whose text can be extracted again (search,
session packs). WeasyPrint takes ~100 ms per document; this writer takes well
under one. It uses the standard Helvetica fonts with ``/WinAnsiEncoding``, so
umlauts, ß, „…“ and – render and extract without embedding a font. The output
is byte-for-byte deterministic: no timestamps other than the one passed in,
uncompressed streams (zlib output may differ between library versions).
"""

import datetime
import hashlib
import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN_LEFT, MARGIN_TOP, MARGIN_BOTTOM = 62, 64, 70
# Helvetica averages about half an em per character in German prose; 0.53
# keeps lines with capitals inside the margin without measuring glyphs.
CHAR_WIDTH_EM = 0.53

STYLES = {
    # style: (font resource, size, space before in points)
    "title": ("F2", 15.0, 6.0),
    "heading": ("F2", 11.5, 9.0),
    "text": ("F1", 10.5, 4.0),
    "small": ("F1", 8.5, 2.0),
}


@dataclass(frozen=True)
class Block:
    style: str
    text: str


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    text: str  # the text a reader extracts, as stored in ``File.text``


def winansi(text: str) -> str:
    """``text`` limited to what WinAnsi (cp1252) can show; '?' for the rest."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(block: Block) -> list[str]:
    size = STYLES[block.style][1]
    width = int((PAGE_WIDTH - 2 * MARGIN_LEFT) / (size * CHAR_WIDTH_EM))
    lines: list[str] = []
    for paragraph in block.text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width=width) or [""])
    return lines


def _layout(blocks: list[Block]) -> list[list[tuple[str, float, float, str]]]:
    """Pages of (font, size, y, line); a new page when the next line would not fit."""
    pages: list[list[tuple[str, float, float, str]]] = [[]]
    y = PAGE_HEIGHT - MARGIN_TOP
    for block in blocks:
        font, size, space_before = STYLES[block.style]
        leading = size * 1.35
        y -= space_before
        for line in _wrap(block):
            if y - leading < MARGIN_BOTTOM:
                pages.append([])
                y = PAGE_HEIGHT - MARGIN_TOP
            y -= leading
            pages[-1].append((font, size, y, line))
    return pages


def _content_stream(page, number: int, total: int, footer: str) -> bytes:
    parts = [b"BT"]
    for font, size, y, line in page:
        parts.append(
            b"/%s %.1f Tf 1 0 0 1 %d %.2f Tm (%s) Tj"
            % (font.encode(), size, MARGIN_LEFT, y, _escape(line))
        )
    footer_line = f"{footer} – Seite {number} von {total}".strip(" –")
    parts.append(
        b"/F1 8.0 Tf 1 0 0 1 %d %d Tm (%s) Tj"
        % (MARGIN_LEFT, MARGIN_BOTTOM - 30, _escape(footer_line))
    )
    parts.append(b"ET")
    return b"\n".join(parts)


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string in UTF-16BE with byte order mark (any character)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _info(title: str, author: str, date: datetime.date | None) -> bytes:
    info = b"<< /Title %s /Author %s /Producer (Gremienportal Demodaten)" % (
        _pdf_text_string(title),
        _pdf_text_string(author),
    )
    if date is not None:
        info += b" /CreationDate (D:%s120000+01'00')" % date.strftime("%Y%m%d").encode()
    return info + b" >>"


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def render(
    blocks: list[Block],
    *,
    title: str,
    author: str = "",
    footer: str = "",
    date: datetime.date | None = None,
) -> RenderedPdf:
    """Lay ``blocks`` out on A4 pages and return the PDF and its plain text."""
    pages = _layout(blocks)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # page tree, filled in once the page objects are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold"
        b" /Encoding /WinAnsiEncoding >>",
        _info(title, author, date),
    ]
    kids = []
    for number, page in enumerate(pages, start=1):
        stream = _content_stream(page, number, len(pages), footer)
        page_obj = len(objects) + 1
        kids.append(b"%d 0 R" % page_obj)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, page_obj + 1)
        )
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids),
        len(kids),
    )
    text = "\n\n".join(winansi(block.text) for block in blocks)
    return RenderedPdf(data=_assemble(objects), text=text)

"""The watermark of a member's personal copy.

The text (e.g. "Nicht öffentlich – persönliches Exemplar für Erika
Mustermann") is stamped on the given pages only: large, light grey and
transparent across the page, so that nothing underneath is hidden, and once
more small and horizontal at the top edge, where text extraction and search
find it in one piece (diagonal text comes out of ``pdftotext`` letter by
letter). The stamp is marked as an artifact (a watermark): screen readers
skip it and the pages' tags stay valid.

The stamp is rendered once per page size with WeasyPrint and stored once in
the PDF as a form XObject; a stamped page gets a reference to it and a few
bytes of content around its own content, which is neither parsed nor
rewritten. The copy is written as one new file (one cross-reference table,
no incremental update that could simply be cut off again): every unchanged
object is copied byte for byte from the original, only the stamped pages,
their resources and the stamp are written anew. That keeps a 300-page pack
far below a second. A PDF that is not in the simple form the pack builder
writes (object or cross-reference streams, several revisions) is first
rewritten by pypdf.
"""

import io
import math
import re
import secrets
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
)
from weasyprint import HTML

STAMP_CSS = """
@page {{ size: {width}pt {height}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
.diagonal {{
  position: absolute;
  left: {left}pt; top: {top}pt; width: {length}pt;
  transform: rotate({angle}deg);
  text-align: center;
  white-space: nowrap;
  font: bold {size}pt "Liberation Sans", "DejaVu Sans", sans-serif;
  color: rgba(100, 100, 100, 0.22);
}}
.edge {{
  position: absolute;
  left: 0; top: 4.5pt; width: {width}pt;
  text-align: center;
  white-space: nowrap;
  font: 7pt "Liberation Sans", "DejaVu Sans", sans-serif;
  color: rgba(70, 70, 70, 0.85);
}}
"""


@lru_cache(maxsize=16)
def stamp_pdf(text: str, width: float, height: float) -> bytes:
    """A transparent one-page PDF of ``width`` × ``height`` points with the
    stamp (untagged: it becomes an artifact of the stamped page)."""
    diagonal = math.hypot(width, height)
    angle = -math.degrees(math.atan2(height, width))
    # about 80 % of the diagonal, whatever the length of the name
    size = max(12.0, min(40.0, diagonal * 0.8 / max(len(text), 1) / 0.55))
    css = STAMP_CSS.format(
        width=width,
        height=height,
        length=diagonal,
        left=(width - diagonal) / 2,
        top=height / 2 - size * 0.6,
        angle=angle,
        size=round(size, 1),
    )
    html = (
        f'<html lang="de"><head><style>{css}</style></head><body>'
        f'<div class="diagonal">{escape(text)}</div>'
        f'<div class="edge">{escape(text)}</div></body></html>'
    )
    return HTML(string=html).write_pdf()


# --- writing objects into the copy ---------------------------------------------


class _Objects:
    """New and changed objects of the copy, numbered after the original's."""

    def __init__(self, size: int):
        self.next = size
        self.changed: dict[int, PdfObject] = {}

    def add(self, obj: PdfObject) -> IndirectObject:
        number = self.next
        self.next += 1
        self.changed[number] = obj
        return IndirectObject(number, 0, None)

    def change(self, reference: IndirectObject, obj: PdfObject | None = None) -> None:
        self.changed[reference.idnum] = (
            obj if obj is not None else reference.get_object()
        )

    def stream(self, data: bytes) -> IndirectObject:
        stream = StreamObject()
        stream.set_data(data)
        return self.add(stream)

    def import_(self, obj, numbers: dict) -> PdfObject:
        """A copy of ``obj`` of another PDF, its references renumbered."""
        if isinstance(obj, IndirectObject):
            number = numbers.get(obj.idnum)
            if number is None:
                number = numbers[obj.idnum] = self.next
                self.next += 1
                self.changed[number] = self.import_(obj.get_object(), numbers)
            return IndirectObject(number, 0, None)
        if isinstance(obj, StreamObject):
            copy = StreamObject()
            copy._data = obj._data
            for key, value in obj.items():
                if key != "/Length":
                    copy[NameObject(key)] = self.import_(value, numbers)
            return copy
        if isinstance(obj, DictionaryObject):
            return DictionaryObject(
                {NameObject(k): self.import_(v, numbers) for k, v in obj.items()}
            )
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.import_(v, numbers) for v in obj)
        return obj


def _form(objects: _Objects, text: str, width: float, height: float):
    """The stamp as a form XObject of the copy."""
    page = PdfReader(io.BytesIO(stamp_pdf(text, width, height))).pages[0]
    form = StreamObject()
    form.set_data(page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [
                    FloatObject(0),
                    FloatObject(0),
                    FloatObject(width),
                    FloatObject(height),
                ]
            ),
            NameObject("/Resources"): objects.import_(page.get("/Resources"), {}),
            # its own transparency group: its opacity does not depend on the page
            NameObject("/Group"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Transparency"),
                    NameObject("/CS"): NameObject("/DeviceRGB"),
                }
            ),
        }
    )
    return objects.add(form)


def _placement(page) -> tuple[float, float, tuple[float, ...]]:
    """Visible width and height of ``page`` and the matrix that puts an
    upright stamp of that size onto it (``/Rotate``, a box not at 0, 0)."""
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    if rotation == 90:
        return h, w, (0, 1, -1, 0, x0 + w, y0)
    if rotation == 180:
        return w, h, (-1, 0, 0, -1, x0 + w, y0 + h)
    if rotation == 270:
        return h, w, (0, -1, 1, 0, x0, y0 + h)
    return w, h, (1, 0, 0, 1, x0, y0)


def _xobjects(objects: _Objects, page) -> DictionaryObject:
    """The page's ``/XObject`` resources, marked as changed wherever they
    live (the page, its resources object or an XObject dictionary of its
    own)."""
    resources = page.get("/Resources")
    if isinstance(resources, IndirectObject):
        objects.change(resources)
    resources = resources.get_object() if resources is not None else None
    if resources is None:
        resources = page[NameObject("/Resources")] = DictionaryObject()
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, IndirectObject):
        objects.change(xobjects)
        return xobjects.get_object()
    if xobjects is None:
        xobjects = resources[NameObject("/XObject")] = DictionaryObject()
    return xobjects


def _stamp_pages(reader: PdfReader, objects: _Objects, pages, text: str) -> None:
    opening = objects.stream(b"q\n")
    forms: dict = {}
    closings: dict = {}
    for index in pages:
        page = reader.pages[index]
        width, height, matrix = _placement(page)
        size = (round(width, 2), round(height, 2))
        if size not in forms:
            forms[size] = (
                NameObject(f"/GPWatermark{len(forms)}"),
                _form(objects, text, *size),
            )
        name, form = forms[size]
        _xobjects(objects, page)[name] = form
        if (size, matrix) not in closings:
            cm = " ".join(f"{value:g}" for value in matrix)
            closings[(size, matrix)] = objects.stream(
                (
                    "Q\n/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\n"
                    f"q {cm} cm {name} Do Q\nEMC\n"
                ).encode()
            )
        contents = page.get("/Contents")
        own = contents.get_object() if contents is not None else ArrayObject()
        parts = list(own) if isinstance(own, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [opening, *parts, closings[(size, matrix)]]
        )
        objects.change(page.indirect_reference, page)


# --- the file --------------------------------------------------------------------

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _simple(pdf: bytes, reader: PdfReader) -> int | None:
    """Where the cross-reference table starts, if ``pdf`` is one revision
    with a plain table and no object streams (as pypdf writes it)."""
    found = _STARTXREF.search(pdf[-64:])
    if found is None or pdf.count(b"startxref") != 1:
        return None
    start = int(found.group(1))
    if (
        pdf[start : start + 4] != b"xref"
        or reader.xref_objStm
        or "/Prev" in reader.trailer
        or "/Encrypt" in reader.trailer
    ):
        return None
    return start


def _rewritten(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _serialise(number: int, obj: PdfObject) -> bytes:
    buffer = io.BytesIO()
    buffer.write(f"{number} 0 obj\n".encode())
    obj.write_to_stream(buffer)
    buffer.write(b"\nendobj\n")
    return buffer.getvalue()


def _write(pdf: bytes, reader: PdfReader, xref_start: int, objects: _Objects):
    """The original objects byte for byte (without the changed ones), then
    the changed and new ones, one table, one trailer."""
    entries = sorted(
        (offset, number, generation)
        for generation, table in reader.xref.items()
        for number, offset in table.items()
        if number and offset
    )
    out = bytearray(pdf[: entries[0][0]] if entries else b"%PDF-1.7\n")
    offsets: dict[int, tuple[int, int]] = {}
    bounds = [offset for offset, _n, _g in entries[1:]] + [xref_start]
    for (offset, number, generation), end in zip(entries, bounds, strict=True):
        if number in objects.changed:
            continue
        offsets[number] = (len(out), generation)
        out += pdf[offset:end]
    if not out.endswith(b"\n"):
        out += b"\n"
    for number, obj in sorted(objects.changed.items()):
        offsets[number] = (len(out), 0)
        out += _serialise(number, obj)
    size = objects.next
    table = [b"xref\n", f"0 {size}\n".encode(), b"0000000000 65535 f \n"]
    for number in range(1, size):
        offset, generation = offsets.get(number, (0, 65535))
        kind = "n" if number in offsets else "f"
        table.append(f"{offset:010d} {generation:05d} {kind} \n".encode())
    xref = len(out)
    out += b"".join(table)
    trailer = DictionaryObject(
        {NameObject(k): v for k, v in reader.trailer.items() if k in ("/Root", "/Info")}
    )
    trailer[NameObject("/Size")] = NumberObject(size)
    first = reader.trailer.get("/ID", [ByteStringObject(secrets.token_bytes(16))])[0]
    trailer[NameObject("/ID")] = ArrayObject(
        [first, ByteStringObject(secrets.token_bytes(16))]
    )
    buffer = io.BytesIO()
    trailer.write_to_stream(buffer)
    out += b"trailer\n" + buffer.getvalue() + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def watermark(pdf: bytes, pages: Iterable[int], text: str) -> bytes:
    """A copy of ``pdf`` with ``text`` stamped on the 0-based ``pages``
    (the others untouched). ``pdf`` itself is not changed."""
    wanted = sorted(set(pages))
    reader = PdfReader(io.BytesIO(pdf))
    start = _simple(pdf, reader)
    if start is None:
        pdf = _rewritten(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        start = _simple(pdf, reader)
        if start is None:
            raise ValueError("cannot rewrite the PDF in one plain revision")
    count = len(reader.pages)
    if wanted and (wanted[0] < 0 or wanted[-1] >= count):
        raise ValueError(f"page out of range: the PDF has {count} pages")
    objects = _Objects(int(reader.trailer["/Size"]))
    if wanted:
        _stamp_pages(reader, objects, wanted, text)
    return _write(pdf, reader, start, objects)

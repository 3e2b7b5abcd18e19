"""Parts in a canonical form that a pack can be assembled from without
parsing them again.

Every part (a rendered document or an uploaded PDF) is read once with pypdf
when it is made and written anew by :func:`canonicalise`:

- objects numbered densely: 1 the catalog, 2 the page tree (one node), 3 the
  structure tree root, 4 its parent tree, then the pages, then everything
  they and the structure tree use; nothing else (no outline, no named
  destinations: links to them point to their page directly, no forms, no
  document scripts or embedded files);
- every string as a hexadecimal string and every reference as ``N 0 R``, so
  that in the dictionaries of this form ``(\\d+) 0 R`` is a reference and
  nothing else: a pack renumbers a part's objects with one regular
  expression, and copies stream data byte for byte;
- a single structure element at the top of the structure tree (``/Part``:
  a ``/Document`` renamed, or a new element around several);
- a *layout*, stored next to the part: which objects are its pages, which
  annotations take part in the structure, the parent tree entries, the
  ``pack:`` links of the table of contents, the role map.

The result is an ordinary PDF (pypdf, poppler and viewers read it); the
layout makes :mod:`sessions.packs.assemble` fast: a 300-page pack is
assembled in a fraction of a second instead of seconds of parsing.
"""

import io
import re
from collections import deque
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

CATALOG, PAGES, STRUCTURE, PARENT_TREE = 1, 2, 3, 4
LINK_PREFIX = "pack:"
#: Annotations an uploaded PDF may bring into a pack (no media, no files).
SAFE_ANNOTATIONS = {
    "/Link",
    "/Text",
    "/FreeText",
    "/Line",
    "/Square",
    "/Circle",
    "/Polygon",
    "/PolyLine",
    "/Highlight",
    "/Underline",
    "/Squiggly",
    "/StrikeOut",
    "/Stamp",
    "/Caret",
    "/Ink",
    "/Popup",
    "/Widget",
}
#: Actions kept on annotations of uploaded PDFs.
SAFE_ACTIONS = {"/URI", "/GoTo"}
#: Page entries not carried over (page tree, beads, thumbnails, actions…).
DROPPED_PAGE_KEYS = {
    "/Parent",
    "/StructParents",
    "/Annots",
    "/B",
    "/Thumb",
    "/AA",
    "/PieceInfo",
}
#: A reference in a canonical dictionary.
REFERENCE = re.compile(rb"(?<![\w./#-])(\d+) 0 R")


@dataclass(frozen=True)
class Canonical:
    data: bytes
    pages: int
    layout: dict


class _Number(PdfObject):
    """A reference to a number of the canonical form (an object made here)."""

    def __init__(self, number: int):
        self.number = number

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(b"%d 0 R" % self.number)


def text_bytes(text: str) -> bytes:
    """A PDF text string: PDFDocEncoding where ASCII does, else UTF-16BE."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return b"\xfe\xff" + text.encode("utf-16-be")


def hex_string(raw: bytes) -> bytes:
    return b"<" + raw.hex().encode() + b">"


class Serialiser:
    """Writes pypdf objects in the canonical form; ``reference(idnum)``
    gives the new number of a referenced object."""

    def __init__(self, reference):
        self.reference = reference

    def write(self, obj, out: list) -> None:
        if isinstance(obj, IndirectObject):
            out.append(b"%d 0 R" % self.reference(obj.idnum))
        elif isinstance(obj, _Number):
            out.append(b"%d 0 R" % obj.number)
        elif isinstance(obj, DictionaryObject):
            out.append(b"<<")
            for key, value in obj.items():
                if isinstance(obj, StreamObject) and key == "/Length":
                    continue
                out.append(NameObject(key).renumber())
                out.append(b" ")
                self.write(value, out)
                out.append(b" ")
            if isinstance(obj, StreamObject):
                out.append(b"/Length %d " % len(obj._data))
            out.append(b">>")
        elif isinstance(obj, ArrayObject):
            out.append(b"[")
            for index, value in enumerate(obj):
                if index:
                    out.append(b" ")
                self.write(value, out)
            out.append(b"]")
        elif isinstance(obj, NameObject):
            out.append(obj.renumber())
        elif isinstance(obj, BooleanObject):
            out.append(b"true" if obj else b"false")
        elif isinstance(obj, NumberObject):
            out.append(b"%d" % int(obj))
        elif isinstance(obj, FloatObject):
            out.append(obj.myrepr().encode())
        elif isinstance(obj, (TextStringObject, ByteStringObject)):
            out.append(hex_string(obj.original_bytes))
        elif isinstance(obj, NullObject) or obj is None:
            out.append(b"null")
        elif isinstance(obj, bool):
            out.append(b"true" if obj else b"false")
        elif isinstance(obj, int):
            out.append(b"%d" % obj)
        elif isinstance(obj, float):
            out.append(FloatObject(obj).myrepr().encode())
        elif isinstance(obj, str):
            out.append(hex_string(text_bytes(obj)))
        else:
            raise TypeError(f"cannot write {type(obj).__name__}")

    def dump(self, obj) -> bytes:
        out: list = []
        self.write(obj, out)
        return b"".join(out)

    def object(self, number: int, obj) -> bytes:
        """``number 0 obj … endobj``, with its stream data as it is."""
        head = b"%d 0 obj\n" % number + self.dump(obj)
        if isinstance(obj, StreamObject):
            return head + b"\nstream\n" + obj._data + b"\nendstream\nendobj\n"
        return head + b"\nendobj\n"


def write_pdf(
    objects: dict[int, bytes], root: int, extra_trailer: bytes = b""
) -> bytes:
    """A PDF of serialised objects (numbered 1…n; gaps are free entries)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += objects[number]
    size = max(objects) + 1 if objects else 1
    table = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
    for number in range(1, size):
        if number in offsets:
            table.append(b"%010d 00000 n \n" % offsets[number])
        else:
            table.append(b"0000000000 65535 f \n")
    start = len(out)
    out += b"".join(table)
    out += b"trailer\n<</Size %d /Root %d 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        extra_trailer,
        start,
    )
    return bytes(out)


def object_spans(data: bytes) -> dict[int, tuple[int, int]]:
    """{number: (start, end)} of the objects of a canonical PDF, from its
    cross-reference table (offsets in ascending order, as written)."""
    start = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    lines = data[start:].split(b"\n", 2)
    size = int(lines[1].split()[1])
    table = lines[2]
    spans, previous = [], None
    for number in range(size):
        entry = table[number * 20 : number * 20 + 18]
        if entry[-1:] == b"n":
            offset = int(entry[:10])
            if previous is not None:
                spans.append((previous[0], previous[1], offset))
            previous = (number, offset)
    if previous is not None:
        spans.append((previous[0], previous[1], start))
    return {number: (begin, end) for number, begin, end in spans}


def parent_tree_entries(node):
    """The (key, value) pairs of a number tree (``/Nums`` and ``/Kids``)."""
    node = node.get_object()
    nums = node.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", ()):
        yield from parent_tree_entries(kid)


def _make_safe(annotation: DictionaryObject) -> bool:
    """Strip what an uploaded annotation must not bring (scripts, launch
    actions, media); ``False``: leave it out altogether."""
    subtype = annotation.get("/Subtype")
    annotation.pop("/AA", None)
    action = annotation.get("/A")
    if action is not None and action.get_object().get("/S") not in SAFE_ACTIONS:
        annotation.pop("/A", None)
        action = None
    if subtype == "/Widget":
        annotation.pop("/Parent", None)  # the form field and its actions
    if subtype not in SAFE_ANNOTATIONS:
        return False
    return not (subtype == "/Link" and action is None and "/Dest" not in annotation)


def _resolve_destination(annotation: DictionaryObject, named: dict) -> None:
    """A link to a named destination points to the page itself instead."""
    dest = annotation.get("/Dest")
    if isinstance(dest, str):
        resolved = named.get(str(dest))
        if resolved is None:
            annotation.pop("/Dest")
        else:
            annotation[NameObject("/Dest")] = resolved
    action = annotation.get("/A")
    if action is None:
        return
    action = action.get_object()
    if action.get("/S") == "/GoTo" and isinstance(action.get("/D"), str):
        resolved = named.get(str(action["/D"]))
        if resolved is None:
            annotation.pop("/A")
        else:
            action[NameObject("/D")] = resolved


def _named_destinations(reader: PdfReader) -> dict:
    try:
        return {
            str(name): dest.dest_array
            for name, dest in reader.named_destinations.items()
        }
    except Exception:  # noqa: BLE001 - a damaged name tree: such links are dropped
        return {}


class _Canonicaliser:
    def __init__(self, reader: PdfReader, safe: bool):
        self.reader = reader
        self.safe = safe
        self.numbers: dict[int, int] = {}
        self.queue: deque = deque()
        self.next = PARENT_TREE + 1
        self.objects: dict[int, bytes] = {}
        self.serialiser = Serialiser(self.reference)
        root = reader.trailer.raw_get("/Root")
        if isinstance(root, IndirectObject):
            self.numbers[root.idnum] = CATALOG
        self.page_nodes: set[int] = set()
        self.tree = (
            reader.root_object.raw_get("/StructTreeRoot")
            if "/StructTreeRoot" in reader.root_object
            else None
        )
        if isinstance(self.tree, IndirectObject):
            self.numbers[self.tree.idnum] = STRUCTURE

    def allocate(self) -> int:
        self.next += 1
        return self.next - 1

    def reference(self, idnum: int) -> int:
        number = self.numbers.get(idnum)
        if number is None:
            if idnum in self.page_nodes:
                return PAGES
            number = self.numbers[idnum] = self.allocate()
            self.queue.append(idnum)
        return number

    def run(self) -> Canonical:
        pages = list(self.reader.pages)
        self._page_nodes()
        page_numbers = []
        for page in pages:
            number = self.numbers[page.indirect_reference.idnum] = self.allocate()
            page_numbers.append(number)
        layout = {
            "pages": page_numbers,
            "annotations": [],
            "links": [],
            "top": [],
            "nums": [],
            "next_key": 0,
            "role_map": {},
            "tagged": False,
            "page_size": [float(v) for v in pages[0].mediabox[2:]]
            if pages
            else [595.276, 841.89],
        }
        tagged = self._structure(layout)
        named = _named_destinations(self.reader)
        for index, (page, number) in enumerate(zip(pages, page_numbers, strict=True)):
            self._page(index, page, number, named, tagged, layout)
        while self.queue:
            idnum = self.queue.popleft()
            obj = self.reader.get_object(idnum)
            self.objects[self.numbers[idnum]] = self.serialiser.object(
                self.numbers[idnum], obj
            )
        self.objects[CATALOG] = self._catalog(tagged)
        self.objects[PAGES] = (
            b"%d 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n"
            % (
                PAGES,
                b" ".join(b"%d 0 R" % n for n in page_numbers),
                len(page_numbers),
            )
        )
        layout["size"] = self.next
        return Canonical(write_pdf(self.objects, CATALOG), len(pages), layout)

    def _page_nodes(self) -> None:
        """The page tree's inner nodes: references to them become the
        canonical page tree (``/Parent`` is rewritten anyway)."""
        stack = [self.reader.root_object.raw_get("/Pages")]
        while stack:
            node = stack.pop()
            if not isinstance(node, IndirectObject) or node.idnum in self.page_nodes:
                continue
            resolved = node.get_object()
            if resolved.get("/Type") == "/Pages":
                self.page_nodes.add(node.idnum)
                stack.extend(resolved.get("/Kids", ()))

    def _catalog(self, tagged: bool) -> bytes:
        extra = b" /StructTreeRoot 3 0 R /MarkInfo <</Marked true>>" if tagged else b""
        return b"%d 0 obj\n<</Type /Catalog /Pages %d 0 R%s>>\nendobj\n" % (
            CATALOG,
            PAGES,
            extra,
        )

    def _page(self, index, page, number, named, tagged, layout) -> None:
        copy = DictionaryObject(
            {k: v for k, v in page.items() if k not in DROPPED_PAGE_KEYS}
        )
        copy[NameObject("/Parent")] = _Number(PAGES)
        if tagged and "/StructParents" in page:
            copy[NameObject("/StructParents")] = NumberObject(page["/StructParents"])
        kept = ArrayObject()
        for reference in page.get("/Annots", ArrayObject()).get_object() or ():
            annotation = reference.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            if self.safe and not _make_safe(annotation):
                continue
            _resolve_destination(annotation, named)
            if not tagged:
                annotation.pop("/StructParent", None)
            if isinstance(reference, IndirectObject):
                annotation_number = self.reference(reference.idnum)
            else:
                annotation_number = self.allocate()
                self.objects[annotation_number] = self.serialiser.object(
                    annotation_number, annotation
                )
            kept.append(_Number(annotation_number))
            if "/StructParent" in annotation:
                layout["annotations"].append(annotation_number)
            if not self.safe:  # only generated parts make pack links
                self._link(index, annotation, annotation_number, layout)
        if kept:
            copy[NameObject("/Annots")] = kept
        self.objects[number] = self.serialiser.object(number, copy)

    @staticmethod
    def _link(index, annotation, number, layout) -> None:
        action = annotation.get("/A")
        action = action.get_object() if action is not None else None
        uri = str(action.get("/URI", "")) if action is not None else ""
        if annotation.get("/Subtype") != "/Link" or not uri.startswith(LINK_PREFIX):
            return
        parent = annotation.get("/StructParent")
        layout["links"].append(
            {
                "annotation": number,
                "page": index,
                "uri": uri,
                "rect": [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])],
                "struct_parent": int(parent) if parent is not None else None,
            }
        )

    def _structure(self, layout) -> bool:
        """The structure tree under one ``/Part``; ``False`` if untagged."""
        tree = self.tree.get_object() if self.tree is not None else None
        kids = tree.get("/K") if isinstance(tree, DictionaryObject) else None
        if kids is None:
            return False
        kids = kids.get_object()
        if not isinstance(kids, ArrayObject):
            kids = ArrayObject([kids])
        elements = [k for k in kids if isinstance(k, IndirectObject)]
        if not elements:
            return False
        if len(elements) == 1 and elements[0].get_object().get("/S") == "/Document":
            element = elements[0].get_object()
            element[NameObject("/S")] = NameObject("/Part")
            element[NameObject("/P")] = _Number(STRUCTURE)
            top = self.reference(elements[0].idnum)
        else:
            top = self.allocate()
            for element in elements:
                element.get_object()[NameObject("/P")] = _Number(top)
            part = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Part"),
                    NameObject("/P"): _Number(STRUCTURE),
                    NameObject("/K"): ArrayObject(elements),
                }
            )
            self.objects[top] = self.serialiser.object(top, part)
        nums, highest = [], -1
        for key, value in parent_tree_entries(
            tree.get("/ParentTree", DictionaryObject())
        ):
            template = self.serialiser.dump(value)
            nums.append([key, template.decode("latin-1")])
            highest = max(highest, key)
        nums.sort()
        role_map = tree.get("/RoleMap")
        if role_map is not None:
            layout["role_map"] = {
                str(k): str(v)
                for k, v in role_map.get_object().items()
                if isinstance(v, NameObject)
            }
        layout.update(top=[top], nums=nums, next_key=highest + 1, tagged=True)
        flat = " ".join(f"{key} {template}" for key, template in nums).encode("latin-1")
        self.objects[PARENT_TREE] = b"%d 0 obj\n<</Nums [%s]>>\nendobj\n" % (
            PARENT_TREE,
            flat,
        )
        self.objects[STRUCTURE] = (
            b"%d 0 obj\n<</Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R "
            b"/ParentTreeNextKey %d>>\nendobj\n"
            % (STRUCTURE, top, PARENT_TREE, highest + 1)
        )
        return True


def canonicalise(data: bytes, *, safe: bool = False) -> Canonical:
    """``data`` (a PDF) in the canonical form. ``safe`` keeps only harmless
    annotations and actions (for uploaded files). Raises pypdf's errors (and
    ``ValueError``) for what cannot be read."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    if not reader.pages:
        raise ValueError("no pages")
    return _Canonicaliser(reader, safe).run()

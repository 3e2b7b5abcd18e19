"""One PDF from canonical parts (see :mod:`sessions.packs.canonical`).

Each part's objects are copied with their numbers moved past those of the
parts before it: a regular expression over the dictionaries, stream data as
it is. Pages are hung into one page tree, every part's ``/Part`` structure
element under one ``/Document`` and the parent tree keys moved along, so the
tags of every tagged part survive. The ``pack:`` links of a part become
internal links, and the pack gets its own outline, language, title and XMP
metadata.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .canonical import (
    CATALOG as PART_CATALOG,
)
from .canonical import (
    PAGES,
    PARENT_TREE,
    REFERENCE,
    STRUCTURE,
    hex_string,
    object_spans,
    text_bytes,
)

#: Numbers of the pack's own objects; the parts' follow.
CATALOG, PAGE_TREE, STRUCT_ROOT, DOCUMENT, INFO, METADATA, OUTLINES = range(1, 8)
FIRST_FREE = 8
_STRUCT_PARENTS = re.compile(rb"/StructParents (\d+)")
_STRUCT_PARENT = re.compile(rb"/StructParent (\d+)")


@dataclass
class _Entry:
    title: str
    page: int
    children: list = field(default_factory=list)


@dataclass
class _Link:
    number: int
    page_number: int
    rect: list
    struct_parent: int | None
    uri: str


def _date(moment: dt.datetime) -> bytes:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def xmp_packet(
    *, title: str, author: str, language: str, created: dt.datetime, pdf_ua: bool
) -> bytes:
    """XMP metadata: title, author, language, dates and (``pdf_ua``) the
    PDF/UA-1 identification."""
    stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ua = (
        '<rdf:Description rdf:about="" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>\n'
        if pdf_ua
        else ""
    )
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{ua}"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        "<dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag>"
        "</dc:language></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'pdf:Producer="Gremienportal"/>\n'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        f"xmp:CreateDate={quoteattr(stamp)} xmp:ModifyDate={quoteattr(stamp)} "
        'xmp:CreatorTool="Gremienportal"/>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode()


def _text(text: str) -> bytes:
    return hex_string(text_bytes(text))


class Assembler:
    """Collects parts, then writes the pack."""

    def __init__(self):
        self.chunks: list[tuple[int, bytes]] = []
        self.next = FIRST_FREE
        #: object numbers of the pages, in order
        self.pages: list[int] = []
        self.parts: list[int] = []
        self.nums: list[tuple[int, bytes]] = []
        self.next_key = 0
        self.role_map: dict[str, str] = {}
        self.links: list[_Link] = []
        self.outline: list[_Entry] = []
        self.tagged = 0
        self.untagged = 0

    def allocate(self) -> int:
        self.next += 1
        return self.next - 1

    def add(self, data: bytes, layout: dict) -> range:
        """Append the pages of a canonical part; returns their 0-based
        indexes in the pack."""
        base = self.next - 1
        self.next = base + layout["size"]
        key_offset = self.next_key if layout["tagged"] else 0
        pages = {number: index for index, number in enumerate(layout["pages"])}
        annotations = set(layout["annotations"])
        tops = set(layout["top"])
        links = {link["annotation"]: link for link in layout["links"]}
        # the part's own catalog, page tree, structure root and parent tree
        skipped = {PART_CATALOG, PAGES, STRUCTURE, PARENT_TREE}
        page_parent = b"/Parent %d 0 R" % (base + PAGES)
        element_parent = b"/P %d 0 R" % (base + STRUCTURE)

        def renumber(match):
            return b"%d 0 R" % (base + int(match.group(1)))

        def shift(match, name):
            return b"%s %d" % (name, key_offset + int(match.group(1)))

        first = len(self.pages)
        for number, (start, end) in object_spans(data).items():
            if number in skipped:
                continue
            if number in links:
                link = links[number]
                self.links.append(
                    _Link(
                        base + number,
                        base + layout["pages"][link["page"]],
                        link["rect"],
                        None
                        if link["struct_parent"] is None
                        else key_offset + link["struct_parent"],
                        link["uri"],
                    )
                )
                continue
            chunk = data[start:end]
            header_end = chunk.index(b"\n") + 1
            body = chunk[header_end:]
            head, separator, tail = body.partition(b"\nstream\n")
            head = REFERENCE.sub(renumber, head)
            if number in pages:
                head = head.replace(page_parent, b"/Parent %d 0 R" % PAGE_TREE, 1)
                head = _STRUCT_PARENTS.sub(
                    lambda m: shift(m, b"/StructParents"), head, count=1
                )
            if number in annotations:
                head = _STRUCT_PARENT.sub(
                    lambda m: shift(m, b"/StructParent"), head, count=1
                )
            if number in tops:
                head = head.replace(element_parent, b"/P %d 0 R" % DOCUMENT, 1)
            self.chunks.append(
                (
                    base + number,
                    b"%d 0 obj\n" % (base + number) + head + separator + tail,
                )
            )
        for number in layout["pages"]:
            self.pages.append(base + number)
        if layout["tagged"]:
            self.tagged += 1
            self.parts += [base + top for top in layout["top"]]
            for key, template in layout["nums"]:
                value = REFERENCE.sub(renumber, template.encode("latin-1"))
                self.nums.append((key_offset + key, value))
            self.next_key = key_offset + layout["next_key"]
            for name, role in layout["role_map"].items():
                self.role_map.setdefault(name, role)
        else:
            self.untagged += 1
        return range(first, len(self.pages))

    def add_blank(self, width: float, height: float) -> int:
        number = self.allocate()
        self.chunks.append(
            (
                number,
                b"%d 0 obj\n<</Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "
                b"/Resources <<>>>>\nendobj\n"
                % (number, PAGE_TREE, f"{width:g}".encode(), f"{height:g}".encode()),
            )
        )
        self.pages.append(number)
        return len(self.pages) - 1

    def bookmark(self, title: str, page: int, parent: _Entry | None = None) -> _Entry:
        entry = _Entry(title, page)
        (parent.children if parent is not None else self.outline).append(entry)
        return entry

    # --- writing ------------------------------------------------------------------

    def _link(self, link: _Link, target: int, text: str) -> bytes:
        rect = " ".join(f"{value:g}" for value in link.rect).encode()
        parent = (
            b" /StructParent %d" % link.struct_parent
            if link.struct_parent is not None
            else b""
        )
        return (
            b"%d 0 obj\n<</Type /Annot /Subtype /Link /Rect [%s] /BS <</W 0>> "
            b"/F 4 /P %d 0 R%s /Contents %s /A <</Type /Action /S /GoTo "
            b"/D [%d 0 R /Fit]>>>>\nendobj\n"
            % (
                link.number,
                rect,
                link.page_number,
                parent,
                _text(text),
                self.pages[target],
            )
        )

    def _outline(self, objects: dict[int, bytes]) -> int:
        """Writes the outline; returns the number of visible entries."""

        def write(entries, parent) -> tuple[list[int], int]:
            numbers = [self.allocate() for _entry in entries]
            total = 0
            for index, (entry, number) in enumerate(zip(entries, numbers, strict=True)):
                children, count = write(entry.children, number)
                parts = [
                    b"/Title %s /Parent %d 0 R /Dest [%d 0 R /Fit]"
                    % (_text(entry.title), parent, self.pages[entry.page])
                ]
                if index:
                    parts.append(b"/Prev %d 0 R" % numbers[index - 1])
                if index + 1 < len(numbers):
                    parts.append(b"/Next %d 0 R" % numbers[index + 1])
                if children:
                    parts.append(
                        b"/First %d 0 R /Last %d 0 R /Count %d"
                        % (children[0], children[-1], count)
                    )
                objects[number] = b"%d 0 obj\n<<%s>>\nendobj\n" % (
                    number,
                    b" ".join(parts),
                )
                total += 1 + count
            return numbers, total

        top, total = write(self.outline, OUTLINES)
        first_last = b" /First %d 0 R /Last %d 0 R" % (top[0], top[-1]) if top else b""
        objects[OUTLINES] = b"%d 0 obj\n<</Type /Outlines%s /Count %d>>\nendobj\n" % (
            OUTLINES,
            first_last,
            total,
        )
        return total

    def _structure(self, objects: dict[int, bytes]) -> None:
        tree = self.allocate()
        nums = b" ".join(b"%d %s" % (key, value) for key, value in sorted(self.nums))
        objects[tree] = b"%d 0 obj\n<</Nums [%s]>>\nendobj\n" % (tree, nums)
        role_map = b"".join(
            b"/%s /%s " % (k.lstrip("/").encode(), v.lstrip("/").encode())
            for k, v in sorted(self.role_map.items())
        )
        roles = b" /RoleMap <<%s>>" % role_map if role_map else b""
        objects[STRUCT_ROOT] = (
            b"%d 0 obj\n<</Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R "
            b"/ParentTreeNextKey %d%s>>\nendobj\n"
            % (STRUCT_ROOT, DOCUMENT, tree, self.next_key, roles)
        )
        kids = b" ".join(b"%d 0 R" % part for part in self.parts)
        objects[DOCUMENT] = (
            b"%d 0 obj\n<</Type /StructElem /S /Document /P %d 0 R /K [%s]>>\nendobj\n"
            % (DOCUMENT, STRUCT_ROOT, kids)
        )

    def finish(
        self,
        *,
        title: str,
        author: str,
        resolve_link,
        language: str = "de",
        pdf_ua: bool = True,
        created: dt.datetime | None = None,
    ) -> bytes:
        """The pack. ``resolve_link(uri, page)`` gives (0-based target page,
        description) for each ``pack:`` link on 0-based ``page``."""
        from .canonical import write_pdf

        created = created or dt.datetime.now(dt.UTC)
        objects = dict(self.chunks)
        page_index = {number: index for index, number in enumerate(self.pages)}
        for link in self.links:
            target, text = resolve_link(link.uri, page_index[link.page_number])
            objects[link.number] = self._link(link, target, text)
        visible = self._outline(objects)
        tagged = bool(self.parts)
        if tagged:
            self._structure(objects)
        objects[PAGE_TREE] = (
            b"%d 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n"
            % (
                PAGE_TREE,
                b" ".join(b"%d 0 R" % number for number in self.pages),
                len(self.pages),
            )
        )
        xmp = xmp_packet(
            title=title,
            author=author,
            language=language,
            created=created,
            pdf_ua=pdf_ua,
        )
        objects[METADATA] = (
            b"%d 0 obj\n<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n"
            % (METADATA, len(xmp))
            + xmp
            + b"\nendstream\nendobj\n"
        )
        objects[INFO] = (
            b"%d 0 obj\n<</Title %s /Author %s /Creator %s /Producer %s "
            b"/CreationDate %s /ModDate %s>>\nendobj\n"
            % (
                INFO,
                _text(title),
                _text(author),
                _text("Gremienportal"),
                _text("Gremienportal"),
                hex_string(_date(created)),
                hex_string(_date(created)),
            )
        )
        catalog = [
            b"/Type /Catalog /Pages %d 0 R" % PAGE_TREE,
            b"/Lang %s" % _text(language),
            b"/Metadata %d 0 R" % METADATA,
            b"/ViewerPreferences <</DisplayDocTitle true>>",
            b"/MarkInfo <</Marked true>>",
        ]
        if tagged:
            catalog.append(b"/StructTreeRoot %d 0 R" % STRUCT_ROOT)
        if visible:
            catalog.append(b"/Outlines %d 0 R /PageMode /UseOutlines" % OUTLINES)
        objects[CATALOG] = b"%d 0 obj\n<<%s>>\nendobj\n" % (CATALOG, b" ".join(catalog))
        document_id = hex_string(secrets.token_bytes(16))
        return write_pdf(
            objects,
            CATALOG,
            b" /Info %d 0 R /ID [%s %s]" % (INFO, document_id, document_id),
        )

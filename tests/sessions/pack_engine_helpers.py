"""Helpers of the session pack engine tests: the portal test world with
automatic pack builds off (these tests call the engine themselves), a meeting
with a long agenda, and readers of what a PDF shows (pdftotext, pypdf)."""

import hashlib
import io
import subprocess

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from demo.pdfgen import Block, render
from documents.services import file_attach
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create
from tests.publicportal.world import berlin, build_world


def quiet_world(settings, clock, capture_on_commit_callbacks):
    """``tests.publicportal.world`` (with what happens on commit done), but
    without automatic pack builds: these tests call the engine themselves.
    For a ``world`` fixture of the test module."""
    settings.GREMIEN_PACK_AUTO_BUILD = False
    with capture_on_commit_callbacks(execute=True):
        return build_world(clock)


def page_texts(data: bytes, *, layout: bool = False) -> list[str]:
    """The text of every page, as ``pdftotext`` extracts it."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    done = subprocess.run(
        [*args, "-", "-"], input=data, capture_output=True, check=True
    )
    pages = done.stdout.decode().split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_index(pdf: PdfReader, reference) -> int:
    number = reference.idnum
    for index, page in enumerate(pdf.pages):
        if page.indirect_reference.idnum == number:
            return index
    raise AssertionError(f"no page {reference}")


def outline_tree(pdf: PdfReader, entries=None) -> list[tuple[str, int, list]]:
    """[(title, 0-based page, children)] of the PDF's bookmarks."""
    entries = pdf.outline if entries is None else entries
    tree: list[tuple[str, int, list]] = []
    for entry in entries:
        if isinstance(entry, list):
            title, page, _children = tree[-1]
            tree[-1] = (title, page, outline_tree(pdf, entry))
        else:
            tree.append((entry.title, pdf.get_destination_page_number(entry), []))
    return tree


def internal_links(pdf: PdfReader, page: int) -> list[tuple[str, int]]:
    """(description, 0-based target page) of the GoTo links on ``page``."""
    links = []
    for annotation in pdf.pages[page].get("/Annots", ()):
        annotation = annotation.get_object()
        action = annotation.get("/A")
        if annotation.get("/Subtype") == "/Link" and action and action["/S"] == "/GoTo":
            target = action["/D"][0]
            links.append(
                (str(annotation.get("/Contents", "")), page_index(pdf, target))
            )
    return links


def uris(pdf: PdfReader) -> list[str]:
    found = []
    for page in pdf.pages:
        for annotation in page.get("/Annots", ()):
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def replace_content(file, data: bytes) -> None:
    """A new version of an attached PDF under the same name, as staff
    uploading a corrected file would store it (content-addressed)."""
    file.sha256 = hashlib.sha256(data).hexdigest()
    file.size = len(data)
    file.content.save(file.file_name, ContentFile(data), save=False)
    file.save()


def quick_pdf(text: str, name: str) -> SimpleUploadedFile:
    """A one-page PDF (untagged, standard fonts) with ``text``: well under a
    millisecond, where WeasyPrint takes a tenth of a second."""
    data = render([Block("text", text)], title=text).data
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def long_meeting(world, clock, count: int = 45):
    """A council meeting with ``count`` items, each with a one-page PDF of
    its own ("Unterlage zu Punkt <n>"); every fifth item is a sub-item of the
    one before, every seventh has no document at all."""
    meeting = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.council],
        name="7. Sitzung des Rates",
        start=berlin(12, 20, 18),
        location=world.location,
    )
    parent = None
    for number in range(1, count + 1):
        item = agenda_item_add(
            actor=world.clerk,
            meeting=meeting,
            name=f"Haushaltsangelegenheit Nummer {number}",
            parent=parent if number % 5 == 0 else None,
        )
        if number % 5 != 0:
            parent = item
        if number % 7 != 0:
            file_attach(
                actor=None,
                owner=item,
                upload=quick_pdf(f"Unterlage zu Punkt {number}", f"punkt-{number}.pdf"),
                name=f"Unterlage {number}",
            )
    return meeting


def structure_problems(pdf: PdfReader) -> list[str]:
    """What is wrong with the structure tree of a merged PDF: every page's
    ``/StructParents`` and every annotation's ``/StructParent`` must have an
    entry in the parent tree, pointing to elements of that page and to the
    element holding that annotation."""
    from sessions.packs.canonical import parent_tree_entries

    tree = pdf.root_object["/StructTreeRoot"]
    entries = dict(parent_tree_entries(tree["/ParentTree"]))
    problems = []
    if int(tree["/ParentTreeNextKey"]) <= max(entries, default=-1):
        problems.append("ParentTreeNextKey too small")
    for index, page in enumerate(pdf.pages):
        number = page.indirect_reference.idnum
        if "/StructParents" in page:
            elements = entries.get(page["/StructParents"])
            if elements is None:
                problems.append(f"page {index}: no parent tree entry")
                continue
            for element in elements.get_object():
                element = element.get_object() if element is not None else None
                if isinstance(element, dict) and "/Pg" in element:
                    if element.raw_get("/Pg").idnum != number:
                        problems.append(f"page {index}: element of another page")
        for annotation in page.get("/Annots", ()):
            annotation = annotation.get_object()
            if "/StructParent" not in annotation:
                continue
            element = entries.get(annotation["/StructParent"])
            kids = element.get_object().get("/K", []) if element is not None else []
            kids = kids if isinstance(kids, list) else [kids]
            owners = [
                kid.get_object().raw_get("/Obj").idnum
                for kid in kids
                if isinstance(kid.get_object(), dict) and "/Obj" in kid.get_object()
            ]
            if annotation.indirect_reference.idnum not in owners:
                problems.append(f"page {index}: annotation not in its element")
    return problems


def png(width: int = 40, height: int = 20, rgb=(31, 61, 92)) -> bytes:
    """A small one-colour PNG (a logo)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )

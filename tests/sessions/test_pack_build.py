"""Session packs as a reader opens them: cover, invitation, agenda with page
numbers that are the real pages, the documents of every item in agenda order,
bookmarks, links from the agenda; nothing non-public in the public pack; and
a rebuild that renders only what changed."""

import io
import re
import subprocess
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from documents.pdf.paper import paper_pdf
from sessions.packs import build
from sessions.packs.build import build_pack
from sessions.packs.parts import PartCache, PartError
from sessions.packs.render import attachment_part
from sessions.pdf.documents import agenda_pdf, invitation_pdf
from sessions.pdf.selection import MEMBER, PUBLIC, meeting_selection
from tests.sessions.pack_engine_helpers import (
    internal_links,
    long_meeting,
    outline_tree,
    page_texts,
    png,
    quiet_world,
    reader,
    replace_content,
    structure_problems,
    uris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings, clock, django_capture_on_commit_callbacks):
    return quiet_world(settings, clock, django_capture_on_commit_callbacks)


@pytest.fixture
def cache(tmp_path):
    return PartCache(FileSystemStorage(location=tmp_path / "parts"))


def member_pack(meeting, cache):
    return build_pack(meeting_selection(meeting, MEMBER), cache=cache)


def toc_numbers(built, toc_pages) -> dict[str, int]:
    """{item title: page number printed in the agenda}."""
    numbers = {}
    texts = page_texts(built.data, layout=True)
    for index in toc_pages:
        for line in texts[index].splitlines():
            found = re.match(
                r"\s*[ÖN]\s?[\d.]+\s+(\S.*?)\s{2,}(?:.*\s{2,})?(\d+)\s*$", line
            )
            if found:
                numbers[found.group(1).strip()] = int(found.group(2))
    return numbers


def toc_page_indexes(built) -> list[int]:
    """0-based pages of the agenda: "Tagesordnung" in the bookmarks up to the
    first item's page (or the first page after it)."""
    outline = outline_tree(reader(built.data))
    start = next(page for title, page, _ in outline if title == "Tagesordnung")
    documents = [e.first_page - 1 for e in built.items if e.page_ranges]
    end = min(documents) if documents else start + 1
    return list(range(start, end))


# --- what is in the pack -----------------------------------------------------


def test_the_member_pack_is_cover_invitation_agenda_then_each_items_documents(
    world, cache
):
    built = member_pack(world.held_meeting, cache)
    selection = meeting_selection(world.held_meeting, MEMBER)
    texts = page_texts(built.data)
    assert len(reader(built.data).pages) == built.pages == len(texts)

    assert "Sitzungsmappe" in texts[0]
    assert "3. Sitzung des Bauausschusses" in texts[0]
    assert "Nichtöffentlich – nur für Mitglieder" in texts[0]
    assert "Dienstag, 10. November 2026" in texts[0]
    assert "Rathaus, Ratssaal" in texts[0]
    invitation_pages = invitation_pdf(selection).pages
    assert all("Einladung" in texts[i] for i in range(1, 1 + invitation_pages))
    toc = toc_page_indexes(built)
    assert toc[0] == 1 + invitation_pages
    assert "Tagesordnung" in texts[toc[0]] and "Seite" in texts[toc[0]]

    public, secret = built.items[1], built.items[2]
    paper, begruendung, vertrag = public.page_ranges
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in texts[paper[0] - 1]
    assert "Begründung zum Bebauungsplan Mühlenbach" in texts[begruendung[0] - 1]
    assert f"Kaufvertrag {world.marker}" in texts[vertrag[0] - 1]
    secret_paper, gutachten = secret.page_ranges
    assert f"Kaufpreis {world.marker}" in texts[secret_paper[0] - 1]
    assert f"Wertgutachten {world.marker}" in texts[gutachten[0] - 1]

    # the pages are exactly those of the parts: nothing lost, nothing doubled
    files = sum(
        len(reader(f.file.content.open("rb").read()).pages)
        for part in selection.items
        for f in part.files
    )
    papers = [d for e in built.items for d in e.page_ranges[:1] if e.page_ranges]
    assert built.pages == 1 + invitation_pages + len(toc) + files + sum(
        last - first + 1 for first, last in papers
    )
    assert vertrag[1] == secret_paper[0] - 1 and gutachten[1] == built.pages


def test_the_packs_documents_are_those_the_document_functions_make(world, cache):
    """The pack lays out the HTML of the documents itself (in worker
    processes); what it shows is what ``paper_pdf`` & Co. show."""
    built = member_pack(world.held_meeting, cache)
    selection = meeting_selection(world.held_meeting, MEMBER)
    texts = page_texts(built.data)

    def same(rendered, first: int) -> None:
        expected = page_texts(rendered.data)
        assert texts[first : first + len(expected)] == expected

    same(invitation_pdf(selection), 1)
    toc = toc_page_indexes(built)
    numbers = {e.item_pk: e.first_page for e in built.items if e.page_ranges}
    same(agenda_pdf(selection, page_numbers=numbers, item_links=True), toc[0])
    for part, entry in zip(selection.items, built.items, strict=True):
        if part.paper is None:
            continue
        rendered = paper_pdf(
            part.paper,
            consultations=part.consultations,
            files=[f.file for f in part.files],
            nonpublic_note=not part.paper_public,
        )
        same(rendered, entry.first_page - 1)


def test_the_agenda_prints_the_page_each_item_starts_on(world, cache):
    built = member_pack(world.held_meeting, cache)
    texts = page_texts(built.data)
    numbers = toc_numbers(built, toc_page_indexes(built))
    public_paper, secret_paper = world.public_paper, world.secret_paper
    assert numbers["Bebauungsplan Nr. 12 Am Mühlenbach"] == built.items[1].first_page
    assert numbers[f"Grundstücksverkauf {world.marker}"] == built.items[2].first_page
    assert public_paper.reference in texts[built.items[1].first_page - 1]
    assert secret_paper.reference in texts[built.items[2].first_page - 1]
    # "Eröffnung" has no document: no page number, its bookmark is the agenda
    assert "Eröffnung der Sitzung" not in numbers
    assert built.items[0].page_ranges == []
    assert built.items[0].first_page - 1 in toc_page_indexes(built)


@pytest.mark.parametrize("wrong_guess", [False, True])
def test_an_agenda_longer_than_a_page_still_prints_the_real_pages(
    world, clock, cache, monkeypatch, wrong_guess
):
    if wrong_guess:  # laid out with one page first, then with its real length
        monkeypatch.setattr(build, "first_toc_guess", lambda invitation: 1)
    meeting = long_meeting(world, clock, count=45)
    built = member_pack(meeting, cache)
    if wrong_guess:
        assert built.toc_rounds >= 2
    toc = toc_page_indexes(built)
    assert len(toc) >= 2, "45 items need more than one agenda page"
    again = member_pack(meeting, cache)  # the rounds' lengths were noted
    assert again.parts_rendered == 0 and again.toc_rounds == built.toc_rounds
    texts = page_texts(built.data)
    numbers = toc_numbers(built, toc)
    with_documents = [n for n in range(1, 46) if n % 7]
    assert len(numbers) == len(with_documents)
    for number in with_documents:
        page = numbers[f"Haushaltsangelegenheit Nummer {number}"]
        assert f"Unterlage zu Punkt {number}\n" in texts[page - 1] + "\n"
    for entry in built.items:
        if not entry.page_ranges:  # every seventh: listed on an agenda page
            assert entry.first_page - 1 in toc
            assert entry.title.split(" ", 2)[-1] in texts[entry.first_page - 1]


def test_one_bookmark_per_item_with_one_per_document(world, clock, cache):
    built = member_pack(world.held_meeting, cache)
    outline = outline_tree(reader(built.data))
    titles = [title for title, _page, _children in outline]
    assert titles[:3] == ["Deckblatt", "Einladung", "Tagesordnung"]
    items = outline[3:]
    assert [(t, p + 1) for t, p, _ in items] == [
        (entry.title, entry.first_page) for entry in built.items
    ]
    assert items[0][0] == "Ö 1 Eröffnung der Sitzung" and items[0][2] == []
    reference = world.public_paper.reference
    assert [(t, p + 1) for t, p, _ in items[1][2]] == [
        (f"Vorlage {reference}", built.items[1].page_ranges[0][0]),
        ("Anlage 1: Begründung", built.items[1].page_ranges[1][0]),
        (f"Anlage 2: Vertrag {world.marker}", built.items[1].page_ranges[2][0]),
    ]
    assert items[2][0] == f"N 1 Grundstücksverkauf {world.marker}"
    assert len(items[2][2]) == 2

    # sub-items sit under their item; every item has exactly one entry
    meeting = long_meeting(world, clock, count=12)
    outline = outline_tree(reader(member_pack(meeting, cache).data))[3:]
    assert [t for t, _p, _c in outline][:2] == [
        "Ö 1 Haushaltsangelegenheit Nummer 1",
        "Ö 2 Haushaltsangelegenheit Nummer 2",
    ]

    def items_in(tree):
        return [t for t, _p, c in tree if "Haushalt" in t] + [
            x for _t, _p, c in tree for x in items_in(c)
        ]

    assert len(items_in(outline)) == 12
    fourth = next(c for t, _p, c in outline if t.endswith("Nummer 4"))
    assert [t for t, _p, _c in fourth] == [
        "Anlage 1: Unterlage 4",
        "Ö 4.1 Haushaltsangelegenheit Nummer 5",
    ]


def test_agenda_entries_link_to_the_items_first_page(world, cache):
    built = member_pack(world.held_meeting, cache)
    pdf = reader(built.data)
    assert not [uri for uri in uris(pdf) if uri.startswith("pack:")]
    links = [
        link for page in toc_page_indexes(built) for link in internal_links(pdf, page)
    ]
    assert len(links) == len(built.items)
    expected = {entry.title: entry.first_page - 1 for entry in built.items}
    for description, target in links:
        title = description.rsplit(" – Seite", 1)[0]
        assert target == expected[title]
        assert description.endswith(f"Seite {target + 1}")


def test_the_pack_is_a_tagged_german_pdf_with_title(world, cache):
    built = member_pack(world.held_meeting, cache)
    pdf = reader(built.data)
    root = pdf.root_object
    assert root["/Lang"] == "de"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"]
    title = "Sitzungsmappe 3. Sitzung des Bauausschusses (10.11.2026)"
    assert pdf.metadata.title == built.title == title
    xmp = pdf.xmp_metadata
    assert xmp.dc_title["x-default"] == title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    # the structure tree of every generated part survives the merge
    structure = subprocess.run(
        ["pdfinfo", "-struct-text", "-"],
        input=built.data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert structure.count("\n  Part") >= 5
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in structure
    assert f"Kaufpreis {world.marker}" in structure
    assert structure_problems(pdf) == []
    # the world's attachments are untagged PDFs (WeasyPrint without tags): the
    # pack does not claim PDF/UA; a pack of generated documents only does
    assert built.tagged is False
    assert b"pdfuaid" not in root["/Metadata"].get_data()
    generated_only = member_pack(world.cancelled, cache)
    assert generated_only.tagged is True
    metadata = reader(generated_only.data).root_object["/Metadata"].get_data()
    assert b'pdfuaid:part="1"' in metadata


def test_the_cover_shows_the_logo_and_a_new_logo_renders_the_documents_again(
    world, cache
):
    first = member_pack(world.held_meeting, cache)
    body = world.body
    body.logo.save("logo.png", ContentFile(png()), save=True)
    world.held_meeting.refresh_from_db()
    rebuilt = member_pack(world.held_meeting, cache)
    documents = [label for label in first.rendered if not label.startswith("file")]
    assert rebuilt.rendered == documents  # every document shows the logo
    assert images_on(reader(first.data).pages[0]) == 0
    assert images_on(reader(rebuilt.data).pages[0]) >= 1, "the logo is on the cover"


def images_on(page) -> int:
    xobjects = page["/Resources"].get("/XObject", {})
    return sum(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


# --- public and non-public ----------------------------------------------------


def test_the_public_pack_holds_nothing_non_public(world, cache):
    built = build_pack(meeting_selection(world.held_meeting, PUBLIC), cache=cache)
    pdf = reader(built.data)
    marker = world.marker
    texts = page_texts(built.data)
    assert not [i for i, text in enumerate(texts) if marker in text]
    assert "Öffentlicher Teil" in texts[0] and "Nichtöffentlich" not in texts[0]
    assert "Kaufvertrag" not in "".join(texts)
    assert "Wertgutachten" not in "".join(texts)
    assert "Grundstücksverkauf" not in "".join(texts)
    outline = outline_tree(pdf)
    assert all(marker not in title for title, _p, _c in outline)
    assert all(marker not in t for _t, _p, c in outline for t, _q, _d in c)
    assert marker not in str(pdf.metadata)
    assert marker.encode() not in pdf.root_object["/Metadata"].get_data()
    assert marker.encode() not in built.data
    assert built.nonpublic_pages == []
    assert [e.public for e in built.items] == [True, True]
    assert built.title.endswith("– öffentlicher Teil")
    # the public item keeps its public attachment, not the restricted one
    assert len(built.items[1].page_ranges) == 2


def test_non_public_pages_are_the_pages_of_non_public_documents(world, cache):
    built = member_pack(world.held_meeting, cache)
    texts = page_texts(built.data)
    _paper, _begruendung, vertrag = built.items[1].page_ranges
    secret = built.items[2]
    # the restricted file of the public item, and all of the non-public item
    expected = list(range(vertrag[0] - 1, vertrag[1])) + list(
        range(secret.first_page - 1, built.pages)
    )
    assert built.nonpublic_pages == expected
    shown = "".join(texts[i] for i in expected)
    for text in ("Kaufvertrag", "Kaufpreis", "Wertgutachten"):
        assert f"{text} {world.marker}" in shown
    assert not secret.public and built.items[1].public


def test_a_public_selection_with_a_hidden_part_is_refused(world, cache):
    selection = meeting_selection(world.held_meeting, MEMBER)
    selection.audience = PUBLIC
    with pytest.raises(ValueError, match="non-public"):
        build_pack(selection, cache=cache)


# --- incremental builds ------------------------------------------------------


def test_an_unchanged_meeting_reuses_every_part(world, cache):
    first = member_pack(world.held_meeting, cache)
    assert first.parts_reused == 0
    assert first.rendered == [
        "cover",
        "invitation",
        f"paper {world.public_paper.pk}",
        *[f"file {f.pk}" for f in world.public_paper.files.order_by("order", "pk")],
        f"paper {world.secret_paper.pk}",
        f"file {world.secret_file.pk}",
        "agenda",
    ]
    again = member_pack(world.held_meeting, cache)
    assert again.parts_rendered == 0
    assert again.parts_reused == first.parts_rendered == 8
    assert page_texts(again.data) == page_texts(first.data)
    assert again.part_keys == first.part_keys


def test_changing_a_paper_renders_that_paper_again_and_nothing_else(world, cache):
    member_pack(world.held_meeting, cache)
    paper = world.secret_paper
    paper.facts = f"<p>Kaufpreis {world.marker}, nachverhandelt: 1,2 Mio. Euro</p>"
    paper.save()
    rebuilt = member_pack(world.held_meeting, cache)
    assert rebuilt.rendered == [f"paper {paper.pk}"]
    assert "nachverhandelt" in page_texts(rebuilt.data)[rebuilt.items[2].first_page - 1]


def test_a_paper_growing_by_a_page_renders_it_and_the_agenda(world, cache):
    first = member_pack(world.held_meeting, cache)
    paper = world.public_paper
    paper.facts = "".join(
        f"<p>Absatz {n}: Der Bebauungsplan ermöglicht Wohnungen am Mühlenbach und "
        "regelt Erschließung, Lärmschutz und Ausgleichsflächen im Plangebiet.</p>"
        for n in range(40)
    )
    paper.save()
    rebuilt = member_pack(world.held_meeting, cache)
    assert rebuilt.rendered == [f"paper {paper.pk}", "agenda"]
    grown = rebuilt.items[1].page_ranges[0]
    assert (
        grown[1] - grown[0]
        > first.items[1].page_ranges[0][1] - first.items[1].page_ranges[0][0]
    )
    numbers = toc_numbers(rebuilt, toc_page_indexes(rebuilt))
    secret = rebuilt.items[2]
    assert numbers[f"Grundstücksverkauf {world.marker}"] == secret.first_page
    assert secret.first_page > first.items[2].first_page
    assert (
        world.secret_paper.reference in page_texts(rebuilt.data)[secret.first_page - 1]
    )


def text_pdf(*pages: str) -> bytes:
    """A PDF with one line of text per page (standard font, untagged)."""
    new = PdfWriter()
    for text in pages:
        page = new.add_blank_page(595, 842)
        page[NameObject("/Contents")] = new._add_object(_text_stream(text))
        page[NameObject("/Resources")] = _helvetica()
    buffer = io.BytesIO()
    new.write(buffer)
    return buffer.getvalue()


def test_a_new_version_of_an_attached_file_is_read_again_alone(world, cache):
    member_pack(world.held_meeting, cache)
    begruendung = world.public_paper.files.get(name="Begründung")
    # same length: only the file; the paper lists it by name, which stays
    replace_content(begruendung, text_pdf("Begründung, zweite Fassung"))
    rebuilt = member_pack(world.held_meeting, cache)
    assert rebuilt.rendered == [f"file {begruendung.pk}"]
    start, end = rebuilt.items[1].page_ranges[1]
    assert "zweite Fassung" in page_texts(rebuilt.data)[start - 1]
    # one page longer: the later items move, so the agenda's numbers change
    replace_content(begruendung, text_pdf("Dritte Fassung", "Seite zwei"))
    rebuilt = member_pack(world.held_meeting, cache)
    assert rebuilt.rendered == [f"file {begruendung.pk}", "agenda"]
    start, end = rebuilt.items[1].page_ranges[1]
    assert end - start == 1
    assert "Dritte Fassung" in page_texts(rebuilt.data)[start - 1]
    numbers = toc_numbers(rebuilt, toc_page_indexes(rebuilt))
    assert numbers[f"Grundstücksverkauf {world.marker}"] == rebuilt.items[2].first_page


def _helvetica() -> DictionaryObject:
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )


def _text_stream(text: str):
    stream = DecodedStreamObject()
    escaped = text.encode("cp1252").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream.set_data(b"BT /F1 12 Tf 72 760 Td (" + escaped + b") Tj ET")
    return stream


def test_without_the_cache_every_part_is_rendered(world, cache):
    cached = member_pack(world.held_meeting, cache)
    uncached = build_pack(meeting_selection(world.held_meeting, MEMBER), cache=None)
    assert uncached.parts_reused == 0
    assert uncached.parts_rendered == cached.parts_rendered == 8
    assert uncached.pages == cached.pages
    assert page_texts(uncached.data) == page_texts(cached.data)


def test_parts_made_in_worker_processes_equal_those_made_here(
    world, settings, monkeypatch
):
    # A build forks only in a process without other threads (a fork copies
    # only the forking thread). Earlier tests of the suite leave idle
    # executor threads behind; they hold nothing the renderers need.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    selection = meeting_selection(world.held_meeting, MEMBER)
    settings.GREMIEN_PACK_PROCESSES = 1
    here = build_pack(selection, cache=None)
    settings.GREMIEN_PACK_PROCESSES = 2
    forked = build_pack(selection, cache=None)
    assert (here.processes, forked.processes) == (1, 2)
    assert forked.part_keys == here.part_keys
    assert page_texts(forked.data) == page_texts(here.data)
    assert outline_tree(reader(forked.data)) == outline_tree(reader(here.data))


def test_progress_is_reported_after_every_part(world, cache):
    calls = []
    member_pack_progress = build_pack(
        meeting_selection(world.held_meeting, MEMBER),
        cache=cache,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(n, 8) for n in range(1, 9)]
    assert member_pack_progress.parts_rendered == 8


def test_an_attachment_that_cannot_be_read_stops_the_build_with_its_name(world, cache):
    world.secret_file.content.storage.delete(world.secret_file.content.name)
    with pytest.raises(PartError, match=f"Wertgutachten {world.marker}"):
        member_pack(world.held_meeting, cache)


# --- the part store --------------------------------------------------------


def test_parts_are_stored_by_content_key_with_their_page_count(world, cache):
    built = member_pack(world.held_meeting, cache)
    storage = cache.storage
    for key in built.part_keys:
        assert storage.exists(f"packs/parts/{key[:2]}/{key}.pdf")
        assert storage.exists(f"packs/parts/{key[:2]}/{key}.json")
    assert cache.misses == 8 and cache.hits == 0
    # a part whose page count was never written (an interrupted write) is
    # rendered again
    cover = next(k for k in built.part_keys if cache.get(k).pages == 1)
    storage.delete(f"packs/parts/{cover[:2]}/{cover}.json")
    again = member_pack(world.held_meeting, cache)
    assert again.parts_rendered >= 1 and again.parts_reused >= 5
    assert cache.prune(keep=again.part_keys) == 0
    assert cache.prune(keep=[]) == len(set(again.part_keys))
    assert cache.keys() == set()


def _annotation(writer, subtype: str, action: dict | None):
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject(NumberObject(n) for n in (10, 10, 50, 50)),
        }
    )
    if action:
        annotation[NameObject("/A")] = DictionaryObject(action)
    return writer._add_object(annotation)


def test_scripts_and_media_of_an_uploaded_pdf_do_not_reach_the_pack():
    source = PdfWriter()
    page = source.add_blank_page(595, 842)
    s, name = NameObject("/S"), NameObject
    source.root_object[name("/OpenAction")] = DictionaryObject(
        {s: name("/JavaScript"), name("/JS"): TextStringObject("app.alert(0)")}
    )
    page[NameObject("/Annots")] = ArrayObject(
        [
            _annotation(
                source,
                "/Link",
                {s: name("/JavaScript"), name("/JS"): TextStringObject("app.alert(1)")},
            ),
            _annotation(
                source,
                "/Link",
                {
                    s: name("/URI"),
                    name("/URI"): TextStringObject("https://example.org/"),
                },
            ),
            _annotation(
                source,
                "/Link",
                {s: name("/Launch"), name("/F"): TextStringObject("calc.exe")},
            ),
            _annotation(source, "/FileAttachment", None),
        ]
    )
    buffer = io.BytesIO()
    source.write(buffer)

    normalised = attachment_part(buffer.getvalue(), "anlage.pdf")
    assert normalised.pages == 1
    assert b"JavaScript" not in normalised.data and b"Launch" not in normalised.data
    assert b"FileAttachment" not in normalised.data
    assert uris(reader(normalised.data)) == ["https://example.org/"]
    with pytest.raises(PartError, match="kaputt.pdf"):
        attachment_part(b"%PDF-1.7\nkaputt", "kaputt.pdf")

"""Invitation, agenda, minutes and resolution extract as PDFs, read back as a
reader would (pdftotext, pypdf); and their staff downloads in the admin."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from publicportal.minutes import public_minutes_items
from sessions.extracts import plain_text
from sessions.pdf.documents import (
    agenda_pdf,
    invitation_pdf,
    minutes_pdf,
    resolution_extract_pdf,
)
from sessions.pdf.selection import MEMBER, PUBLIC, meeting_selection
from tests.documents.pdf_helpers import (
    catalog,
    link_uris,
    page_texts,
    pdf_text,
    xmp,
)
from tests.gremien.factories import BodyFactory, UserFactory, staff_of
from tests.publicportal.conftest import world  # noqa: F401 (fixture)
from tests.sessions.pdf_session import build_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(clock):
    return build_session(clock)


def flat(text: str) -> str:
    """The text with line breaks and hyphenation undone."""
    return re.sub(r"\s+", " ", re.sub(r"[\u2010\u00ad-]\n", "", text))


def starts_with_number(line: str, number: str) -> bool:
    """Whether a layout line is the row of item ``number`` (pdftotext may
    drop the narrow space in "Ö 1")."""
    pattern = re.escape(number).replace(r"\ ", r"\s?")
    return re.match(rf"\s*{pattern}\s", line) is not None


def row_of(lines: list[str], number: str) -> str:
    return next(line for line in lines if starts_with_number(line, number))


def numbers_in_order(data: bytes, numbers: list[str]) -> bool:
    """Whether agenda rows starting with ``numbers`` come in this order."""
    lines = pdf_text(data, layout=True).splitlines()
    rows = [
        next((n for n, line in enumerate(lines) if starts_with_number(line, num)), -1)
        for num in numbers
    ]
    return -1 not in rows and rows == sorted(rows)


def unique(values: list[str]) -> list[str]:
    """A link broken over two lines has one annotation per line."""
    return list(dict.fromkeys(values))


# --- invitation ------------------------------------------------------------------


def test_the_invitation_names_addressees_time_place_agenda_and_signatory(session):
    pdf = invitation_pdf(meeting_selection(session.meeting, MEMBER))

    text = flat(pdf_text(pdf.data))
    for expected in (
        "An die Mitglieder Ausschuss für Stadtentwicklung und Bauen",
        "Einladung",
        "Donnerstag, 12. März 2026",
        "17:00 Uhr",
        "Rathaus, Großer Sitzungssaal, Marktplatz 1, Neuhausen",
        "hiermit lade ich Sie zur Sitzung „12. Sitzung des Ausschusses",
        "Öffentlicher Teil",
        "Nichtöffentlicher Teil",
        "Ladungsfrist 7 Tage (§ 47 Abs. 2 GO NRW), versandt am 02.03.2026",
        "Mit freundlichen Grüßen Erika Mustermann Vorsitzende",
    ):
        assert expected in text, expected
    assert session.marker in text  # the members' copy lists the non-public items
    assert numbers_in_order(
        pdf.data, ["Ö 1", "Ö 2", "Ö 3", "Ö 6.1", "Ö 7", "N 1", "N 2"]
    )


def test_the_public_invitation_and_agenda_show_nothing_non_public(world):  # noqa: F811
    meeting = world.council_meeting
    public = meeting_selection(meeting, PUBLIC)
    members = meeting_selection(meeting, MEMBER)

    for document in (invitation_pdf(public), agenda_pdf(public)):
        text = pdf_text(document.data)
        assert world.council_item.name in flat(text)
        assert world.marker not in text
        assert "Nichtöffentlicher Teil" not in text
    member_text = pdf_text(agenda_pdf(members).data)
    assert world.marker in member_text
    assert "Nichtöffentlicher Teil" in member_text
    cancelled = flat(
        pdf_text(agenda_pdf(meeting_selection(world.cancelled, PUBLIC)).data)
    )
    assert "Die Sitzung ist abgesagt. Grund: Keine Beratungsgegenstände" in cancelled


# --- agenda ------------------------------------------------------------------------


def test_the_agenda_lists_items_with_paper_numbers_sub_items_and_addenda(session):
    pdf = agenda_pdf(meeting_selection(session.meeting, MEMBER))

    lines = pdf_text(pdf.data, layout=True).splitlines()
    text = flat(pdf_text(pdf.data))
    assert "Tagesordnung" in text and "Öffentlicher Teil" in text
    assert text.index("Öffentlicher Teil") < text.index("Nichtöffentlicher Teil")
    assert text.index("Nichtöffentlicher Teil") < text.index(session.marker)
    row = row_of(lines, "Ö 4")
    assert "Sanierung der Turnhalle" in row and session.school.reference in row
    late = next(line for line in lines if "Baumfällungen" in line)
    assert "NACHTRAG" in late.upper()
    sub = next(line for line in lines if "Radwegebau" in line)
    assert starts_with_number(sub, "Ö 6.1")
    assert not any(re.search(r"Vorlage\s+Seite", line) for line in lines)
    assert link_uris(pdf.data) == []


def test_the_agenda_as_table_of_contents_gives_pages_and_links(session):
    selection = meeting_selection(session.meeting, MEMBER)
    pages = {part.item.pk: 3 + 2 * n for n, part in enumerate(selection.items)}

    pdf = agenda_pdf(selection, page_numbers=pages, item_links=True)

    lines = pdf_text(pdf.data, layout=True).splitlines()
    assert any(re.search(r"Vorlage\s+Seite\s*$", line) for line in lines)
    for part in selection.items:
        title_start = part.item.name[:20]
        row = next(line for line in lines if title_start in line)
        assert row.rstrip().endswith(str(pages[part.item.pk])), row
    assert unique(link_uris(pdf.data)) == [
        f"pack:item-{part.item.pk}" for part in selection.items
    ]


# --- minutes -------------------------------------------------------------------------


def test_the_minutes_record_attendance_discussion_votes_bias_and_signatures(session):
    meeting = session.meeting
    pdf = minutes_pdf(meeting, items=meeting.agenda_items.alive().order_by("order"))

    text = flat(pdf_text(pdf.data))
    for expected in (
        "Niederschrift",
        "ENTWURF",
        "Beginn 17:00 Uhr Ende 19:40 Uhr",
        "Vorsitz Erika Mustermann",
        "Schriftführung Sven Protokoll",
        "Mitglieder Hans Beispiel; Dr. Klaus Berger; Jonas Krüger; Aylin Yılmaz",
        "Stellvertretung Peter Neumann (für Maria Schmidt, ab TOP Ö 3)",
        "Entschuldigt Maria Schmidt",
        "Vorlage VO/2026/0001",
        "Beratung Herr Dr. Berger fragt nach dem Hochwasserschutz.",
        "Anträge Antrag von Frau Yılmaz",
        "Erklärungen zu Protokoll Herr Krüger erklärt",
        "Beschluss Der Bauausschuss empfiehlt dem Rat",
        "Ergebnis: empfohlen",
        "Abstimmung: 5 Ja-Stimmen, 1 Nein-Stimme, 0 Enthaltungen",
        "Namentliche Abstimmung",
        "Aylin Yılmaz Nein",
        "Dr. Klaus Berger Enthaltung",
        "Wegen Befangenheit nicht an Beratung und Abstimmung beteiligt: Jonas Krüger",
        "Ergebnis: abgelehnt",
        "Abstimmung: einstimmig",
        "Unterschriften",
    ):
        assert expected in text, expected
    pages = page_texts(pdf.data)
    nonpublic = next(
        i for i, page in enumerate(pages) if "Nichtöffentlicher Teil" in page
    )
    assert "Öffentlicher Teil" not in pages[nonpublic].replace("Nichtöffentlicher", "")
    assert session.marker not in "".join(pages[:nonpublic])
    assert session.marker in pages[nonpublic]


def test_public_minutes_name_only_public_persons_and_items(session):
    meeting = session.meeting
    public_items = [
        i for i in meeting.agenda_items.alive().order_by("order") if i.public
    ]
    named = {session.chair.pk, *(p.pk for p in session.members), session.deputy.pk}

    text = flat(
        pdf_text(minutes_pdf(meeting, items=public_items, public_persons=named).data)
    )

    assert "Erika Mustermann" in text and "Peter Neumann" in text
    assert "Sven Protokoll" not in text  # staff, not a public person
    assert session.marker not in text and "Nichtöffentlicher Teil" not in text


def test_published_minutes_from_the_portal_carry_no_secret_and_show_signatures(
    world,  # noqa: F811
):
    meeting = world.held_meeting
    pdf = minutes_pdf(meeting, items=public_minutes_items(meeting))

    text = flat(pdf_text(pdf.data))
    assert world.public_item.name in text
    assert "Der Bauausschuss empfiehlt dem Rat den Beschluss." in text
    assert world.marker not in text and world.secret_item.name not in text
    assert "ENTWURF" not in text
    assert len(re.findall(r"unterzeichnet am \d\d\.\d\d\.\d{4}", text)) == 2


def test_archival_minutes_are_pdf_a_3b(session):
    meeting = session.meeting
    items = meeting.agenda_items.alive().order_by("order")

    archival = minutes_pdf(meeting, items=items, archival=True)
    accessible = minutes_pdf(meeting, items=items)

    metadata = xmp(archival.data)
    assert re.search(r"pdfaid:part(=\"|>)3", metadata)
    assert re.search(r"pdfaid:conformance(=\"|>)B", metadata)
    assert catalog(archival.data)["/Lang"] == "de"
    assert "pdfaid" not in xmp(accessible.data)
    assert re.search(r"pdfuaid:part(=\"|>)1", xmp(accessible.data))
    assert pdf_text(archival.data) == pdf_text(accessible.data)


# --- resolution extract --------------------------------------------------------------


def test_the_resolution_extract_has_the_content_of_the_text_extract(session):
    item = session.school_item

    text = flat(pdf_text(resolution_extract_pdf(item).data))

    for expected in (
        "Beschlussauszug",
        "Auszug aus der Niederschrift",
        "Stadt Neuhausen",
        "Ausschuss für Stadtentwicklung und Bauen",
        "12.03.2026",
        f"{item.number}",
        item.name,
        f"{session.school.reference} {session.school.name}",
        plain_text(item.resolution_text),
        "Ergebnis: beschlossen",
        "Abstimmung: 3 Ja-Stimmen, 1 Nein-Stimme, 1 Enthaltung",
        "Aylin Yılmaz Nein",
        "Wegen Befangenheit nicht an Beratung und Abstimmung beteiligt: Jonas Krüger",
        "Für die Richtigkeit des Auszugs: Neuhausen, 13.03.2026 Sven Protokoll",
    ):
        assert expected in text, expected
    assert "Nichtöffentlich" not in text
    assert session.marker not in text


def test_the_extract_of_a_non_public_item_is_marked(session):
    text = flat(pdf_text(resolution_extract_pdf(session.land_item).data))

    assert text.startswith("Stadt Neuhausen") and "NICHTÖFFENTLICH" in text.upper()
    assert "Dem Verkauf wird zugestimmt." in text


# --- staff downloads ------------------------------------------------------------------


def download_urls(session) -> dict[str, str]:
    pk = session.meeting.pk
    return {
        "Einladung": reverse("meetings_pdf_invitation", args=[pk]),
        "Tagesordnung": reverse("meetings_pdf_agenda", args=[pk]),
        "Niederschrift": reverse("meetings_pdf_minutes", args=[pk]),
        "Beschlussauszug": reverse("meetings_pdf_extract", args=[session.plan_item.pk]),
    }


def test_staff_of_the_body_download_the_documents(client, session):
    client.force_login(session.clerk)

    for kind, url in download_urls(session).items():
        response = client.get(url)

        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf"
        cache_control = {v.strip() for v in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control
        disposition = unquote(response["Content-Disposition"])
        assert disposition.startswith("attachment;")
        assert (
            f"{kind}-2026-03-12-Ausschuss-für-Stadtentwicklung-und-Bauen" in disposition
        )
        assert disposition.endswith(".pdf")
        assert response.content.startswith(b"%PDF-")
    member_agenda = pdf_text(client.get(download_urls(session)["Tagesordnung"]).content)
    assert session.marker in member_agenda


def test_the_archive_copy_of_the_minutes_is_pdf_a(client, session):
    client.force_login(session.clerk)
    url = download_urls(session)["Niederschrift"]

    response = client.get(url, {"archiv": "1"})

    assert response.status_code == 200
    assert "PDF-A.pdf" in unquote(response["Content-Disposition"])
    assert re.search(r"pdfaid:part(=\"|>)3", xmp(response.content))


def test_other_bodies_staff_and_anonymous_visitors_get_no_document(client, session):
    outsider = staff_of(BodyFactory())
    without_permission = UserFactory()
    urls = download_urls(session)

    for url in urls.values():
        assert client.get(url).status_code == 302  # the admin's login
        assert not client.get(url).content.startswith(b"%PDF")
    client.force_login(outsider)
    for url in urls.values():
        assert client.get(url).status_code == 404
    client.force_login(without_permission)
    for url in urls.values():
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert not response.content.startswith(b"%PDF")


def test_the_status_and_minutes_screens_link_the_pdfs(client, session):
    client.force_login(session.clerk)
    urls = download_urls(session)

    status = client.get(reverse("meetings_status", args=[session.meeting.pk])).text
    minutes = client.get(reverse("meetings_minutes", args=[session.meeting.pk])).text

    for kind in ("Einladung", "Tagesordnung", "Niederschrift"):
        assert f'href="{urls[kind]}"' in status
    assert f'href="{urls["Niederschrift"]}?archiv=1"' in status
    for item in session.meeting.agenda_items.alive():
        assert reverse("meetings_pdf_extract", args=[item.pk]) in minutes

import io

from pypdf import PdfReader

from demo.pdfgen import Block, render, winansi


def extract(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data), strict=True)
    return "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    return " ".join(text.split())


def test_german_text_round_trips_through_a_pdf_reader():
    text = "Größenverhältnisse „Am Mühlenbach“ – Maß (§ 2) für 1.250 € \\ Ölfeld"

    pdf = render([Block("title", "Übersicht"), Block("text", text)], title="Übersicht")

    extracted = extract(pdf.data)
    assert "Übersicht" in extracted
    assert words(text) in words(extracted)
    assert words(pdf.text) == words(f"Übersicht {text}")


def test_long_text_is_wrapped_onto_several_pages_and_stays_complete():
    paragraph = "Die Verwaltung empfiehlt, dem Beschlussvorschlag zu folgen. " * 12
    blocks = [Block("text", f"Absatz {n}: {paragraph}") for n in range(30)]

    pdf = render(blocks, title="Lang", footer="VO/2026/0001")

    reader = PdfReader(io.BytesIO(pdf.data), strict=True)
    assert len(reader.pages) > 3
    extracted = words(extract(pdf.data))
    assert "Absatz 0:" in extracted and "Absatz 29:" in extracted
    assert f"Seite {len(reader.pages)} von {len(reader.pages)}" in extracted


def test_metadata_carries_the_title_and_output_is_deterministic():
    blocks = [Block("text", "Inhalt")]

    first = render(blocks, title="Beschluss „Ölmühle“")
    second = render(blocks, title="Beschluss „Ölmühle“")

    assert first.data == second.data
    assert PdfReader(io.BytesIO(first.data)).metadata.title == "Beschluss „Ölmühle“"


def test_characters_outside_winansi_are_replaced_in_text_and_pdf_alike():
    pdf = render([Block("text", "Ein Pfeil → und ein Ş")], title="x")

    assert pdf.text == winansi("Ein Pfeil → und ein Ş") == "Ein Pfeil ? und ein ?"
    assert "Ein Pfeil ? und ein ?" in extract(pdf.data)

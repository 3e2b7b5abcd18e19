import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from documents.models import File
from documents.services import file_attach, paper_create
from tests.gremien.factories import BodyFactory

TEXT = "Bebauungsplan Nr. 47 „Am Mühlenbach“ – Begründung und Umweltbericht"


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return HTML(string=f"<html lang='de'><body><p>{TEXT}</p></body></html>").write_pdf()


@pytest.fixture
def paper(db):
    return paper_create(
        actor=None,
        body=BodyFactory(),
        name="Bebauungsplan",
        date=datetime.date(2026, 3, 1),
    )


def upload(data: bytes, name: str = "anlage.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.django_db
def test_uploaded_pdf_is_stored_with_checksums_and_its_text_extracted_after_commit(
    paper, text_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file = file_attach(actor=None, owner=paper, upload=upload(text_pdf))

    file.refresh_from_db()
    assert file.size == len(text_pdf)
    assert len(file.sha256) == 64 and len(file.sha512) == 128
    assert file.content.name.endswith(f"{file.sha256}.pdf")
    assert "Am Mühlenbach" in file.text
    assert list(paper.files.all()) == [file]


@pytest.mark.django_db
def test_identical_uploads_share_one_stored_blob(paper, text_pdf):
    first = file_attach(actor=None, owner=paper, upload=upload(text_pdf, "a.pdf"))
    second = file_attach(actor=None, owner=paper, upload=upload(text_pdf, "b.pdf"))

    assert (
        first.content.name.rsplit("/", 1)[-1] == second.content.name.rsplit("/", 1)[-1]
    )
    assert second.file_name == "b.pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"GIF89a not a pdf", "Die Datei ist kein PDF-Dokument."),
        (
            b"%PDF-1.7\n1 0 obj garbage",
            "Das PDF ist beschädigt und kann nicht gelesen werden.",
        ),
    ],
)
def test_unusable_uploads_are_refused_and_nothing_is_stored(paper, data, message):
    with pytest.raises(ValidationError) as exc:
        file_attach(actor=None, owner=paper, upload=upload(data))

    assert exc.value.message_dict["content"] == [message]
    assert File.objects.count() == 0


@pytest.mark.django_db
def test_encrypted_pdf_is_refused(paper, text_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf)))
    writer.encrypt("geheim")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ValidationError) as exc:
        file_attach(actor=None, owner=paper, upload=upload(buffer.getvalue()))

    assert "verschlüsselt" in exc.value.message_dict["content"][0]
    assert File.objects.count() == 0


@pytest.mark.django_db
def test_a_file_belongs_to_exactly_one_owner(paper):
    orphan = File(body=paper.body, name="Waise", file_name="waise.pdf")
    with pytest.raises(ValidationError) as exc:
        orphan.full_clean()
    assert exc.value.messages == [
        "Eine Datei gehört zu genau einer Vorlage, Sitzung oder einem "
        "Tagesordnungspunkt."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "declared"),
    [("anlage.pdf", "text/plain"), ("anlage.txt", "text/plain"), ("scan", "")],
)
def test_pdf_is_recognised_by_content_or_name_not_by_the_browsers_word(
    paper, name, declared
):
    data = b"%PDF-1.7\n1 0 obj garbage" if name != "anlage.pdf" else b"not a pdf"
    fake = SimpleUploadedFile(name, data, content_type=declared)

    with pytest.raises(ValidationError):
        file_attach(actor=None, owner=paper, upload=fake, mime_type=declared)

    assert File.objects.count() == 0


@pytest.mark.django_db
def test_a_plain_text_file_is_stored_with_its_type_and_text(
    paper, django_capture_on_commit_callbacks
):
    note = SimpleUploadedFile("vermerk.txt", "Vermerk über die Ortsbegehung".encode())

    with django_capture_on_commit_callbacks(execute=True):
        file = file_attach(actor=None, owner=paper, upload=note, mime_type="text/plain")

    file.refresh_from_db()
    assert file.mime_type == "text/plain"
    assert file.text == "Vermerk über die Ortsbegehung"

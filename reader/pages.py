"""The pages of a document version: their number and a hash of each page's
text, computed on the server with pypdf (one extractor for every client, so
that the hashes of two versions compare). Stored once per SHA-256
(``DocumentPages``): a version never changes."""

import hashlib
import io
import logging

from django.db import IntegrityError, transaction
from pypdf import PdfReader

from documents.filecheck import PDF
from documents.models import File

from .models import DocumentPages

logger = logging.getLogger(__name__)


def page_text_hash(text: str) -> str:
    """Hash of a page's text, blind to how the extractor spaced it; "" for a
    page without text (a scan: a change cannot be seen in its text)."""
    words = " ".join(text.split())
    if not words:
        return ""
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]


def fingerprint(data: bytes) -> tuple[int, list[str]]:
    """Number of pages and per-page text hashes of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    hashes = []
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # a damaged page must not hide the others
            logger.warning("page text extraction failed", exc_info=True)
            text = ""
        hashes.append(page_text_hash(text))
    return len(hashes), hashes


def known_pages(sha256: str) -> DocumentPages | None:
    if not sha256:
        return None
    return DocumentPages.objects.filter(sha256=sha256).first()


def pages_of(file: File) -> DocumentPages | None:
    """The pages of ``file``'s current version, computed now if not known
    yet; ``None`` for a file that is not a readable PDF."""
    if not file.sha256 or file.mime_type != PDF or not file.content:
        return None
    found = known_pages(file.sha256)
    if found is not None:
        return found
    try:
        with file.content.storage.open(file.content.name, "rb") as handle:
            data = handle.read()
        count, hashes = fingerprint(data)
    except Exception:
        logger.warning("cannot read the pages of file %s", file.pk, exc_info=True)
        return None
    try:
        with transaction.atomic():
            return DocumentPages.objects.create(
                sha256=file.sha256, page_count=count, page_hashes=hashes
            )
    except IntegrityError:  # computed by a concurrent request meanwhile
        return DocumentPages.objects.get(sha256=file.sha256)

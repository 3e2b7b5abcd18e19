"""What an uploaded file is, and what text it holds.

Uploads are checked here once, so that nothing broken ever reaches a session
pack build or the search index.
"""

import io
import logging
import mimetypes

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

PDF = "application/pdf"
TEXT_TYPES = {"text/plain", "text/csv"}


def detect_mime_type(data: bytes, file_name: str, declared: str = "") -> str:
    """The type we store: PDF by content or name, never only by the browser's word.

    A file named ``.pdf`` stays a PDF even if its content is not, so that the
    upload check refuses it instead of storing it under another type.
    """
    if data.startswith(b"%PDF-") or file_name.lower().endswith(".pdf"):
        return PDF
    return declared or mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def validate_upload(data: bytes, mime_type: str) -> None:
    """Refuse files that cannot be used later, with a message for the uploader."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if mime_type != PDF:
        return
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("The file is not a PDF document."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "The PDF is encrypted or password-protected. "
                    "Please upload it without protection."
                )
            )
        if len(reader.pages) == 0:
            raise ValidationError(_("The PDF has no pages."))
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("The PDF is damaged and cannot be read.")) from exc


def extract_text(data: bytes, mime_type: str) -> str:
    """Plain text of a document for full-text search; empty if it has none."""
    if mime_type in TEXT_TYPES:
        return data.decode("utf-8", errors="replace")
    if mime_type != PDF:
        return ""
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages).strip()
    except Exception:  # a damaged page must not stop the index of the rest
        logger.warning("text extraction failed", exc_info=True)
        return ""

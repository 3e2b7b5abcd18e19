"""Sending the content of a public file: one implementation for the portal's
downloads (``/dateien/<pk>/<name>``) and the OParl API's ``accessUrl`` and
``downloadUrl``. The caller has checked visibility.

The stored content is streamed with its type and ``nosniff``; the SHA-256 is
the ETag and caches must revalidate. An imported file whose content stayed at
its source redirects there.
"""

import logging

from django.http import FileResponse, HttpResponseNotModified, HttpResponseRedirect

from documents.models import File

from .links import file_name

logger = logging.getLogger(__name__)


class ContentMissing(Exception):
    """The file is public but its content is not here."""


def file_response(request, file: File, *, attachment: bool):
    etag = f'"{file.sha256}"' if file.sha256 else ""
    if etag and request.headers.get("If-None-Match") == etag:
        return _revalidate(HttpResponseNotModified(), etag)
    if not file.content:
        if file.source_url:
            # Imported without its content: the original system still has it.
            return HttpResponseRedirect(file.source_url)
        raise _missing(file, "no stored content")
    try:
        handle = file.content.storage.open(file.content.name, "rb")
    except OSError:
        raise _missing(file, f"blob {file.content.name} is missing") from None
    response = FileResponse(
        handle,
        as_attachment=attachment,
        filename=file.file_name or file_name(file),
        content_type=file.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _revalidate(response, etag)


def _missing(file: File, reason: str) -> ContentMissing:
    logger.warning("File %s: %s", file.pk, reason)
    return ContentMissing(reason)


def _revalidate(response, etag: str):
    """Caches may keep a copy but must ask every time (a cheap 304 for an
    unchanged file): a file that stops being public is gone at once, also
    from shared caches."""
    response["Cache-Control"] = "public, no-cache"
    if etag:
        response["ETag"] = etag
    return response

"""Downloads of public files: ``/dateien/<pk>/<filename>``.

Visibility is checked on every request through
``visibility.public_files``; a restricted file, a file of something
non-public, a deleted file and a missing one all get the same 404.
"""

import logging
from urllib.parse import unquote

from django.http import (
    FileResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)

from .. import visibility
from ..links import PortalLinks, file_name
from .base import not_found

logger = logging.getLogger(__name__)


def file_download(request, portal, pk: int, filename: str):
    file = visibility.public_files(portal.body).filter(pk=pk).first()
    if file is None:
        raise not_found()
    canonical = file_name(file)
    if unquote(filename) != canonical:
        url = PortalLinks(portal, request).file(file)
        if request.GET.get("download"):
            url += "?download=1"
        return HttpResponsePermanentRedirect(url)
    etag = f'"{file.sha256}"' if file.sha256 else ""
    if etag and request.headers.get("If-None-Match") == etag:
        return _revalidate(HttpResponseNotModified(), etag)
    if not file.content:
        if file.source_url:
            # Imported without its content: the original system still has it.
            return HttpResponseRedirect(file.source_url)
        logger.warning("File %s has no stored content", file.pk)
        raise not_found()
    try:
        handle = file.content.storage.open(file.content.name, "rb")
    except OSError:
        logger.warning("File %s: blob %s is missing", file.pk, file.content.name)
        raise not_found() from None
    response = FileResponse(
        handle,
        as_attachment=bool(request.GET.get("download")),
        filename=file.file_name or canonical,
        content_type=file.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _revalidate(response, etag)


def _revalidate(response, etag: str):
    """Caches may keep a copy but must ask every time (a cheap 304 for an
    unchanged file): a file that stops being public is gone at once, also
    from shared caches."""
    response["Cache-Control"] = "public, no-cache"
    if etag:
        response["ETag"] = etag
    return response

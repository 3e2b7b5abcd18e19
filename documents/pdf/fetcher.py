"""The URL fetcher of every PDF: the project's own files, nothing else.

Templates refer to static files as ``{% static %}`` does (``/static/…``) and to
uploaded files by ``MEDIA_URL`` (``/media/…``); the document's base URL is a
host that does not exist (``.invalid``), so every relative address lands
here. Static files come from the staticfiles finders (no ``collectstatic``
needed in development and tests) or ``STATIC_ROOT``; media files from the
default storage. Anything else (http, https elsewhere, ``file:``) is refused:
a council document never makes a network request and never reads a file the
project did not put there. ``data:`` URLs are fine, they are inline.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: Base URL of every document: relative addresses resolve against it.
BASE_URL = "https://gremienportal.invalid/"
_HOST = urlsplit(BASE_URL).netloc


class RefusedURL(ValueError):
    """An address outside the project's own files (WeasyPrint skips the
    resource and logs it; it never stops a document)."""


def _static_file(name: str) -> Path:
    found = finders.find(name)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / name).resolve()
    if root in candidate.parents and candidate.is_file():
        return candidate
    raise RefusedURL(f"no static file {name!r}")


def _response(url: str, name: str, body) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


class ProjectFetcher(URLFetcher):
    """Serves ``/static/…`` and ``/media/…`` of :data:`BASE_URL`; refuses
    everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != _HOST:
            logger.warning("PDF: refused to fetch %s", url)
            raise RefusedURL(f"not a file of the project: {url}")
        path = unquote(parts.path)
        try:
            if path.startswith(settings.STATIC_URL):
                name = path.removeprefix(settings.STATIC_URL)
                return _response(url, name, _static_file(name).read_bytes())
            if path.startswith(settings.MEDIA_URL):
                name = path.removeprefix(settings.MEDIA_URL)
                with default_storage.open(name, "rb") as blob:
                    return _response(url, name, blob.read())
        except (OSError, SuspiciousFileOperation) as error:
            logger.warning("PDF: cannot read %s: %s", url, error)
            raise RefusedURL(f"cannot read {url}") from error
        logger.warning("PDF: refused to fetch %s", url)
        raise RefusedURL(f"not a file of the project: {url}")

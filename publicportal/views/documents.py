"""The generated PDFs of a public meeting.

- ``/sitzungen/<address>/sitzungsmappe.pdf``: the public session pack, built
  in the background (``sessions.packs``); handed out only while the meeting
  and its agenda are public and everything in the pack is still public
  (``sessions.packs.service.public_pack``, whose rules come from
  :mod:`publicportal.visibility`);
- ``/sitzungen/<address>/tagesordnung.pdf``: the public agenda, once the
  invitation has been sent;
- ``/sitzungen/<address>/niederschrift.pdf``: the public minutes, once they
  are published.

Visibility is checked on every request; anything else is the portal's 404.
Agenda and minutes are rendered on request and kept in the cache under the
page cache's version, so every saved change renders them afresh and an
unchanged one is rendered once. None of these answers goes into the page
cache (they are streamed); browsers and proxies may keep them but must ask
every time (``no-cache`` with an ETag), so a document that stops being public
is gone at once.
"""

import hashlib
import io
import logging

from django.core.cache import caches
from django.http import FileResponse, HttpResponseNotModified

from sessions.packs import service as packs
from sessions.pdf.documents import agenda_pdf, minutes_pdf
from sessions.pdf.selection import PUBLIC, meeting_selection

from .. import cache, visibility
from ..minutes import public_minutes_items
from .base import not_found
from .meetings import find_meeting

logger = logging.getLogger(__name__)


def _revalidate(response, etag: str):
    response["Cache-Control"] = "public, no-cache"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _not_modified(request, etag: str):
    if request.headers.get("If-None-Match") == etag:
        return _revalidate(HttpResponseNotModified(), etag)
    return None


def _pdf_response(request, data: bytes, filename: str):
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    unchanged = _not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    return _revalidate(response, etag)


def meeting_pack(request, portal, slug: str):
    meeting = find_meeting(portal.body, slug)
    if not visibility.agenda_published(meeting):
        raise not_found()
    pack = packs.public_pack(meeting)
    if pack is None or not packs.file_exists(pack):
        raise not_found()
    etag = f'"{pack.sha256}"'
    unchanged = _not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    try:
        handle = pack.file.storage.open(pack.file.name, "rb")
    except OSError:
        logger.warning("Public pack %s: file %s is missing", pack.pk, pack.file.name)
        raise not_found() from None
    pack.meeting = meeting
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=packs.pack_filename(pack),
        content_type="application/pdf",
    )
    return _revalidate(response, etag)


def _rendered(kind: str, meeting, render) -> bytes:
    """``render()`` kept under the page cache's version (read before
    rendering: a change meanwhile makes the result stale at once)."""
    seconds = cache.cache_seconds()
    if seconds <= 0:
        return render()
    key = f"portal-pdf:{kind}:{meeting.pk}:{cache.version()}"
    store = caches["default"]
    data = store.get(key)
    if data is None:
        data = render()
        store.set(key, data, seconds)
    return data


def meeting_agenda_pdf(request, portal, slug: str):
    meeting = find_meeting(portal.body, slug)
    if not visibility.agenda_published(meeting):
        raise not_found()
    data = _rendered(
        "agenda",
        meeting,
        lambda: agenda_pdf(meeting_selection(meeting, PUBLIC)).data,
    )
    return _pdf_response(
        request, data, packs.document_filename(meeting, "Tagesordnung")
    )


def meeting_minutes_pdf(request, portal, slug: str):
    meeting = find_meeting(portal.body, slug)
    if not visibility.minutes_published(meeting):
        raise not_found()
    data = _rendered(
        "minutes",
        meeting,
        lambda: (
            minutes_pdf(
                meeting,
                items=list(public_minutes_items(meeting)),
                # only public persons are named (no administration staff)
                public_persons=set(
                    visibility.public_persons(meeting.body_id).values_list(
                        "pk", flat=True
                    )
                ),
            ).data
        ),
    )
    return _pdf_response(
        request, data, packs.document_filename(meeting, "Niederschrift")
    )

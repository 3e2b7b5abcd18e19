"""What a member's device keeps for reading without a connection.

The service worker (``static/members/sw.js``) asks for the *offline set*
whenever the device is online: the member's next meetings (at most
``OFFLINE_MEETINGS`` within ``OFFLINE_DAYS``), and of each the member page,
every document (file and reader page) and the personal session pack. It
downloads what is new or changed (by ``version``) and deletes everything that
is no longer in the set: a meeting that is over, a document that was
withdrawn, and every meeting whose access ended. Nothing is ever in the set
that ``sessions.access`` would not let the member read right now.
"""

import datetime as dt
import fnmatch
from functools import cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sessions.models import Meeting
from sessions.packs.service import member_pack

from . import selectors

OFFLINE_DAYS = 30
OFFLINE_MEETINGS = 5
#: Static files the member pages and the reader need offline: their own
#: assets and the parts of PDF.js the reader loads (``reader.views``).
ASSET_PATTERNS = (
    "members/*.css",
    "members/*.js",
    "members/*.mjs",
    "members/icons/*.png",
    "reader/*.css",
    "reader/*.mjs",
    "pdfjs/legacy/build/pdf.min.mjs",
    "pdfjs/legacy/build/pdf.worker.min.mjs",
    "pdfjs/standard_fonts/*.pfb",
    "pdfjs/standard_fonts/*.ttf",
    "pdfjs/wasm/*.wasm",
    "pdfjs/wasm/*.js",
    "pdfjs/iccs/*.icc",
)


def offline_meetings(*, user) -> list[Meeting]:
    """The meetings the member's device keeps: the next ones, not cancelled."""
    until = timezone.now() + dt.timedelta(days=OFFLINE_DAYS)
    meetings = [
        m
        for m in selectors.upcoming_meetings(user=user)
        if not m.cancelled and m.start <= until
    ]
    return meetings[:OFFLINE_MEETINGS]


def _reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the reader is not installed
        return None


def _document(meeting: Meeting, file) -> dict:
    return {
        "name": file.name or file.file_name,
        "url": reverse("member_file", args=[meeting.pk, file.pk]),
        "reader": _reverse("reader_file", meeting.pk, file.pk)
        if file.mime_type == "application/pdf"
        else None,
        "version": file.sha256 or file.modified.isoformat(),
        "size": file.size,
    }


def _meeting_entry(meeting: Meeting) -> dict:
    agenda = selectors.member_agenda(meeting=meeting, new_since=None)
    files = {f.pk: f for entry in agenda.items for f in entry.files}
    files.update({f.pk: f for f in agenda.meeting_files})
    documents = [_document(meeting, f) for f in files.values() if f.content]
    pack = member_pack(meeting)
    if pack is not None:
        documents.append(
            {
                "name": str(meeting.name),
                "url": reverse("packs_member_download", args=[meeting.pk]),
                "reader": _reverse("reader_pack", meeting.pk),
                "version": pack.sha256 or pack.built_at.isoformat(),
                "size": pack.size or 0,
                "pack": True,
            }
        )
    return {
        "id": meeting.pk,
        "name": meeting.name,
        "start": meeting.start.isoformat(),
        "page": reverse("members_meeting", args=[meeting.pk]),
        "version": meeting.modified.isoformat(),
        "documents": documents,
    }


@cache
def asset_paths() -> tuple[str, ...]:
    """The static files the member pages and the reader need offline
    (``ASSET_PATTERNS``), as paths for the static finders; found once per
    process."""
    paths = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=None):
            prefix = getattr(storage, "prefix", None)
            path = f"{prefix}/{path}" if prefix else path
            path = path.replace("\\", "/")
            if any(fnmatch.fnmatchcase(path, p) for p in ASSET_PATTERNS):
                paths.add(path)
    return tuple(sorted(paths))


def asset_urls() -> list[str]:
    return [static(path) for path in asset_paths()]


def offline_set(*, user) -> dict:
    """The offline set of ``user`` (see the module docstring)."""
    return {
        "user": user.pk,
        "generated": timezone.now().isoformat(),
        "pages": [
            reverse("members_dashboard"),
            reverse("members_meetings"),
            reverse("members_offline"),
        ],
        "assets": asset_urls(),
        "meetings": [_meeting_entry(m) for m in offline_meetings(user=user)],
    }

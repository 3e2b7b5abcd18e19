"""Pages of the reader (``/mitglieder/dokumente/…``): a document of a meeting,
the member's session pack, and the export of the member's notes.

Who may open a document: the rule of the member downloads
(``reader.access.open_file``); everyone else gets the same 404 as
``member_file``. A document withdrawn meanwhile, or one the user has notes
on but can no longer open, gets a page that says so; the notes stay in the
export. Pages are never cached outside the reader's browser, and carry no
per-request secret: the client reads the CSRF token from its cookie, so a
service worker may keep the page for offline reading.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.guards import login_required
from documents.filecheck import PDF
from documents.pdf.render import render_pdf
from sessions.access import may_read_non_public
from sessions.member_files import meeting_files, member_file_url
from sessions.models import Meeting
from sessions.packs.service import member_pack

from . import export, selectors, tasks
from .access import fractions_of, open_file
from .models import NOTE_MAX_CHARS, Annotation
from .pages import known_pages
from .texts import client_texts

#: Stands for the note's id in the address the client fills in.
UUID_SLOT = "00000000-0000-0000-0000-000000000000"


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, {"nav": "meetings", **context}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found() -> Http404:
    return Http404(_("This page does not exist or is not public."))


def pdfjs_config() -> dict:
    """Where the client finds PDF.js (``npm``'s ``pdfjs-dist``, served as
    static files under ``pdfjs/``): the legacy build, which also runs on
    older tablets (Safari before 18.4)."""
    base = settings.STATIC_URL + "pdfjs/"
    return {
        "module": static("pdfjs/legacy/build/pdf.min.mjs"),
        "worker": static("pdfjs/legacy/build/pdf.worker.min.mjs"),
        "cMapUrl": base + "cmaps/",
        "standardFontDataUrl": base + "standard_fonts/",
        "wasmUrl": base + "wasm/",
        "iccUrl": base + "iccs/",
    }


def client_config(request, meeting: Meeting, file, *, editable: bool) -> dict:
    user = request.user
    return {
        "userId": user.pk,
        "meetingId": meeting.pk,
        "fileId": file.pk if file else None,
        "sha256": file.sha256 if file else "",
        "pdfUrl": member_file_url(meeting.pk, file.pk) if file else "",
        "editable": editable,
        "listUrl": reverse("reader_api_file", args=[meeting.pk, file.pk])
        if file
        else "",
        "itemUrl": reverse("reader_api_annotation", args=[UUID_SLOT]),
        "uuidSlot": UUID_SLOT,
        "csrfUrl": reverse("reader_api_csrf"),
        "storeModule": static("reader/store.mjs"),
        "noteMax": NOTE_MAX_CHARS,
        "fractions": [{"id": f.pk, "name": f.name} for f in fractions_of(user)],
        "pdfjs": pdfjs_config(),
    }


def _unavailable(request, *, meeting, file, reason: str) -> HttpResponse:
    own = selectors.own_annotations(user=request.user).filter(file=file).count()
    return _page(
        request,
        "reader/unavailable.html",
        {
            "title": file.name or file.file_name,
            "meeting": meeting,
            "file": file,
            "reason": reason,
            "own_count": own,
        },
        status=410 if reason == "withdrawn" else 403,
    )


def _no_longer_readable(request, file_pk: int) -> HttpResponse | None:
    """The page for a document the user has notes on but may no longer open
    (the meeting was deleted, or their access ended); ``None`` if they have
    none: then nothing is said about the document."""
    mine = (
        selectors.own_annotations(user=request.user)
        .filter(file_id=file_pk)
        .select_related("file", "meeting")
        .first()
    )
    if mine is None or mine.file is None:
        return None
    return _unavailable(request, meeting=mine.meeting, file=mine.file, reason="access")


@never_cache
@ensure_csrf_cookie
@login_required
def reader_file(request: HttpRequest, meeting_pk: int, file_pk: int) -> HttpResponse:
    """``<meeting>/<file>/``: the document in the reader with the member's
    notes; a file that is no PDF gets a page offering the download."""
    opened = open_file(request.user, meeting_pk, file_pk)
    if opened.file is None:
        if opened.withdrawn is not None:
            return _unavailable(
                request,
                meeting=opened.meeting,
                file=opened.withdrawn,
                reason="withdrawn",
            )
        page = _no_longer_readable(request, file_pk)
        if page is None:
            raise _not_found()
        return page
    meeting, file = opened.meeting, opened.file
    title = file.name or file.file_name
    if file.mime_type != PDF or not file.content:
        return _page(
            request,
            "reader/download.html",
            {"title": title, "meeting": meeting, "file": file},
        )
    if known_pages(file.sha256) is None:
        tasks.document_pages_index.enqueue(file.pk)
    return _page(
        request,
        "reader/reader.html",
        {
            "title": title,
            "meeting": meeting,
            "file": file,
            "reader_config": client_config(request, meeting, file, editable=True),
            "reader_texts": client_texts(),
            "colors": Annotation.Color.choices,
            "fractions": list(fractions_of(request.user)),
        },
    )


@never_cache
@ensure_csrf_cookie
@login_required
def reader_pack(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """``mappe/<meeting>/``: the member's personal session pack in the reader,
    read-only. Notes are made in the meeting's documents (listed beside it):
    the pack is rebuilt with every change of the agenda, so its pages move,
    and it is a copy watermarked for one reader, not a document of its own."""
    meeting = Meeting.objects.filter(pk=meeting_pk).select_related("body").first()
    if meeting is None or not may_read_non_public(request.user, meeting):
        raise _not_found()
    pack = member_pack(meeting)
    documents = list(
        meeting_files(meeting).filter(mime_type=PDF).distinct().order_by("name", "pk")
    )
    config = client_config(request, meeting, None, editable=False)
    config["pdfUrl"] = reverse("packs_member_download", args=[meeting.pk])
    return _page(
        request,
        "reader/pack.html",
        {
            "title": _("Session pack: %(meeting)s") % {"meeting": meeting.name},
            "meeting": meeting,
            "pack": pack,
            "documents": documents,
            "reader_config": config,
            "reader_texts": client_texts(),
        },
    )


@never_cache
@login_required
def reader_export(request: HttpRequest) -> HttpResponse:
    """``export/``: all of the member's own notes, grouped by meeting,
    document and page: a printable page, or with ``?format=md`` a Markdown
    file and with ``?format=pdf`` a PDF to download."""
    groups = selectors.export_annotations(user=request.user)
    export.label_all(groups)
    now = timezone.localtime()
    stamp = now.strftime("%Y-%m-%d")
    context = {"groups": groups, "now": now, "title": _("My notes")}
    fmt = request.GET.get("format", "")
    if fmt == "md":
        response = HttpResponse(
            export.markdown(groups, now=now),
            content_type="text/markdown; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="notizen-{stamp}.md"'
    elif fmt == "pdf":
        response = HttpResponse(
            render_pdf("reader/export_pdf.html", context),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="notizen-{stamp}.pdf"'
    else:
        return _page(request, "reader/export.html", {**context, "nav": "notes"})
    response["Cache-Control"] = "private, no-store"
    return response

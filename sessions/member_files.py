"""Files of a meeting for those who may read its non-public part:
``/mappe/<meeting>/dateien/<file>/`` (the live tablet and, later, the member
portal link here).

Who: ``sessions.access.may_read_non_public`` for the meeting. A file is
served only if it belongs to the meeting: attached to the meeting, to one of
its agenda items, or to a paper consulted at one of them. Everything else,
and a deleted file, answers with the same 404 as a file that does not exist,
so the address says nothing about what exists. Never cached outside the
reader's browser.
"""

from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.guards import login_required
from documents.models import File

from .access import may_read_non_public
from .models import Meeting


def meeting_files(meeting: Meeting):
    """Alive files attached to ``meeting``, its items or the papers dealt
    with at them."""
    return File.objects.alive().filter(
        Q(meeting=meeting)
        | Q(agenda_item__meeting=meeting, agenda_item__deleted_at__isnull=True)
        | Q(
            paper__consultations__agenda_item__meeting=meeting,
            paper__consultations__agenda_item__deleted_at__isnull=True,
        )
    )


def member_file_url(meeting_id: int, file_id: int) -> str:
    return reverse("member_file", args=[meeting_id, file_id])


def _not_found() -> Http404:
    return Http404(_("This page does not exist or is not public."))


@login_required
def member_file(request, meeting_pk: int, file_pk: int):
    meeting = Meeting.objects.filter(pk=meeting_pk).select_related("body").first()
    if meeting is None or not may_read_non_public(request.user, meeting):
        raise _not_found()
    file = meeting_files(meeting).filter(pk=file_pk).distinct().first()
    if file is None:
        raise _not_found()
    if not file.content:
        if file.source_url:
            return HttpResponseRedirect(file.source_url)
        raise _not_found()
    try:
        handle = file.content.storage.open(file.content.name, "rb")
    except OSError:
        raise _not_found() from None
    response = FileResponse(
        handle,
        filename=file.file_name or f"{file.pk}",
        content_type=file.mime_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Vary"] = "Cookie"
    return response

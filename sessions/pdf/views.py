"""Staff downloads of a meeting's documents as PDF (admin).

Only staff of the meeting's body who may see meetings get them; everybody
else gets a 404, as for any other object of a foreign body. The documents are
rendered on request (a fraction of a second each) and never cached: they
contain non-public items, so ``Cache-Control: private, no-store``.
"""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from documents.pdf.render import RenderedPDF
from gremien.access import staff_bodies
from gremien.rules import LOCAL_TIME

from ..models import AgendaItem, Meeting
from .documents import agenda_pdf, invitation_pdf, minutes_pdf, resolution_extract_pdf
from .selection import MEMBER, meeting_selection

PERMISSION = "meetings.view_meeting"


def _staff_meeting(request, pk: int) -> Meeting:
    if not request.user.has_perm(PERMISSION):
        raise Http404
    return get_object_or_404(
        Meeting.objects.alive().select_related("body", "location"),
        pk=pk,
        body__in=staff_bodies(request.user),
    )


def _file_part(text: str) -> str:
    """Letters (umlauts included), digits and dashes: readable and safe."""
    return re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-_")


def file_name(kind: str, meeting: Meeting, *extra: str) -> str:
    day = meeting.start.astimezone(LOCAL_TIME).strftime("%Y-%m-%d")
    organizations = "-".join(o.name for o in meeting.organizations.order_by("name"))
    parts = [kind, day, organizations or meeting.name, *extra]
    return "-".join(p for p in map(_file_part, parts) if p) + ".pdf"


def _download(pdf: RenderedPDF, name: str) -> HttpResponse:
    response = HttpResponse(pdf.data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def invitation(request, pk: int):
    meeting = _staff_meeting(request, pk)
    pdf = invitation_pdf(meeting_selection(meeting, MEMBER))
    return _download(pdf, file_name("Einladung", meeting))


@require_GET
def agenda(request, pk: int):
    meeting = _staff_meeting(request, pk)
    pdf = agenda_pdf(meeting_selection(meeting, MEMBER))
    return _download(pdf, file_name("Tagesordnung", meeting))


@require_GET
def minutes(request, pk: int):
    meeting = _staff_meeting(request, pk)
    archival = request.GET.get("archiv") == "1"
    items = meeting.agenda_items.alive().order_by("order")
    pdf = minutes_pdf(meeting, items=items, archival=archival)
    extra = ("PDF-A",) if archival else ()
    return _download(pdf, file_name("Niederschrift", meeting, *extra))


@require_GET
def resolution_extract(request, pk: int):
    if not request.user.has_perm(PERMISSION):
        raise Http404
    item = get_object_or_404(
        AgendaItem.objects.alive().select_related("meeting__body"),
        pk=pk,
        meeting__deleted_at__isnull=True,
        meeting__body__in=staff_bodies(request.user),
    )
    pdf = resolution_extract_pdf(item)
    name = file_name(
        "Beschlussauszug", item.meeting, "TOP", item.number or str(item.order)
    )
    return _download(pdf, name)

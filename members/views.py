"""Pages of the member portal (``/mitglieder/…``): the dashboard, the list
of the member's meetings and one meeting with its non-public part.

Who: signed-in users. Lists show the meetings in which the user holds a seat
on the meeting day (``sessions.access.meetings_entitled``); a meeting opens
for whoever may read its non-public part (``may_read_non_public``: those
members and the body's staff); everyone else gets the same 404 as for a
meeting that does not exist. No page is cached outside the reader's browser.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.guards import login_required
from gremien.fractions import fractions_of
from gremien.models import Person
from motions.models import Motion
from motions.selectors import fraction_motions
from reader.selectors import annotation_counts
from sessions.access import entitled_memberships, may_read_non_public
from sessions.models import Meeting
from sessions.packs.service import member_pack

from . import selectors, services

UPCOMING_ON_DASHBOARD = 8
FRACTION_PAPERS = 20
MOTION_DRAFTS = 10


def _member_page(request, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


def _persons(user) -> list[Person]:
    return list(Person.objects.alive().filter(user=user).select_related("body"))


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The member's start page: what is new, invitations not opened yet, the
    next meetings and the fractions' papers."""
    since = services.visit_record(user=request.user)
    upcoming = selectors.upcoming_meetings(user=request.user)
    return _member_page(
        request,
        "members/dashboard.html",
        {
            "title": _("Overview"),
            "nav": "dashboard",
            "persons": _persons(request.user),
            "since": since,
            "news": selectors.news_since(user=request.user, since=since),
            "unopened": selectors.unopened_invitations(upcoming),
            "upcoming": upcoming[:UPCOMING_ON_DASHBOARD],
            "more_upcoming": max(0, len(upcoming) - UPCOMING_ON_DASHBOARD),
            "fractions": list(fractions_of(request.user)),
            "fraction_papers": list(
                selectors.fraction_papers(user=request.user)[:FRACTION_PAPERS]
            ),
            "motion_drafts": list(
                fraction_motions(user=request.user, states=(Motion.State.DRAFT,))[
                    :MOTION_DRAFTS
                ]
            ),
        },
    )


@never_cache
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """All upcoming meetings of the member and the latest past ones."""
    return _member_page(
        request,
        "members/meeting_list.html",
        {
            "title": _("My meetings"),
            "nav": "meetings",
            "upcoming": selectors.upcoming_meetings(user=request.user),
            "past": selectors.past_meetings(user=request.user),
        },
    )


def _readable_meeting(user, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.alive()
        .select_related("body", "location", "minutes", "live")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not may_read_non_public(user, meeting):
        raise Http404(
            _("This meeting does not exist, or you are not a member of its bodies.")
        )
    return meeting


@never_cache
@login_required
def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """One meeting with all its items, papers and documents, the member
    pack, the notices sent and, while it runs, the way to the live view."""
    meeting = _readable_meeting(request.user, meeting_pk)
    new_since = services.meeting_open(user=request.user, meeting=meeting)
    agenda = selectors.member_agenda(meeting=meeting, new_since=new_since)
    file_ids = {f.pk for e in agenda.items for f in e.files}
    file_ids |= {f.pk for f in agenda.meeting_files}
    live = getattr(meeting, "live", None)
    return _member_page(
        request,
        "members/meeting.html",
        {
            "title": meeting.name,
            "nav": "meetings",
            "meeting": meeting,
            "agenda": agenda,
            "pack": member_pack(meeting),
            "pack_download_url": reverse("packs_member_download", args=[meeting.pk]),
            "note_counts": annotation_counts(user=request.user, file_ids=file_ids),
            "has_seat": entitled_memberships(request.user, meeting).exists(),
            "is_live": meeting.state == Meeting.State.RUNNING
            and live is not None
            and not live.ended,
        },
    )

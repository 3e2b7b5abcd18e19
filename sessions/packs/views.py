"""Session packs in the admin: state and progress, rebuild, downloads.

Shown as a fragment of the meeting's status screen (template tag
``{% session_packs meeting %}``); these views serve the fragment alone (for
the refresh while a build runs), the "Neu erstellen" button and the staff
downloads. The member pack is only ever handed out as a copy watermarked for
the person downloading it (``sessions.packs.service.member_copy``).
"""

import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.guards import login_required
from gremien.admin_scoping import visible_to

from ..access import may_read_non_public
from ..models import Meeting, SessionPack
from ..pdf.selection import MEMBER, PUBLIC
from . import service

VIEW_PERMISSION = "meetings.view_meeting"
BUILD_PERMISSION = "meetings.change_meeting"


def staff_meeting(request, pk: int, permission: str = VIEW_PERMISSION) -> Meeting:
    """The meeting ``pk`` if the user works on its body (else 404) and has
    ``permission`` (else 403)."""
    meeting = get_object_or_404(
        visible_to(Meeting.objects.select_related("body"), request.user), pk=pk
    )
    if not (
        request.user.has_perm(permission) or request.user.has_perm(BUILD_PERMISSION)
    ):
        raise PermissionDenied
    return meeting


def packs_context(meeting: Meeting, user) -> dict:
    """What the box shows: a row per audience, what the user may do."""
    packs = {p.audience: p for p in SessionPack.objects.filter(meeting=meeting)}
    may_read_member = may_read_non_public(user, meeting)
    rows = [
        {
            "audience": MEMBER,
            "label": _("Member pack"),
            "help": _(
                "With the non-public items; every download is a personal copy "
                "marked with the reader's name on the non-public pages."
            ),
            "missing": _(
                "Not built yet. Packs are built automatically from the invitation "
                "on; before that, use “Build anew”."
            ),
            "pack": packs.get(MEMBER),
            "url": reverse("meetings_packs_member", args=[meeting.pk]),
            "may_download": may_read_member,
        },
        {
            "audience": PUBLIC,
            "label": _("Public pack"),
            "help": _("Only the public items; linked on the public meeting page."),
            "missing": _(
                "None: a public pack exists once the agenda is public (with the "
                "invitation) and has public items."
            ),
            "pack": packs.get(PUBLIC),
            "url": reverse("meetings_packs_public", args=[meeting.pk]),
            "may_download": True,
        },
    ]
    return {
        "meeting": meeting,
        "rows": rows,
        "underway": any(p.underway for p in packs.values()),
        "may_build": user.has_perm(BUILD_PERMISSION),
        "fragment_url": reverse("meetings_packs", args=[meeting.pk]),
        "rebuild_url": reverse("meetings_packs_rebuild", args=[meeting.pk]),
        "status_url": reverse("meetings_status", args=[meeting.pk]),
    }


def fragment(request, pk: int):
    """The packs' box alone: the status screen reloads it while builds run."""
    meeting = staff_meeting(request, pk)
    context = packs_context(meeting, request.user)
    response = TemplateResponse(request, "sessions/admin/_packs_box.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


class RebuildView(View):
    """ "Neu erstellen": build both packs anew, also an unchanged selection
    and a meeting not invited yet."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting = staff_meeting(request, pk, BUILD_PERMISSION)
        if not request.user.has_perm(BUILD_PERMISSION):
            raise PermissionDenied
        queued = service.request_builds([meeting], force=True)
        if queued:
            messages.success(
                request, _("The session packs are being built. This takes a moment.")
            )
        else:
            messages.warning(request, _("This meeting gets no session pack."))
        return HttpResponseRedirect(reverse("meetings_status", args=[meeting.pk]))


class PackDownloadView(WagtailAdminTemplateMixin, TemplateView):
    """A pack as a file; a clear message page while none has been built."""

    audience = MEMBER
    template_name = "sessions/admin/pack_missing.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("Session pack")

    def get(self, request, pk: int):
        self.meeting = staff_meeting(request, pk)
        if self.audience == MEMBER:
            if not may_read_non_public(request.user, self.meeting):
                raise PermissionDenied
            pack = service.member_pack(self.meeting)
        else:
            pack = (
                SessionPack.objects.filter(
                    meeting=self.meeting, audience=PUBLIC, built_at__isnull=False
                )
                .exclude(file="")
                .first()
            )
        if pack is None or not service.file_exists(pack):
            return self.render_to_response(
                self.get_context_data(
                    meeting=self.meeting,
                    status_url=reverse("meetings_status", args=[self.meeting.pk]),
                    audience=self.audience,
                ),
                status=404,
            )
        pack.meeting = self.meeting
        if self.audience == MEMBER:
            return member_response(pack, request.user)
        return FileResponse(
            pack.file.storage.open(pack.file.name, "rb"),
            as_attachment=True,
            filename=service.pack_filename(pack),
            content_type="application/pdf",
            headers={"Cache-Control": "private, no-cache"},
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("meetings:index"), "label": _("Meetings")},
            {
                "url": reverse("meetings_status", args=[self.meeting.pk]),
                "label": str(self.meeting),
            },
            {"url": "", "label": self.get_page_title()},
        ]


def member_response(pack: SessionPack, user) -> FileResponse:
    """The member pack watermarked for ``user``, streamed and never kept by
    any cache."""
    response = FileResponse(
        io.BytesIO(service.member_copy(pack, user)),
        as_attachment=True,
        filename=service.pack_filename(pack),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Vary"] = "Cookie"
    return response


# --- for council members, outside the admin ------------------------------------


@login_required
def member_download(request, meeting_pk: int):
    """``/mappe/<meeting>/mitglieder.pdf``: the member pack for entitled
    members and staff (``may_read_non_public``), watermarked with the
    reader's name. Everyone else gets the same 404 as for a meeting that does
    not exist; an entitled member gets a 404 page saying that the pack is not
    ready yet."""
    meeting = Meeting.objects.filter(pk=meeting_pk).select_related("body").first()
    if meeting is None or not may_read_non_public(request.user, meeting):
        raise Http404(_("This page does not exist or is not public."))
    pack = service.member_pack(meeting)
    if pack is None or not service.file_exists(pack):
        response = TemplateResponse(
            request,
            "sessions/packs/member_pack_missing.html",
            {"meeting": meeting},
            status=404,
        )
        response["Cache-Control"] = "private, no-store"
        return response
    pack.meeting = meeting
    return member_response(pack, request.user)

"""``{% meeting_documents meeting %}`` on the public meeting page: links to
the public session pack, agenda and minutes as PDF, each only while its
route (``publicportal.views.documents``) would hand it out."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.packs.service import public_pack

from .. import visibility
from ..links import meeting_key

register = template.Library()


@register.inclusion_tag(
    "publicportal/includes/meeting_documents.html", takes_context=True
)
def meeting_documents(context, meeting):
    links = context["links"]
    key = meeting_key(meeting)
    documents = []
    if visibility.agenda_published(meeting):
        pack = public_pack(meeting)
        if pack is not None:
            pages = ngettext("%(count)d page", "%(count)d pages", pack.pages) % {
                "count": pack.pages
            }
            documents.append(
                {
                    "label": _("Session pack"),
                    "details": _("PDF, %(pages)s, %(size)s")
                    % {"pages": pages, "size": filesizeformat(pack.size)},
                    "url": links.route("meeting_pack", key),
                }
            )
        if context.get("items"):
            documents.append(
                {
                    "label": _("Agenda"),
                    "details": "PDF",
                    "url": links.route("meeting_agenda_pdf", key),
                }
            )
    if visibility.minutes_published(meeting):
        documents.append(
            {
                "label": _("Minutes"),
                "details": "PDF",
                "url": links.route("meeting_minutes_pdf", key),
            }
        )
    return {"documents": documents}

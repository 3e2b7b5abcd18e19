"""Papers (Vorlagen): the filtered list and one paper with its whole
consultation path.

Everything shown starts from :mod:`publicportal.visibility`; related objects
come through ``Prefetch`` with a visibility queryset, so the number of queries
of a paper page does not grow with its files or consultation steps.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import File, Paper, PaperType
from gremien.models import Organization
from sessions.models import Consultation

from .. import visibility
from ..links import PortalLinks, paper_references
from .base import Crumb, FeedLink, not_found, render_portal

PAGE_SIZE = 25
#: States a public paper can be in (a draft or a paper in sign-off never is).
PUBLIC_STATES = [
    state
    for state in Paper.State
    if state not in (Paper.State.DRAFT, Paper.State.SIGN_OFF)
]
#: File types shown by name instead of their MIME type.
FILE_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word"),
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "text/plain": "Text",
}


def file_type_label(mime_type: str) -> str:
    return FILE_TYPES.get(mime_type, mime_type or "")


# --- list ------------------------------------------------------------------


class PaperFilterForm(forms.Form):
    """The filters of the paper list. Every field is optional; an invalid
    value drops only that filter (a bookmarked address never breaks)."""

    typ = forms.ChoiceField(label=gettext_lazy("Paper type"), required=False)
    jahr = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    gremium = forms.TypedChoiceField(
        label=gettext_lazy("Consulted by"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, data, *, years, organizations):
        super().__init__(data, auto_id="filter-%s")
        everything = [("", _("all"))]
        self.fields["typ"].choices = everything + list(PaperType.choices)
        self.fields["jahr"].choices = everything + [(y, str(y)) for y in years]
        self.fields["gremium"].choices = everything + [
            (o.pk, o.name) for o in organizations
        ]
        self.fields["status"].choices = everything + [
            (s.value, s.label) for s in PUBLIC_STATES
        ]

    def filters(self) -> dict:
        """The valid, non-empty filter values."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def filter_papers(papers: QuerySet, filters: dict) -> QuerySet:
    if "typ" in filters:
        papers = papers.filter(paper_type=filters["typ"])
    if "jahr" in filters:
        papers = papers.filter(date__year=filters["jahr"])
    if "status" in filters:
        papers = papers.filter(state=filters["status"])
    if "gremium" in filters:
        consulted = visibility.public_consultations().filter(
            paper=OuterRef("pk"), organizations=filters["gremium"]
        )
        papers = papers.filter(Exists(consulted))
    return papers


def consulting_organizations(body) -> QuerySet[Organization]:
    """Organizations that may appear in a consultation path."""
    return visibility.public_organizations(body).filter(
        kind__in=Organization.DELIBERATIVE_KINDS
    )


def paper_feeds(links: PortalLinks, organization=None) -> list[FeedLink]:
    return [
        FeedLink(_("New papers (RSS)"), links.feed("vorlagen", "rss", organization),
                 "application/rss+xml"),
        FeedLink(_("New papers (Atom)"), links.feed("vorlagen", "atom", organization),
                 "application/atom+xml"),
    ]  # fmt: skip


def paper_list(request, portal):
    body = portal.body
    links = PortalLinks(portal, request)
    papers = visibility.public_papers(body)
    form = PaperFilterForm(
        request.GET,
        years=[d.year for d in papers.dates("date", "year", order="DESC")],
        organizations=consulting_organizations(body).order_by("name"),
    )
    filters = form.filters()
    papers = filter_papers(papers, filters).order_by(
        "-date", "-reference_year", "-reference_number"
    )
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render_portal(
        request,
        portal,
        "publicportal/paper_list.html",
        title=_("Papers"),
        breadcrumbs=[Crumb(_("Papers"))],
        feeds=paper_feeds(links),
        nav_current="papers",
        form=form,
        filtered=bool(filters),
        page_obj=page,
        page_range=page.paginator.get_elided_page_range(page.number),
        ellipsis=Paginator.ELLIPSIS,
        papers=page.object_list,
    )


# --- detail ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the consultation path as the public may see it."""

    consultation: Consultation
    organizations: list
    meeting: object  # a public Meeting or None
    result: str
    resolution_text: str

    @property
    def scheduled(self) -> bool:
        return self.meeting is not None


def consultation_step(consultation: Consultation) -> Step:
    meeting = consultation.meeting
    item = consultation.agenda_item
    result = resolution = ""
    if meeting is not None and item is not None:
        if item.result and visibility.result_public(meeting):
            result = item.get_result_display()
        if visibility.minutes_published(meeting):
            resolution = item.resolution_text
    return Step(
        consultation=consultation,
        organizations=consultation.public_organizations,
        meeting=meeting,
        result=result,
        resolution_text=resolution,
    )


def paper_queryset(body) -> QuerySet[Paper]:
    """Public papers with everything their page shows, in a fixed number of
    queries."""
    organizations = visibility.public_organizations(body).order_by("name")
    papers = visibility.public_papers(body).order_by("-date")
    consultations = (
        visibility.public_consultations()
        .select_related("meeting", "agenda_item__meeting")
        .prefetch_related(
            Prefetch(
                "organizations", queryset=organizations, to_attr="public_organizations"
            )
        )
        .order_by("position")
    )
    return visibility.public_papers(body).prefetch_related(
        Prefetch(
            "files",
            queryset=visibility.public_files(body).order_by("order", "pk"),
            to_attr="public_files",
        ),
        Prefetch("consultations", queryset=consultations, to_attr="public_steps"),
        Prefetch(
            "originator_organizations",
            queryset=organizations,
            to_attr="public_originator_organizations",
        ),
        Prefetch(
            "originator_persons",
            queryset=visibility.public_persons(body).order_by(
                "family_name", "given_name"
            ),
            to_attr="public_originator_persons",
        ),
        Prefetch(
            "under_direction_of", queryset=organizations, to_attr="public_directors"
        ),
        Prefetch("related_papers", queryset=papers, to_attr="public_related"),
        Prefetch(
            "superordinated_papers", queryset=papers, to_attr="public_superordinated"
        ),
        Prefetch("subordinated_papers", queryset=papers, to_attr="public_subordinated"),
    )


def paper_detail(request, portal, reference):
    found = Q(reference__in=paper_references(reference))
    if reference.isdigit():
        # A paper without a reference is addressed by its number.
        found |= Q(pk=int(reference), reference="")
    paper = paper_queryset(portal.body).filter(found).first()
    if paper is None:
        raise not_found()
    for file in paper.public_files:
        file.type_label = file_type_label(file.mime_type)
    links = PortalLinks(portal, request)
    return render_portal(
        request,
        portal,
        "publicportal/paper.html",
        title=f"{paper.reference} {paper.name}",
        breadcrumbs=[Crumb(_("Papers"), links.route("papers")), Crumb(paper.reference)],
        feeds=paper_feeds(links),
        nav_current="papers",
        paper=paper,
        files=paper.public_files,
        steps=[consultation_step(c) for c in paper.public_steps],
        main_file_role=File.Role.MAIN,
    )

"""The public portal of a body as a Wagtail site.

Each body has one :class:`PortalHomePage`, the root page of its Wagtail
``Site`` (host name per body). Editable content pages (Über den Rat,
Impressum, Leichte Sprache …) and the accessibility feedback form are its
children; everything generated from council data (meetings, papers,
organizations, persons, files, search, feeds) is served by the routes of the
home page, which hand over to the view modules in ``publicportal.views``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

CONTENT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class PortalHomePage(RoutablePageMixin, Page):
    """Start page of a body's portal; routes serve the council data."""

    body = models.OneToOneField(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="portal_page",
    )
    intro = RichTextField(_("introduction"), blank=True, features=CONTENT_FEATURES)
    contact = RichTextField(
        _("contact of the council office"), blank=True, features=CONTENT_FEATURES
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("intro"),
        FieldPanel("contact"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publicportal.ContentPage", "publicportal.FeedbackFormPage"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("portal start page")
        verbose_name_plural = _("portal start pages")

    # --- generated pages ------------------------------------------------
    # The route methods only hand over; each view module owns its pages.

    @path("", name="home")
    def home_route(self, request):
        from .views import home

        return home.home(request, self)

    @path("sitzungen/", name="calendar")
    def calendar_route(self, request):
        from .views import meetings

        return meetings.calendar(request, self)

    @path("sitzungen/<slug:slug>/", name="meeting")
    def meeting_route(self, request, slug):
        from .views import meetings

        return meetings.meeting_detail(request, self, slug)

    # Not kept by the page cache: the view marks its answer private.
    @path("sitzungen/<slug:slug>/live/", name="meeting_live")
    def meeting_live_route(self, request, slug):
        from .views import live

        return live.meeting_live(request, self, slug)

    # The meeting's generated PDFs (German file names, as the addresses).
    @re_path(r"^sitzungen/(?P<slug>[\w-]+)/sitzungsmappe\.pdf/?$", name="meeting_pack")
    def meeting_pack_route(self, request, slug):
        from .views import documents

        return documents.meeting_pack(request, self, slug)

    @re_path(
        r"^sitzungen/(?P<slug>[\w-]+)/tagesordnung\.pdf/?$", name="meeting_agenda_pdf"
    )
    def meeting_agenda_pdf_route(self, request, slug):
        from .views import documents

        return documents.meeting_agenda_pdf(request, self, slug)

    @re_path(
        r"^sitzungen/(?P<slug>[\w-]+)/niederschrift\.pdf/?$",
        name="meeting_minutes_pdf",
    )
    def meeting_minutes_pdf_route(self, request, slug):
        from .views import documents

        return documents.meeting_minutes_pdf(request, self, slug)

    @path("vorlagen/", name="papers")
    def papers_route(self, request):
        from .views import papers

        return papers.paper_list(request, self)

    @re_path(r"^vorlagen/(?P<reference>[\w.-]+)/$", name="paper")
    def paper_route(self, request, reference):
        from .views import papers

        return papers.paper_detail(request, self, reference)

    @path("gremien/", name="organizations")
    def organizations_route(self, request):
        from .views import organizations

        return organizations.organization_list(request, self)

    @path("gremien/<slug:slug>/", name="organization")
    def organization_route(self, request, slug):
        from .views import organizations

        return organizations.organization_detail(request, self, slug)

    @path("personen/", name="persons")
    def persons_route(self, request):
        from .views import persons

        return persons.person_list(request, self)

    @path("personen/<int:pk>-<slug:slug>/", name="person")
    def person_route(self, request, pk, slug):
        from .views import persons

        return persons.person_detail(request, self, pk, slug)

    # Wagtail's routing hands the rest of the path over with a slash added
    # ("feeds/sitzungen.ics/"), so routes of file-like addresses accept one.
    @re_path(r"^dateien/(?P<pk>\d+)/(?P<filename>[^/]+?)/?$", name="file")
    def file_route(self, request, pk, filename):
        from .views import files

        return files.file_download(request, self, int(pk), filename)

    @path("suche/", name="search")
    def search_route(self, request):
        from .views import search

        return search.search(request, self)

    @path("abonnieren/", name="subscribe")
    def subscribe_route(self, request):
        from .views import feeds

        return feeds.subscribe(request, self)

    @re_path(r"^feeds/(?P<name>[\w-]+)\.(?P<fmt>ics|rss|atom)/?$", name="feed")
    def feed_route(self, request, name, fmt):
        from .views import feeds

        return feeds.feed(request, self, name, fmt)

    @re_path(r"^sitemap\.xml/?$", name="sitemap")
    def sitemap_route(self, request):
        from .views import feeds

        return feeds.sitemap(request, self)


class InPortalMixin:
    """An editable page below a portal's start page, rendered in its frame."""

    @property
    def portal(self) -> "PortalHomePage":
        return PortalHomePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from .views.base import Crumb, portal_context

        context = super().get_context(request, *args, **kwargs)
        portal = self.portal
        base = portal_context(
            request,
            portal,
            title=self.title,
            breadcrumbs=[Crumb(self.title)],
            current_page_id=self.pk,
        )
        base.update(context)
        base["page"] = self
        return base


class ContentPage(InPortalMixin, Page):
    """An editable page: Über den Rat, Impressum, Datenschutz, Leichte Sprache."""

    text = RichTextField(_("text"), blank=True, features=CONTENT_FEATURES)
    easy_language = models.BooleanField(
        _("written in easy language (Leichte Sprache)"), default=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("text"),
        FieldPanel("easy_language"),
    ]
    parent_page_types = ["publicportal.PortalHomePage", "publicportal.ContentPage"]
    subpage_types = ["publicportal.ContentPage"]
    template = "publicportal/content_page.html"

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")


class FeedbackFormField(AbstractFormField):
    page = ParentalKey(
        "publicportal.FeedbackFormPage",
        on_delete=models.CASCADE,
        related_name="form_fields",
    )


class FeedbackFormPage(InPortalMixin, AbstractEmailForm):
    """Barrierefreiheitserklärung with the feedback form the law requires
    (BITV 2.0 § 7): the declaration as text, then the form; submissions are
    stored and sent to the council office."""

    intro = RichTextField(_("declaration"), blank=True, features=CONTENT_FEATURES)
    thank_you_text = RichTextField(
        _("text after sending"), blank=True, features=CONTENT_FEATURES
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            _("E-mail"),
        ),
    ]
    parent_page_types = ["publicportal.PortalHomePage"]
    subpage_types = []
    template = "publicportal/feedback_form_page.html"
    landing_page_template = "publicportal/feedback_form_page_landing.html"

    class Meta:
        verbose_name = _("accessibility statement with feedback form")
        verbose_name_plural = _("accessibility statements with feedback form")


class SearchEntry(index.Indexed, models.Model):
    """One public object in the full-text index.

    The index holds only what ``publicportal.visibility`` lets the public see:
    ``publicportal.indexing`` writes an entry for a public object and deletes
    it when the object stops being public, so a hit can never lead to
    non-public content; search views filter hits through the visibility
    querysets once more. One table for every kind gives one ranking, one
    pagination and facets across papers, meetings, agenda items,
    organizations, persons and files.
    """

    class Kind(models.TextChoices):
        PAPER = "paper", _("Paper")
        MEETING = "meeting", _("Meeting")
        AGENDA_ITEM = "agenda_item", _("Agenda item")
        ORGANIZATION = "organization", _("Organization")
        PERSON = "person", _("Person")
        FILE = "file", _("File")

    body = models.ForeignKey(
        "gremien.Body", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    organization = models.ForeignKey(
        "gremien.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: PostgreSQL only: ``title`` (weight A) and ``text`` (weight B) as a
    #: ``tsvector`` of the ``german`` configuration, written by
    #: ``publicportal.indexing`` and searched by ``publicportal.search.postgres``
    #: through a GIN index on ``(body_id, search_vector)`` (migration 0002).
    #: NULL on other databases, which search through Wagtail's backend.
    search_vector = SearchVectorField(null=True, editable=False)

    search_fields = [
        index.SearchField("title", boost=4),
        index.SearchField("text"),
        index.AutocompleteField("title"),
        index.FilterField("body_id"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.FilterField("organization_id"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="searchentry_unique_object"
            )
        ]
        indexes = [models.Index(fields=["body", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


# The state of OParl imports (sources, runs, staged objects) lives with the
# importer; imported here so that Django finds the models of this app.
from .oparl_import.models import (  # noqa: E402, F401
    ImportListProgress,
    ImportRecord,
    ImportRun,
    ImportSource,
)

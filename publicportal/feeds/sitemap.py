"""``sitemap.xml`` of a portal: every public page, from the querysets of
``publicportal.visibility`` and the live, unrestricted content pages.

``django.contrib.sitemaps`` classes, one per section, with addresses from
:class:`publicportal.links.PortalLinks` on the portal's own host (not the
host of the request, which may be an alias). A section over 50,000 addresses
is split into pages; then ``sitemap.xml`` is an index of them
(``?section=<name>&p=<n>``).
"""

from urllib.parse import urlsplit, urlunsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import QuerySet

from .. import visibility
from ..links import PortalLinks

#: The routes without an object: lists and services of the portal.
STATIC_ROUTES = ("calendar", "papers", "organizations", "persons", "subscribe")


def _path(url: str) -> str:
    """``url`` without scheme and host (links may be absolute)."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class PortalSitemap(Sitemap):
    """A section of a portal's sitemap."""

    def __init__(self, portal, links: PortalLinks, request=None):
        self.portal = portal
        self.body = portal.body
        self.links = links
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        root = urlsplit(self.links.absolute(self.links.home()))
        if root.netloc:
            return self._urls(page, root.scheme or "https", root.netloc)
        return super().get_urls(page=page, site=site, protocol=protocol)

    def location(self, item) -> str:
        return _path(self.url(item))

    def url(self, item) -> str:
        raise NotImplementedError

    def lastmod(self, item):
        return getattr(item, "modified", None)


class PagesSitemap(PortalSitemap):
    """Home, the lists, the subscription page and the editable pages."""

    def items(self) -> list:
        pages = self.portal.get_descendants().live().public().order_by("path")
        return [None, *STATIC_ROUTES, *pages]

    def url(self, item) -> str:
        if item is None:
            return self.links.home()
        if isinstance(item, str):
            return self.links.route(item)
        return item.get_url(self.request) or ""

    def lastmod(self, item):
        return getattr(item, "last_published_at", None)


class MeetingsSitemap(PortalSitemap):
    def items(self) -> QuerySet:
        return (
            visibility.public_meetings(self.body)
            .only("pk", "slug", "modified")
            .order_by("pk")
        )

    def url(self, meeting) -> str:
        return self.links.meeting(meeting)


class PapersSitemap(PortalSitemap):
    def items(self) -> QuerySet:
        return (
            visibility.public_papers(self.body)
            .only("pk", "reference", "modified")
            .order_by("pk")
        )

    def url(self, paper) -> str:
        return self.links.paper(paper)


class OrganizationsSitemap(PortalSitemap):
    def items(self) -> QuerySet:
        return (
            visibility.public_organizations(self.body)
            .only("pk", "name", "modified")
            .order_by("pk")
        )

    def url(self, organization) -> str:
        return self.links.organization(organization)


class PersonsSitemap(PortalSitemap):
    def items(self) -> QuerySet:
        return (
            visibility.public_persons(self.body)
            .only("pk", "given_name", "family_name", "modified")
            .order_by("pk")
        )

    def url(self, person) -> str:
        return self.links.person(person)


SECTIONS: dict[str, type[PortalSitemap]] = {
    "seiten": PagesSitemap,
    "sitzungen": MeetingsSitemap,
    "vorlagen": PapersSitemap,
    "gremien": OrganizationsSitemap,
    "personen": PersonsSitemap,
}


def portal_sitemaps(portal, links: PortalLinks, request=None) -> dict:
    return {name: section(portal, links, request) for name, section in SECTIONS.items()}


def index_items(sitemaps: dict, links: PortalLinks) -> list[SitemapIndexItem] | None:
    """The pages of a sitemap index, or ``None`` when one file holds every
    address."""
    pages = {name: sitemap.paginator.num_pages for name, sitemap in sitemaps.items()}
    if all(count <= 1 for count in pages.values()):
        return None
    return [
        SitemapIndexItem(
            links.absolute(links.route("sitemap", query={"section": name, "p": page}))
        )
        for name, count in pages.items()
        for page in range(1, count + 1)
    ]

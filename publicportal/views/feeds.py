"""Calendar and news feeds, the subscription page and ``sitemap.xml``.

``/feeds/<name>.<fmt>`` with an optional ``?gremium=<organization pk>``:

- ``sitzungen.ics``: the body's public meetings (last twelve months and all
  future ones); ``sitzung-<meeting address>.ics``: one meeting;
- ``vorlagen``, ``sitzungen``, ``niederschriften`` as ``.rss`` or ``.atom``.

An unknown feed, format or organization is a 404 like any missing page.
"""

import hashlib

from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gremien.models import Organization

from .. import visibility
from ..feeds import ical
from ..feeds.sitemap import index_items, portal_sitemaps
from ..feeds.syndication import NEWS_FEEDS
from ..links import PortalLinks
from .base import Crumb, FeedLink, not_found, render_portal

MEETING_FEED_PREFIX = "sitzung-"
CALENDAR_FEED = "sitzungen"
MIME_TYPES = {
    "ics": "text/calendar",
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
}


@require_safe
def feed(request, portal, name: str, fmt: str):
    organization = _organization(request, portal)
    links = PortalLinks(portal, request)
    if fmt == "ics":
        if name == CALENDAR_FEED:
            return _calendar_feed(request, portal, links, organization)
        if name.startswith(MEETING_FEED_PREFIX):
            return _meeting_feed(request, portal, links, name)
        raise not_found()
    feed_class = NEWS_FEEDS.get(name)
    if feed_class is None:
        raise not_found()
    return feed_class(portal, links, fmt, organization)(request)


def _organization(request, portal) -> Organization | None:
    """The organization of ``?gremium=``; a wrong one is a 404."""
    raw = request.GET.get("gremium", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise not_found()
    try:
        return visibility.public_organizations(portal.body).get(pk=int(raw))
    except Organization.DoesNotExist:
        raise not_found() from None


def _calendar_feed(request, portal, links, organization):
    meetings = ical.calendar_meetings(portal.body, organization)
    scope = portal.body.name
    if organization is not None:
        scope = f"{scope} – {organization.name}"
    name = _("{scope}: meetings").format(scope=scope)
    content = ical.meetings_calendar(meetings, links=links, name=name)
    return _calendar_response(request, content, "sitzungen.ics")


def _meeting_feed(request, portal, links, name: str):
    key = name.removeprefix(MEETING_FEED_PREFIX)
    match = Q(slug=key)
    if key.isdigit():
        match |= Q(pk=int(key))
    meetings = visibility.public_meetings(portal.body).filter(match)
    meeting = meetings.only("pk", "name").first()
    if meeting is None:
        raise not_found()
    meetings = meetings.filter(pk=meeting.pk)
    calendar_name = f"{portal.body.name}: {meeting.name}"
    content = ical.meetings_calendar(meetings, links=links, name=calendar_name)
    return _calendar_response(request, content, f"{name}.ics")


def _calendar_response(request, content: bytes, filename: str) -> HttpResponse:
    """``content`` as an inline calendar file; an ETag from the content lets
    calendar apps that poll get a 304 when nothing changed."""
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        return conditional
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    return response


# --- subscription page ---------------------------------------------------


def subscribe(request, portal):
    links = PortalLinks(portal, request)
    today = timezone.localdate()
    organizations = (
        visibility.public_organizations(portal.body)
        .filter(kind__in=Organization.DELIBERATIVE_KINDS)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("name")
    )
    body_feeds = body_feed_links(links)
    return render_portal(
        request,
        portal,
        "publicportal/subscribe.html",
        title=_("Calendar and news feeds"),
        breadcrumbs=[Crumb(_("Calendar and news feeds"))],
        feeds=[FeedLink(f.label, f.url, MIME_TYPES[f.fmt]) for f in body_feeds],
        body_feeds=body_feeds,
        calendar_url=links.absolute(links.feed(CALENDAR_FEED, "ics")),
        webcal_url=webcal(links.absolute(links.feed(CALENDAR_FEED, "ics"))),
        organizations=[
            OrganizationFeeds(organization, links) for organization in organizations
        ],
    )


class SubscribeFeed:
    def __init__(self, label: str, name: str, fmt: str, links, organization=None):
        self.label = label
        self.name = name
        self.fmt = fmt
        self.url = links.absolute(links.feed(name, fmt, organization))

    @property
    def format_label(self) -> str:
        return {"ics": "iCal", "rss": "RSS", "atom": "Atom"}[self.fmt]


def body_feed_links(links) -> list[SubscribeFeed]:
    return [
        SubscribeFeed(_("Meetings (calendar)"), CALENDAR_FEED, "ics", links),
        SubscribeFeed(_("New papers"), "vorlagen", "rss", links),
        SubscribeFeed(_("New papers"), "vorlagen", "atom", links),
        SubscribeFeed(_("Invited meetings"), "sitzungen", "rss", links),
        SubscribeFeed(_("Invited meetings"), "sitzungen", "atom", links),
        SubscribeFeed(_("Published minutes"), "niederschriften", "rss", links),
        SubscribeFeed(_("Published minutes"), "niederschriften", "atom", links),
    ]


class OrganizationFeeds:
    """The feeds of one organization, for a row of the subscription table."""

    def __init__(self, organization: Organization, links: PortalLinks):
        self.organization = organization
        self.page_url = links.organization(organization)
        calendar = links.absolute(links.feed(CALENDAR_FEED, "ics", organization))
        self.calendar_url = calendar
        self.webcal_url = webcal(calendar)
        self.papers_url = links.absolute(links.feed("vorlagen", "rss", organization))
        self.meetings_url = links.absolute(links.feed("sitzungen", "rss", organization))
        self.minutes_url = links.absolute(
            links.feed("niederschriften", "rss", organization)
        )


def webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) address: calendar apps open it
    as a subscription."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url.removeprefix(scheme)
    return url


# --- sitemap -------------------------------------------------------------


@require_safe
def sitemap(request, portal):
    links = PortalLinks(portal, request)
    sitemaps = portal_sitemaps(portal, links, request)
    section = request.GET.get("section")
    if section is not None:
        if section not in sitemaps:
            raise not_found()
        return _sitemap_response(request, sitemaps, section)
    index = index_items(sitemaps, links)
    if index is None:
        return _sitemap_response(request, sitemaps, None)
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": index},
        content_type="application/xml; charset=utf-8",
    )


def _sitemap_response(request, sitemaps, section):
    try:
        response = sitemap_views.sitemap(
            request,
            sitemaps,
            section=section,
            content_type="application/xml; charset=utf-8",
        )
    except Http404:
        raise not_found() from None
    return response

"""Start page of a body's portal, and the portal's 404 page."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Site

from .. import visibility
from ..models import PortalHomePage
from .base import FeedLink, render_portal
from .meetings import ICS, upcoming_meetings

#: How many entries each list on the start page shows.
HOME_LIST_LENGTH = 5


def subordinate_portals(request, body) -> list[tuple[str, str]]:
    """(name, address) of the portals of the body's subordinate bodies (the
    towns of a Kreis) that have one."""
    bodies = (
        visibility.public_bodies()
        .filter(superordinate_body=body, portal_page__isnull=False)
        .select_related("portal_page")
        .order_by("name")
    )
    portals = []
    for sub in bodies:
        url = sub.portal_page.get_url(request)
        if url:
            portals.append((sub.name, url))
    return portals


def home(request, portal):
    body = portal.body
    meetings = list(upcoming_meetings(body)[:HOME_LIST_LENGTH])
    papers = list(
        visibility.public_papers(body).order_by("-released_at", "-pk")[
            :HOME_LIST_LENGTH
        ]
    )
    minutes = list(
        visibility.public_minutes(body)
        .select_related("meeting")
        .prefetch_related(
            Prefetch(
                "meeting__organizations",
                queryset=visibility.public_organizations().order_by("name"),
                to_attr="public_organizations",
            )
        )
        .order_by("-published_at", "-pk")[:HOME_LIST_LENGTH]
    )
    response = render_portal(
        request,
        portal,
        "publicportal/home.html",
        title=portal.title,
        nav_current="home",
        meetings=meetings,
        papers=papers,
        minutes_list=minutes,
        subordinate_portals=subordinate_portals(request, body),
    )
    links = response.context_data["links"]
    response.context_data["feeds"] = [
        FeedLink(_("All meetings (iCal)"), links.feed("sitzungen", "ics"), ICS)
    ]
    return response


def _portal_of(request):
    try:
        site = Site.find_for_request(request)
    except Exception:  # noqa: BLE001 - a 404 page must never fail
        return None
    if site is None:
        return None
    root = site.root_page.specific
    return root if isinstance(root, PortalHomePage) else None


def page_not_found(request, exception=None):
    """``handler404``: the portal's 404 page with its menu and search when
    the site is a portal, a plain page otherwise."""
    portal = _portal_of(request)
    if portal is None:
        return render(request, "404.html", status=404)
    response = render_portal(
        request,
        portal,
        "publicportal/404.html",
        status=404,
        title=_("Page not found"),
    )
    return response.render()

"""What every portal page needs: the body, links, menu, feeds, breadcrumbs."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page

from .. import cache
from ..links import PortalLinks

CONTENT_LANGUAGE = "de"


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


@dataclass(frozen=True)
class FeedLink:
    label: str
    url: str
    mime_type: str


#: Seconds a process keeps a portal's menu (it is also dropped at once when a
#: page changes, through the page cache's version).
MENU_SECONDS = 60
_menus: dict = {}


def menu_pages(portal) -> list[Page]:
    """The editable pages shown in the footer menu, kept per process for the
    current version of the page cache (every saved page raises it) and at
    most ``MENU_SECONDS``: two queries on the first page of a portal, none
    on the next ones."""
    key = (portal.pk, cache.version())
    now = time.monotonic()
    kept = _menus.get(key)
    if kept is not None and now - kept[0] < MENU_SECONDS:
        return list(kept[1])
    pages = list(portal.get_children().live().in_menu().specific().order_by("path"))
    if len(_menus) > 1000:  # old versions and many portals
        _menus.clear()
    _menus[key] = (now, pages)
    return list(pages)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def language_links(request) -> list[LanguageLink]:
    """The current page in every language (``/…`` German, ``/en/…``
    English): plain links, so switching needs neither JavaScript nor a form."""
    current = get_language()
    path = request.get_full_path()
    return [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"],
            url=translate_url(path, code),
            current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]


def portal_context(request, portal, **extra) -> dict:
    """Context of every portal page. ``extra`` may set ``title``,
    ``breadcrumbs`` (list of :class:`Crumb`, home is added) and ``feeds``
    (list of :class:`FeedLink`, shown as ``<link rel=alternate>``)."""
    links = PortalLinks(portal, request)
    crumbs = [Crumb(_("Home"), links.home()), *extra.pop("breadcrumbs", [])]
    context = {
        "page": portal,
        "portal": portal,
        "body": portal.body,
        "links": links,
        "menu_pages": menu_pages(portal),
        "breadcrumbs": crumbs,
        "feeds": [],
        "language_links": language_links(request),
        # Council data and editable pages are written in German; pages in
        # another language mark them so screen readers pronounce them right.
        "content_lang": CONTENT_LANGUAGE,
        "request": request,
    }
    context.update(extra)
    return context


def render_portal(
    request, portal, template: str, *, status: int = 200, **context
) -> TemplateResponse:
    """Render ``template`` with the portal context plus ``context``."""
    return TemplateResponse(
        request, template, portal_context(request, portal, **context), status=status
    )


def has_ended(record, today) -> bool:
    """Whether a membership or organization ended before ``today`` (one that
    has not started yet counts as current, as in the lists of members)."""
    return record.end_date is not None and record.end_date < today


def not_found() -> Http404:
    """The same answer for an object that does not exist and one that is not
    public: the public must not learn that a non-public object exists."""
    return Http404(_("This page does not exist or is not public."))

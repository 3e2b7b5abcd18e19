"""Addresses of the portal's generated pages.

Readable and stable: ``/sitzungen/2026-03-12-bauausschuss/``,
``/vorlagen/VO-2026-0123/``, ``/gremien/12-bauausschuss/``,
``/personen/345-erika-mustermann/``, ``/dateien/678/vorlage.pdf``. Numbers in
organization and person addresses keep them stable when a name changes; the
name part is checked and a wrong one redirects to the right address.
"""

import re
from itertools import product
from urllib.parse import quote, urlencode

from django.utils.http import RFC3986_SUBDELIMS, escape_leading_slashes
from django.utils.text import get_valid_filename
from django.utils.translation import get_language

from documents.models import File, Paper
from gremien.models import Organization, Person
from sessions.models import AgendaItem, Meeting
from sessions.slugs import german_slug

#: More dashes than this in a paper address are not tried as slashes.
MAX_REFERENCE_DASHES = 6


def meeting_key(meeting: Meeting) -> str:
    return meeting.slug or str(meeting.pk)


def paper_key(paper: Paper) -> str:
    return paper.reference.replace("/", "-") if paper.reference else str(paper.pk)


def paper_references(key: str) -> list[str]:
    """References an address ``VO-2026-0123`` may stand for: each dash may
    have been a slash (``VO/2026/0123``) or a dash of the prefix."""
    dashes = key.count("-")
    if dashes > MAX_REFERENCE_DASHES:
        return [key]
    parts = key.split("-")
    candidates = []
    for separators in product("/-", repeat=dashes):
        text = parts[0]
        for separator, part in zip(separators, parts[1:], strict=True):
            text += separator + part
        candidates.append(text)
    return candidates


def organization_key(organization: Organization) -> str:
    return f"{organization.pk}-{german_slug(organization.name) or 'gremium'}"


def person_key(person: Person) -> str:
    return german_slug(f"{person.given_name} {person.family_name}") or "person"


def file_name(file: File) -> str:
    name = get_valid_filename(file.file_name or file.name or "datei")
    return name or "datei"


class _Routes:
    """Reversing the portal's routes without the resolver's general search.

    A page of a large meeting has some 500 links, and ``reverse_subpage`` per
    link was a noticeable part of its rendering. This does what
    ``URLResolver._reverse_with_prefix`` does for positional arguments (the
    same candidates in the same order, converters, the same check of the
    result against the route's pattern, the same quoting), with the patterns
    compiled once per page class and language.
    """

    _tables: dict = {}

    @classmethod
    def for_page(cls, page) -> dict:
        resolver = type(page).get_resolver()
        key = (id(resolver), get_language())
        table = cls._tables.get(key)
        if table is None:
            table = {}
            reverse_dict = resolver.reverse_dict
            for name in [k for k in reverse_dict if isinstance(k, str)]:
                table[name] = [
                    (result, params, re.compile(f"^{pattern}"), converters)
                    for possibility, pattern, _defaults, converters in (
                        reverse_dict.getlist(name)
                    )
                    for result, params in possibility
                ]
            cls._tables[key] = table
        return table

    @staticmethod
    def reverse(table: dict, name: str, args: tuple) -> str | None:
        """The path of route ``name``; ``None``: let Django's resolver say."""
        for result, params, regex, converters in table.get(name, ()):
            if len(args) != len(params):
                continue
            subs = {}
            for param, value in zip(params, args, strict=True):
                if param in converters:
                    try:
                        subs[param] = converters[param].to_url(value)
                    except ValueError:
                        subs = None
                        break
                else:
                    subs[param] = str(value)
            if subs is None:
                continue
            text = result % subs
            if regex.search(text):
                return escape_leading_slashes(
                    quote(text, safe=RFC3986_SUBDELIMS + "/~:@")
                )
        return None


class PortalLinks:
    """Builds the addresses of one portal, relative to the current site.

    ``base`` is the portal's own URL as seen from the request (``/`` when the
    portal is the site root, which it is in a normal installation).
    """

    def __init__(self, portal, request=None):
        self.portal = portal
        self.base = portal.get_url(request) or "/"
        if not self.base.endswith("/"):
            self.base += "/"
        site = portal.get_site()
        self.root_url = site.root_url if site else ""
        self._routes = _Routes.for_page(portal)

    def route(self, name: str, *args, query: dict | None = None) -> str:
        subpath = _Routes.reverse(self._routes, name, args)
        if subpath is None:  # no match: the resolver's own answer or error
            subpath = self.portal.reverse_subpage(name, args=args)
        path = self.base + subpath
        if query:
            query = {k: v for k, v in query.items() if v not in (None, "")}
            if query:
                path += "?" + urlencode(query)
        return path

    def absolute(self, path: str) -> str:
        """Full URL of ``path`` (from :meth:`route`) for feeds and sitemaps."""
        if path.startswith("http"):
            return path
        site_root = self.root_url.rstrip("/")
        if self.base.startswith("http"):
            return path
        return f"{site_root}{path}"

    def home(self) -> str:
        return self.base

    def meeting(self, meeting: Meeting) -> str:
        return self.route("meeting", meeting_key(meeting))

    def agenda_item(self, item: AgendaItem) -> str:
        return f"{self.route('meeting', meeting_key(item.meeting))}#top-{item.pk}"

    def paper(self, paper: Paper) -> str:
        return self.route("paper", paper_key(paper))

    def organization(self, organization: Organization) -> str:
        return self.route("organization", organization_key(organization))

    def person(self, person: Person) -> str:
        return self.route("person", person.pk, person_key(person))

    def file(self, file: File) -> str:
        return self.route("file", file.pk, quote(file_name(file)))

    def feed(self, name: str, fmt: str, organization: Organization | None = None):
        query = {"gremium": organization.pk} if organization is not None else None
        return self.route("feed", name, fmt, query=query)

    def url_for(self, obj) -> str:
        """The page of any public object (a file: its download)."""
        method = _URL_METHODS.get(type(obj))
        if method is not None:
            return method(self, obj)
        for model, method in (
            (Meeting, self.meeting),
            (AgendaItem, self.agenda_item),
            (Paper, self.paper),
            (Organization, self.organization),
            (Person, self.person),
            (File, self.file),
        ):
            if isinstance(obj, model):
                return method(obj)
        raise TypeError(f"no portal page for {type(obj).__name__}")


_URL_METHODS = {
    Meeting: PortalLinks.meeting,
    AgendaItem: PortalLinks.agenda_item,
    Paper: PortalLinks.paper,
    Organization: PortalLinks.organization,
    Person: PortalLinks.person,
    File: PortalLinks.file,
}

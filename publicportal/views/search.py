"""Full-text search over the public council data of one body.

``/suche/?q=…&typ=paper&gremium=<pk>&jahr=2026&sortierung=relevanz|datum&seite=2``

The index (:class:`publicportal.models.SearchEntry`, kept by
:mod:`publicportal.indexing`) holds only public objects; the hits of the page
shown are fetched once more through :mod:`publicportal.visibility`, so an
entry that is stale for a moment still never shows anything non-public.
Unknown or malformed parameters are ignored, never an error.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.models import File
from gremien.models import Organization

from .. import visibility
from ..models import SearchEntry
from ..search import Criteria, run_search
from .base import Crumb, render_portal

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_PAGE = 500
SNIPPET_LENGTH = 240
#: Characters of an entry's text searched for the snippet's first match (a
#: file's text holds up to 200,000; beyond this the snippet shows the start).
SNIPPET_SCAN = 20_000
SORTS = ("relevanz", "datum")
Kind = SearchEntry.Kind


# --- parameters --------------------------------------------------------------


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass
class Params:
    query: str = ""
    kind: str = ""
    organization: int | None = None
    year: int | None = None
    sort: str = "relevanz"
    page: int = 1

    @classmethod
    def from_request(cls, request) -> "Params":
        get = request.GET
        query = "".join(
            char
            for char in str(get.get("q", ""))[: MAX_QUERY_LENGTH * 4]
            if not unicodedata.category(char).startswith("C")
        )
        query = " ".join(query.split())[:MAX_QUERY_LENGTH]
        kind = get.get("typ", "")
        sort = get.get("sortierung", "")
        return cls(
            query=query,
            kind=kind if kind in Kind.values else "",
            organization=_int(get.get("gremium"), 1, 2**62),
            year=_int(get.get("jahr"), 1900, 2200),
            sort=sort if sort in SORTS else "relevanz",
            page=_int(get.get("seite"), 1, MAX_PAGE) or 1,
        )

    def query_dict(self, **changes) -> dict:
        values = {
            "q": self.query,
            "typ": self.kind,
            "gremium": self.organization,
            "jahr": self.year,
            "sortierung": "" if self.sort == "relevanz" else self.sort,
            "seite": None,
        }
        values.update(changes)
        if values["seite"] == 1:
            values["seite"] = None
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.organization or self.year)


# --- highlighting --------------------------------------------------------------

_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})
#: Endings cut from a query word so that inflected forms match too
#: (Pläne/Plan, Ausschusses/Ausschuss, Sitzungen/Sitzung).
_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFC", word.lower())
    return word.translate(_FOLD)


def stems(query: str) -> list[str]:
    """Folded prefixes of the query words (at least three letters)."""
    result = []
    for word in _WORD.findall(query):
        folded = _fold(word)
        for ending in _ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= 4:
                folded = folded[: -len(ending)]
                break
        if len(folded) >= 3 and folded not in result:
            result.append(folded)
    return result


def _matches(text: str, prefixes: list[str]) -> list[tuple[int, int]]:
    return [
        match.span()
        for match in _WORD.finditer(text)
        if any(_fold(match.group()).startswith(p) for p in prefixes)
    ]


def _first_match(text: str, prefixes: list[str]) -> int | None:
    for match in _WORD.finditer(text):
        if any(_fold(match.group()).startswith(p) for p in prefixes):
            return match.start()
    return None


def highlight(text: str, prefixes: list[str]) -> SafeString:
    """``text`` escaped, with the words matching ``prefixes`` in ``<mark>``."""
    out, last = [], 0
    for start, end in _matches(text, prefixes):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def snippet(text: str, prefixes: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The part of ``text`` around the first match, highlighted."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    first = _first_match(text[:SNIPPET_SCAN], prefixes)
    start = 0
    if first is not None:
        start = max(0, first - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(text[start:end], prefixes)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{piece}{suffix}")  # noqa: S308 - piece is escaped


# --- hits ------------------------------------------------------------------------


@dataclass
class Hit:
    entry: SearchEntry
    obj: object
    url: str
    title: SafeString
    snippet: SafeString
    kind_label: str
    organization: Organization | None = None
    owner: object = None
    owner_url: str = ""


def _public_objects(entries: list[SearchEntry], body) -> dict[tuple, object]:
    """The objects of ``entries`` that are public, one query per kind."""
    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.object_id)
    querysets = {
        Kind.PAPER: lambda: visibility.public_papers(body),
        Kind.MEETING: lambda: visibility.public_meetings(body),
        Kind.AGENDA_ITEM: lambda: (
            visibility.public_agenda_items()
            .filter(meeting__body=body)
            .select_related("meeting")
        ),
        Kind.ORGANIZATION: lambda: visibility.public_organizations(body),
        Kind.PERSON: lambda: visibility.public_persons(body),
        Kind.FILE: lambda: visibility.public_files(body).prefetch_related(
            Prefetch("paper", queryset=visibility.public_papers(body)),
            Prefetch(
                "agenda_item",
                queryset=visibility.public_agenda_items().select_related("meeting"),
            ),
            Prefetch("meeting", queryset=visibility.public_meetings(body)),
        ),
    }
    found = {}
    for kind, ids in by_kind.items():
        for obj in querysets[kind]().filter(pk__in=ids):
            found[(kind, obj.pk)] = obj
    return found


def _file_owner(file: File):
    return file.paper or file.agenda_item or file.meeting


def make_hits(entries, body, links, prefixes) -> list[Hit]:
    objects = _public_objects(entries, body)
    org_ids = {e.organization_id for e in entries if e.organization_id}
    organizations = visibility.public_organizations(body).in_bulk(org_ids)
    labels = dict(Kind.choices)
    hits = []
    for entry in entries:
        obj = objects.get((entry.kind, entry.object_id))
        if obj is None:
            continue  # stale for a moment: never shown
        owner = _file_owner(obj) if entry.kind == Kind.FILE else None
        hits.append(
            Hit(
                entry=entry,
                obj=obj,
                url=links.url_for(obj),
                title=highlight(entry.title, prefixes),
                snippet=snippet(entry.text, prefixes),
                kind_label=labels.get(entry.kind, entry.kind),
                organization=organizations.get(entry.organization_id),
                owner=owner,
                owner_url=links.url_for(owner) if owner is not None else "",
            )
        )
    return hits


# --- facets and pages ------------------------------------------------------------


@dataclass
class FacetOption:
    label: str
    count: int
    url: str
    current: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    all_url: str = ""
    current: bool = False


@dataclass
class PageLink:
    number: int
    url: str
    current: bool = False
    gap: bool = False


def page_links(params: Params, pages: int, links) -> list[PageLink]:
    shown = {1, pages, *range(params.page - 2, params.page + 3)}
    result, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if number > previous + 1:
            result.append(PageLink(0, "", gap=True))
        url = links.route("search", query=params.query_dict(seite=number))
        result.append(PageLink(number, url, current=number == params.page))
        previous = number
    return result


def build_facets(counts: dict, params: Params, links, body) -> list[Facet]:
    """The facets from the engine's ``facet name -> {value: count}``."""
    if not counts:
        return []

    def url(**changes):
        return links.route("search", query=params.query_dict(**changes))

    kinds = counts.get("kind", {})
    kind_facet = Facet("typ", _("Type"), all_url=url(typ=""), current=bool(params.kind))
    for value, label in Kind.choices:
        if kinds.get(value):
            kind_facet.options.append(
                FacetOption(label, kinds[value], url(typ=value), value == params.kind)
            )

    orgs = counts.get("organization_id", {})
    names = visibility.public_organizations(body).in_bulk([k for k in orgs if k])
    org_facet = Facet(
        "gremium",
        _("Committee"),
        all_url=url(gremium=None),
        current=bool(params.organization),
    )
    for pk, count in sorted(orgs.items(), key=lambda item: -item[1]):
        if pk in names and count:
            org_facet.options.append(
                FacetOption(
                    names[pk].name, count, url(gremium=pk), pk == params.organization
                )  # fmt: skip
            )

    years = counts.get("year", {})
    year_facet = Facet(
        "jahr", _("Year"), all_url=url(jahr=None), current=bool(params.year)
    )
    for year in sorted((y for y in years if y), reverse=True):
        if years[year]:
            year_facet.options.append(
                FacetOption(str(year), years[year], url(jahr=year), year == params.year)
            )
    return [kind_facet, org_facet, year_facet]


# --- the view ------------------------------------------------------------------


def search(request, portal):
    params = Params.from_request(request)
    context = {
        "params": params,
        "query": params.query,
        "kinds": Kind.choices,
        "title": _("Search"),
        "breadcrumbs": [Crumb(_("Search"))],
        "nav_current": "search",
    }
    if params.query:
        context.update(_results(request, portal, params))
        context["title"] = _("Search: %(query)s") % {"query": params.query}
    return render_portal(request, portal, "publicportal/search.html", **context)


def _results(request, portal, params: Params) -> dict:
    from ..links import PortalLinks

    links = PortalLinks(portal, request)
    body = portal.body
    results = run_search(
        Criteria(
            body_id=body.pk,
            query=params.query,
            kind=params.kind,
            organization=params.organization,
            year=params.year,
            sort=params.sort,
            page=params.page,
            page_size=PAGE_SIZE,
        )
    )
    total, pages, entries = results.total, results.pages, results.entries
    params.page = results.page
    start = (params.page - 1) * PAGE_SIZE
    prefixes = stems(params.query)
    return {
        "hits": make_hits(entries, body, links, prefixes),
        "total": total,
        "pages": pages,
        "first_number": start + 1,
        "page_links": page_links(params, pages, links) if pages > 1 else [],
        "previous_url": links.route(
            "search", query=params.query_dict(seite=params.page - 1)
        )
        if params.page > 1
        else "",
        "next_url": links.route(
            "search", query=params.query_dict(seite=params.page + 1)
        )
        if params.page < pages
        else "",
        "facets": build_facets(results.facets, params, links, body),
        "clear_filters_url": links.route(
            "search", query={"q": params.query} if params.query else None
        ),
        "sort_links": [
            (
                label,
                links.route("search", query=params.query_dict(sortierung=key)),
                key == params.sort,
            )
            for key, label in (("relevanz", _("relevance")), ("datum", _("date")))
        ],  # fmt: skip
    }

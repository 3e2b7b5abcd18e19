"""The leak suite: nothing non-public ever reaches an anonymous visitor.

``tests.publicportal.world`` builds a town in which every non-public thing
(a non-public paper and its file, non-public agenda items and their
resolutions, a sub-item of a non-public item, a closed meeting, a meeting
cancelled before its invitation, restricted, deleted and early minutes files,
deleted and draft and withdrawn papers, private contact data, a staff member,
a deleted organization and person) carries one marker string. An anonymous
visitor then reads the whole portal in German and English: every page type,
every public meeting, paper, organization and person, the content pages,
searches (for the marker itself and for words of non-public titles), every
feed and its committee filters, the sitemap, every file download (the text of
the PDFs) and whatever else a page links to (a crawl, so new pages are covered
without touching this file). The marker must appear nowhere, in no case and
no escaped form. Guessed addresses of the non-public objects answer 404.

The session packs are built as in production (on commit, by the pack
tasks). The public pack, the public agenda and the public minutes as PDF are
linked from the meeting pages and followed like every other link; their text
(every page, the metadata and the outline) is checked, and they are also
fetched explicitly, so that a missing link cannot hide a leak. The member pack
of a member must carry the marker: proof that the check can find it.

Not covered here: the public live view's websocket messages (no public live
view exists yet).
"""

import html
import io
import re
from collections import deque
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from publicportal import visibility
from publicportal.links import PortalLinks, meeting_key, paper_key, person_key
from publicportal.models import ContentPage, FeedbackFormPage
from sessions.models import SessionPack
from sessions.services.agenda import agenda_item_add, agenda_item_update
from tests.gremien.factories import UserFactory
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock

pytestmark = pytest.mark.django_db

#: Hosts that are this site (feeds and sitemaps link absolutely).
OWN_HOSTS = {"testserver", "localhost", "neuhausen.localhost"}
#: Where the crawl does not go: staff screens and assets.
NOT_PORTAL = ("/admin/", "/django-admin/", "/static/", "/i18n/", "/documents/")
MAX_PAGES = 600
#: Query variants per path (pagination, filters) the crawl follows at most.
MAX_VARIANTS_PER_PATH = 12
LANGUAGES = ("", "/en")
FEEDS = ("vorlagen", "sitzungen", "niederschriften")
#: Words of non-public titles and texts; searching them must find nothing
#: that carries the marker.
SECRET_WORDS = [
    "Grundstücksverkauf",
    "Wertgutachten",
    "Kaufpreis",
    "Kaufvertrag",
    "Vertrag",
    "Verkauf beschlossen",
    "Personalangelegenheit",
    "Fraktionssitzung",
    "Entwurf",
    "Vertragsangelegenheit",
    "Vertragsentwurf",
    "Unterpunkt",
    "Abgesetzter Punkt",
    "Vorberatung",
    "Protokollentwurf",
    "Gelöschte Vorlage",
    "Zurückgezogener Entwurf",
    "Alte Fassung",
    "Arbeitskreis",
    "Otto",
    "Sven",
    "Gutachten",
    "GEHEIM",
    "7Q3X",
    "Bebauungsplan",
    "Mühlenbach",
    "Sitzung",
    "Rat",
]
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
XML_LINK = re.compile(r"<(?:loc|link|id|guid)>\s*([^<\s]+)\s*</", re.IGNORECASE)
ABSOLUTE = re.compile(r"https?://[^\s\"'<>\\]+")


# --- what counts as a leak ------------------------------------------------


def forms_of(text: str) -> list[str]:
    """``text`` as a reader may get it: raw, HTML/XML-unescaped (twice, for
    escaped HTML inside feeds), URL-decoded, iCalendar lines unfolded."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    once = html.unescape(unfolded)
    twice = html.unescape(once)
    forms = [text, unfolded, once, twice, unquote(twice), unquote(unquote(twice))]
    return [form.replace("\\", "").lower() for form in forms]


def contains_marker(text: str, marker: str) -> bool:
    marker = marker.lower()
    return any(marker in form for form in forms_of(text))


def typed_by_visitor(url: str) -> list[str]:
    """What the visitor typed into the address (path, query values) in the
    forms a page may echo it. A page may repeat what it was asked for (a
    search field keeps the query, a language link keeps the address); that
    tells nobody anything."""
    parts = urlsplit(url)
    values = [parts.path, unquote(parts.path)]
    for code, _name in settings.LANGUAGES:
        # The language switch repeats the address in the other languages.
        if parts.path.startswith(f"/{code}/"):
            values += [
                parts.path[len(code) + 1 :],
                unquote(parts.path[len(code) + 1 :]),
            ]
    values += [value for _key, value in parse_qsl(parts.query) if value]
    echoed = []
    for value in values:
        echoed += [value, quote(value), quote_plus(value), html.escape(value)]
    return sorted(set(echoed), key=len, reverse=True)


def strip_echo(text: str, url: str) -> str:
    for value in typed_by_visitor(url):
        text = text.replace(value, " ")
    return text


def outline_titles(entries) -> list[str]:
    titles = []
    for entry in entries:
        if isinstance(entry, list):
            titles += outline_titles(entry)
        else:
            titles.append(str(entry.title))
    return titles


def pdf_text(data: bytes) -> str:
    """Every text of a PDF: its pages, its metadata and its outline."""
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    parts += outline_titles(reader.outline)
    return "\n".join(parts)


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def readable(response, url: str) -> tuple[str, bytes]:
    """The text a visitor gets from ``response`` (the text of a PDF) and the
    raw bytes."""
    data = body_of(response)
    is_pdf = data[:5] == b"%PDF-" or "pdf" in response.get("Content-Type", "")
    text = data.decode("utf-8", errors="replace")
    if is_pdf and response.status_code == 200:
        text += "\n" + pdf_text(data)
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return headers + "\n" + text, data


# --- the crawl ------------------------------------------------------------


def own_path(link: str, base: str) -> str | None:
    """The same-site address (path and query, no fragment) of ``link`` found
    on ``base``, or None for another site, mail, telephone …"""
    link = html.unescape(link.strip())
    if link.startswith(("mailto:", "tel:", "data:", "javascript:", "#")):
        return None
    absolute = urljoin(f"http://testserver{base}", link)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname not in OWN_HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(NOT_PORTAL):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> list[str]:
    text = re.sub(r"\r?\n[ \t]", "", text)  # folded iCalendar lines
    return LINK.findall(text) + XML_LINK.findall(text) + ABSOLUTE.findall(text)


class Crawl:
    """Fetch addresses as an anonymous visitor, follow same-site links, keep
    what went wrong."""

    def __init__(self, client, marker: str):
        self.client = client
        self.marker = marker
        self.seen: set[str] = set()
        self.variants: dict[str, int] = {}
        self.queue: deque[tuple[str, str]] = deque()
        self.leaks: list[str] = []
        self.errors: list[str] = []
        self.broken: list[str] = []
        self.unexpected: list[str] = []
        self.fetched = 0
        self.pdfs = 0

    def add(self, path: str, source: str = "(seed)", *, seed: bool = False) -> None:
        if path in self.seen:
            return
        bare = path.split("?")[0]
        if "?" in path and not seed:
            if self.variants.get(bare, 0) >= MAX_VARIANTS_PER_PATH:
                return
            self.variants[bare] = self.variants.get(bare, 0) + 1
        self.seen.add(path)
        self.queue.append((path, source))

    def check(self, path: str, response, source: str) -> str:
        text, data = readable(response, path)
        shown = strip_echo(text, path)
        if contains_marker(shown, self.marker):
            where = shown.lower().find(self.marker.lower())
            excerpt = shown[max(0, where - 80) : where + 80] if where >= 0 else ""
            self.leaks.append(
                f"{path} (status {response.status_code}, linked from {source}): "
                f"…{excerpt.strip()}…"
            )
        if data[:5] == b"%PDF-":
            self.pdfs += 1
        return text

    def fetch(self, path: str, source: str = "(seed)", expect: int | None = None):
        response = self.client.get(path)
        self.fetched += 1
        text = self.check(path, response, source)
        status = response.status_code
        if status >= 500:
            self.errors.append(f"{path} → {status} (linked from {source})")
        elif expect is not None and status != expect:
            self.unexpected.append(f"{path} → {status}, expected {expect}")
        elif status == 404 and source != "(seed)":
            self.broken.append(f"{path} → 404 (linked from {source})")
        if status in (301, 302, 303, 307, 308):
            target = own_path(response["Location"], path)
            if target:
                self.add(target, path)
        elif status == 200 and "pdf" not in response.get("Content-Type", ""):
            for link in links_in(text):
                target = own_path(link, path)
                if target:
                    self.add(target, path)
        return response

    def run(self, expected: dict[str, int]) -> None:
        for path, status in expected.items():
            self.seen.add(path)
            self.fetch(path, expect=status)
        while self.queue and self.fetched < MAX_PAGES:
            path, source = self.queue.popleft()
            self.fetch(path, source)

    def report(self) -> str:
        sections = [
            ("MARKER LEAKED", self.leaks),
            ("SERVER ERRORS", self.errors),
            ("WRONG STATUS OF A PAGE THAT MUST EXIST", self.unexpected),
            ("BROKEN LINKS", self.broken),
        ]
        lines = [f"{self.fetched} responses, {self.pdfs} PDFs read"]
        for title, items in sections:
            if items:
                lines.append(f"\n{title} ({len(items)}):")
                lines += [f"  {item}" for item in items[:60]]
        return "\n".join(lines)


# --- the world ------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def leak_world(db, clock, settings, django_capture_on_commit_callbacks):
    """The world with every twin; what happens on commit (text extraction,
    search index, session packs) has run."""
    settings.GREMIEN_PACK_AUTO_BUILD = True
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(clock, more_twins=True)
    call_command("portal_reindex", verbosity=0)
    return world


def local(url: str) -> str:
    """``url`` as a path on this site (links may be absolute)."""
    return own_path(url, "/") or url


def public_addresses(world) -> list[str]:
    """Every page that must exist for an anonymous visitor, in German."""
    links = PortalLinks(world.portal)
    body = world.body
    organizations = list(visibility.public_organizations(body))
    paths = [
        "/",
        "/sitzungen/",
        "/sitzungen/?ansicht=monat&monat=2026-11",
        "/sitzungen/?ansicht=monat&monat=2026-12",
        "/vorlagen/",
        "/gremien/",
        "/personen/",
        "/suche/",
        "/abonnieren/",
        "/sitemap.xml",
    ]
    paths += [f"/sitzungen/?gremium={org.pk}" for org in organizations]
    paths += [local(links.meeting(m)) for m in visibility.public_meetings(body)]
    paths += [local(links.paper(p)) for p in visibility.public_papers(body)]
    paths += [local(links.organization(o)) for o in organizations]
    paths += [local(links.person(p)) for p in visibility.public_persons(body)]
    pages = [
        *ContentPage.objects.live().descendant_of(world.portal),
        *FeedbackFormPage.objects.live().descendant_of(world.portal),
    ]
    paths += [local(page.get_url()) for page in pages]
    paths += [f"/feeds/{name}.{fmt}" for name in FEEDS for fmt in ("rss", "atom")]
    paths += [
        f"/feeds/{name}.{fmt}?gremium={org.pk}"
        for name in FEEDS
        for fmt in ("rss", "atom")
        for org in organizations
    ]
    paths.append("/feeds/sitzungen.ics")
    paths += [f"/feeds/sitzungen.ics?gremium={org.pk}" for org in organizations]
    paths += [
        f"/feeds/sitzung-{meeting_key(m)}.ics" for m in visibility.public_meetings(body)
    ]
    return paths


def searches(marker: str) -> list[str]:
    # The marker in a case no stored text has: the echo of the query is
    # recognisable, a hit (upper or lower case) is not hidden by it.
    odd_case = "".join(
        char.lower() if index % 2 else char.upper() for index, char in enumerate(marker)
    )
    words = [*SECRET_WORDS, odd_case, odd_case.split("-")[0]]
    return [f"/suche/?q={quote_plus(word)}" for word in words]


def test_no_public_response_carries_the_marker(client, leak_world):
    crawl = Crawl(client, leak_world.marker)
    expected = {}
    for path in public_addresses(leak_world):
        for language in LANGUAGES:
            expected[language + path] = 200
    for path in searches(leak_world.marker):
        for language in LANGUAGES:
            expected[language + path] = 200
    # the OParl API has no language prefix; the crawl follows its ids
    expected["/oparl/v1.1/"] = 200

    crawl.run(expected)

    assert not (crawl.leaks or crawl.errors or crawl.unexpected or crawl.broken), (
        crawl.report()
    )
    assert crawl.pdfs >= 1, "no public PDF was reached: the download check is void"
    assert any(path.startswith("/oparl/v1.1/body/") for path in crawl.seen), (
        "the crawl did not reach the OParl lists"
    )
    assert not crawl.queue, f"the crawl stopped at {MAX_PAGES} responses"
    council = f"/sitzungen/{meeting_key(leak_world.council_meeting)}/"
    held = f"/sitzungen/{meeting_key(leak_world.held_meeting)}/"
    for path in (
        council + "sitzungsmappe.pdf",
        council + "tagesordnung.pdf",
        held + "sitzungsmappe.pdf",
        held + "niederschrift.pdf",
    ):
        assert path in crawl.seen, f"{path} is not linked: the crawl missed it"


def hidden_addresses(world) -> list[str]:
    """Addresses a curious visitor may guess for the non-public objects."""
    w = world
    paths = [
        f"/sitzungen/{meeting_key(w.closed_meeting)}/",
        f"/sitzungen/{w.closed_meeting.pk}/",
        f"/feeds/sitzung-{meeting_key(w.closed_meeting)}.ics",
        f"/feeds/sitzung-{w.closed_meeting.pk}.ics",
        f"/sitzungen/?gremium={w.deleted_organization.pk}",
        f"/gremien/{w.deleted_organization.pk}-x/",
        f"/gremien/{w.deleted_organization.pk}-arbeitskreis/",
        f"/personen/{w.clerk_person.pk}-x/",
        f"/personen/{w.clerk_person.pk}-{person_key(w.clerk_person)}/",
        f"/personen/{w.deleted_person.pk}-x/",
        f"/personen/{w.deleted_person.pk}-{person_key(w.deleted_person)}/",
    ]
    for paper in (w.secret_paper, w.draft_paper, w.deleted_paper, w.withdrawn_draft):
        paths += [f"/vorlagen/{paper_key(paper)}/", f"/vorlagen/{paper.pk}/"]
    for file in (
        w.secret_file,
        w.restricted_file,
        w.hidden_item_file,
        w.early_minutes,
        w.deleted_file,
    ):
        paths += [f"/dateien/{file.pk}/x.pdf", f"/dateien/{file.pk}/{file.file_name}"]
    return paths


def test_guessed_addresses_of_non_public_objects_answer_404(client, leak_world):
    crawl = Crawl(client, leak_world.marker)
    wrong = []
    for path in hidden_addresses(leak_world):
        for language in LANGUAGES:
            response = crawl.fetch(language + path)
            if response.status_code != 404 and "?" not in path:
                wrong.append(f"{language}{path} → {response.status_code}")
    assert not crawl.leaks, crawl.report()
    assert not crawl.errors, crawl.report()
    assert wrong == [], "non-public objects must answer 404:\n" + "\n".join(wrong)


# --- a thing that stops being public disappears --------------------------


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path} → {response.status_code}"
    return body_of(response).decode()


def test_a_paper_made_non_public_leaves_search_and_feeds(
    client, leak_world, django_capture_on_commit_callbacks
):
    paper = leak_world.public_paper
    address = f"/vorlagen/{paper_key(paper)}/"
    search = "/suche/?q=M%C3%BChlenbach"
    assert address in text_of(client, search)
    assert address in text_of(client, "/feeds/vorlagen.rss")

    with django_capture_on_commit_callbacks(execute=True):
        paper.public = False
        paper.save()

    assert client.get(address).status_code == 404
    assert address not in text_of(client, search)
    assert address not in text_of(client, "/en" + search)
    for fmt in ("rss", "atom"):
        assert address not in text_of(client, f"/feeds/vorlagen.{fmt}")
    assert address not in text_of(client, "/sitemap.xml")


def test_an_agenda_item_made_non_public_leaves_search_feeds_and_page(
    client, leak_world, django_capture_on_commit_callbacks
):
    meeting = leak_world.council_meeting
    title = "Zeitkapsel im Lindenweg"
    with django_capture_on_commit_callbacks(execute=True):
        item = agenda_item_add(actor=leak_world.clerk, meeting=meeting, name=title)
    page = f"/sitzungen/{meeting_key(meeting)}/"
    search = "/suche/?q=Zeitkapsel"
    assert title in text_of(client, page)
    hit = f"#top-{item.pk}"
    assert hit in text_of(client, search)

    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_update(actor=leak_world.clerk, item=item, public=False)

    assert title not in text_of(client, page)
    assert title not in text_of(client, "/en" + page)
    for language in LANGUAGES:
        found = text_of(client, language + search)
        assert hit not in found
        assert "Lindenweg" not in found
    for feed in (
        f"/feeds/sitzung-{meeting_key(meeting)}.ics",
        "/feeds/sitzungen.ics",
        "/feeds/sitzungen.rss",
        "/feeds/sitzungen.atom",
    ):
        assert not contains_marker(text_of(client, feed), title), feed


# --- generated PDFs ----------------------------------------------------------

MEETING_PDFS = ("sitzungsmappe.pdf", "tagesordnung.pdf", "niederschrift.pdf")


def meeting_pdf(client, meeting, name: str, language: str = ""):
    return client.get(f"{language}/sitzungen/{meeting_key(meeting)}/{name}")


def member_pack_text(client, person, meeting) -> str:
    """The text of ``person``'s own copy of the member pack."""
    user = UserFactory()
    person.user = user
    person.save(update_fields=["user"])
    client.force_login(user)
    response = client.get(f"/mappe/{meeting.pk}/mitglieder.pdf")
    client.logout()
    assert response.status_code == 200, response.status_code
    return pdf_text(body_of(response))


def test_public_pdfs_carry_no_marker_but_the_member_pack_does(client, leak_world):
    w = leak_world
    fetched = {}
    for meeting in visibility.public_meetings(w.body):
        for name in MEETING_PDFS:
            for language in LANGUAGES:
                response = meeting_pdf(client, meeting, name, language)
                assert response.status_code in (200, 404), response.status_code
                if response.status_code == 200:
                    text = pdf_text(body_of(response))
                    assert not contains_marker(text, w.marker), (
                        f"{language}/sitzungen/{meeting_key(meeting)}/{name}"
                    )
                    fetched[meeting.pk, name] = text
    # the packs and documents that must exist were read
    for meeting in (w.held_meeting, w.council_meeting, w.later_meeting):
        assert (meeting.pk, "sitzungsmappe.pdf") in fetched, meeting
        assert (meeting.pk, "tagesordnung.pdf") in fetched, meeting
    assert (w.held_meeting.pk, "niederschrift.pdf") in fetched
    assert "Bebauungsplan" in fetched[w.council_meeting.pk, "sitzungsmappe.pdf"]
    # the non-public meetings have none
    for meeting in (w.closed_meeting, w.called_off):
        for name in MEETING_PDFS:
            assert meeting_pdf(client, meeting, name).status_code == 404

    # the same check finds the marker where it belongs
    assert contains_marker(
        member_pack_text(client, w.member, w.council_meeting), w.marker
    )
    assert SessionPack.objects.filter(
        meeting=w.later_meeting, audience=SessionPack.Audience.PUBLIC
    ).exists()


def test_an_item_made_non_public_leaves_the_public_pack(
    client, leak_world, django_capture_on_commit_callbacks
):
    w = leak_world
    meeting = w.council_meeting
    title = "Zeitkapsel im Lindenweg"
    with django_capture_on_commit_callbacks(execute=True):
        item = agenda_item_add(actor=w.clerk, meeting=meeting, name=title)
    pack = pdf_text(body_of(meeting_pdf(client, meeting, "sitzungsmappe.pdf")))
    assert title in pack

    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_update(actor=w.clerk, item=item, public=False)

    for name in ("sitzungsmappe.pdf", "tagesordnung.pdf"):
        response = meeting_pdf(client, meeting, name)
        assert response.status_code == 200, name
        text = pdf_text(body_of(response))
        assert not contains_marker(text, title), name
        assert not contains_marker(text, w.marker), name
    # rebuilt for members too: the item is now on a watermarked page
    assert title in member_pack_text(client, w.member, meeting)

"""The public portal in chromium, as an anonymous visitor: every page type in
German and English passes axe-core (WCAG 2.1 A/AA), has the right language,
one h1 and a skip link to the content; the main navigation is reachable by
keyboard with a visible focus; the meeting page works without JavaScript;
phones and tablets need no horizontal scrolling; the accessibility feedback
form keeps what was typed and says what is missing; nothing is loaded from
anywhere but the portal itself."""

import os
from pathlib import Path

import pytest
from django.utils.translation import get_supported_language_variant

from publicportal.links import PortalLinks, meeting_key, paper_key
from tests.browser.axe import axe_violations, describe
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (390, 844)
TABLET = (820, 1180)
DESKTOP = (1280, 900)
NO_RESULTS = "Xylophonkonzert"
#: What a page type must show, so the checks run on a page with content.
MUST_SHOW = {
    "meeting": ["Eröffnung der Sitzung", "Bebauungsplan Nr. 12 Am Mühlenbach"],
    "paper": ["Bebauungsplan Nr. 12 Am Mühlenbach", "Begründung"],
    "search": ["Mühlenbach"],
    "organization": ["Erika Mustermann"],
    "person": ["Bauausschuss"],
    "calendar-month": ["3. Sitzung des Bauausschusses"],
}


@pytest.fixture
def town(monkeypatch):
    clock = Clock(monkeypatch)
    return build_world(clock)


def portal_paths(world) -> dict[str, str]:
    """One address per page type (German; English is ``/en`` + address)."""
    links = PortalLinks(world.portal)

    def local(url: str) -> str:
        return "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url

    return {
        "home": "/",
        "calendar": "/sitzungen/",
        "calendar-month": "/sitzungen/?ansicht=monat&monat=2026-11",
        "meeting": f"/sitzungen/{meeting_key(world.held_meeting)}/",
        "paper": f"/vorlagen/{paper_key(world.public_paper)}/",
        "organizations": "/gremien/",
        "organization": local(links.organization(world.bau)),
        "persons": "/personen/",
        "person": local(links.person(world.chair)),
        "search": "/suche/?q=Bebauungsplan",
        "search-empty": f"/suche/?q={NO_RESULTS}",
        "subscribe": "/abonnieren/",
        "content": "/ueber-den-rat/",
        "feedback": "/barrierefreiheit/",
        "not-found": "/sitzungen/gibt-es-nicht/",
    }


def screenshot(page, name: str) -> None:
    """With GREMIEN_SCREENSHOTS=<folder> (``make screenshots``), keep a
    picture of the page for the documentation."""
    folder = os.environ.get("GREMIEN_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def foreign_requests(page, live_server) -> list[str]:
    return [
        url
        for url in page.requested
        if not url.startswith(live_server.url) and not url.startswith("data:")
    ]


def skip_link_problem(page) -> str:
    """'' if the first Tab lands on a skip link that moves focus to main."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    first = page.evaluate(
        """() => { const a = document.activeElement;
            return a ? {tag: a.tagName, href: a.getAttribute('href') || '',
                        text: a.textContent.trim()} : null; }"""
    )
    if not first or first["tag"] != "A" or not first["href"].startswith("#"):
        return f"first focusable element is not a skip link: {first}"
    page.keyboard.press("Enter")
    in_main = page.evaluate(
        """() => { const a = document.activeElement, m = document.querySelector('main');
            return !!m && (a === m || m.contains(a)); }"""
    )
    return "" if in_main else f"the skip link {first} does not move focus to main"


def nav_focus_problem(page) -> str:
    """'' if Tab reaches the main navigation's links with a visible outline."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(25):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const a = document.activeElement;
                const nav = a && a.closest('nav');
                if (!nav || nav.closest('footer') || !nav.querySelector('ul')
                    || nav.classList.contains('breadcrumbs')) return null;
                const style = getComputedStyle(a);
                return {text: a.textContent.trim(), outline: style.outlineStyle,
                        width: style.outlineWidth}; }"""
        )
        if state:
            if state["outline"] == "none" or state["width"] in ("0px", ""):
                return f"nav link {state['text']!r} has no visible focus: {state}"
            return ""
    return "Tab never reached the main navigation"


def check_page(page, live_server, path: str, language: str, expect: int) -> list[str]:
    """Load ``path`` and return what is wrong with it (empty if nothing)."""
    url = live_server.url + path
    response = page.goto(url)
    problems = []
    if response is None or response.status != expect:
        status = response.status if response else None
        return [f"{path}: status {status}, expected {expect}"]
    lang = page.evaluate("document.documentElement.lang")
    if get_supported_language_variant(lang or "x-none", strict=False) != language:
        problems.append(f"{path}: html lang={lang!r}, expected {language!r}")
    h1 = page.locator("h1").count()
    if h1 != 1:
        problems.append(f"{path}: {h1} h1 elements, expected exactly one")
    if problem := skip_link_problem(page):
        problems.append(f"{path}: {problem}")
    page.goto(url)
    violations = axe_violations(page)
    if violations:
        problems.append(describe(violations, path))
    return problems


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_is_accessible(public_page, live_server, town, language):
    prefix = "" if language == "de" else "/en"
    page = public_page(locale="de-DE" if language == "de" else "en-GB")
    problems = []
    for name, path in portal_paths(town).items():
        expect = 404 if name == "not-found" else 200
        problems += check_page(page, live_server, prefix + path, language, expect)
        shown = page.locator("main").inner_text() if expect == 200 else ""
        for text in MUST_SHOW.get(name, ()):
            if text not in shown:
                problems.append(f"{prefix}{path}: {text!r} is not shown")

    page.goto(live_server.url + prefix + "/")
    if problem := nav_focus_problem(page):
        problems.append(f"{prefix}/: {problem}")

    assert problems == [], "\n\n".join(problems)
    assert foreign_requests(page, live_server) == []


def test_the_meeting_page_works_without_javascript(public_page, live_server, town):
    page = public_page(javascript=False)
    path = f"/sitzungen/{meeting_key(town.held_meeting)}/"

    response = page.goto(live_server.url + path)

    assert response.status == 200
    agenda = page.locator("main")
    assert agenda.get_by_text("Eröffnung der Sitzung").count() >= 1
    assert agenda.get_by_text("Bebauungsplan Nr. 12 Am Mühlenbach").count() >= 1
    assert foreign_requests(page, live_server) == []


def test_the_feedback_form_says_what_is_missing_and_keeps_the_input(
    public_page, live_server, town
):
    page = public_page()
    page.goto(live_server.url + "/barrierefreiheit/")
    page.get_by_label("Ihr Name").fill("Petra Probe")
    page.get_by_label("Betroffene Seite (Adresse)").fill("/sitzungen/")

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    main = page.locator("main")
    # German, from Django's catalogue: "Dieses Feld muss ausgefüllt werden."
    assert "Dieses Feld" in main.locator(".error, .errorlist").first.inner_text()
    assert page.get_by_label("Ihr Name").input_value() == "Petra Probe"
    assert page.get_by_label("Betroffene Seite (Adresse)").input_value() == (
        "/sitzungen/"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations, "/barrierefreiheit/ (with errors)")
    assert foreign_requests(page, live_server) == []


SCROLL_PAGES = ("home", "calendar-month", "meeting", "paper")
SCREENSHOT_PAGES = (
    "home",
    "calendar-month",
    "meeting",
    "paper",
    "organization",
    "search",
)


def test_phones_and_tablets_need_no_horizontal_scrolling(
    public_page, live_server, town
):
    paths = portal_paths(town)
    too_wide = []
    for label, (width, height) in (
        ("phone", PHONE),
        ("tablet", TABLET),
        ("desktop", DESKTOP),
    ):
        page = public_page(width=width, height=height)
        for name in SCROLL_PAGES:
            page.goto(live_server.url + paths[name])
            sizes = page.evaluate(
                "({scroll: document.scrollingElement.scrollWidth,"
                " inner: window.innerWidth})"
            )
            if label != "desktop" and sizes["scroll"] > sizes["inner"]:
                too_wide.append(f"{label} {width}px: {paths[name]} {sizes}")
        if label in ("desktop", "tablet"):
            for name in SCREENSHOT_PAGES:
                page.goto(live_server.url + paths[name])
                screenshot(page, f"portal-{name.replace('-month', '')}-{label}")
        assert foreign_requests(page, live_server) == []

    assert too_wide == [], "horizontal scrolling:\n" + "\n".join(too_wide)

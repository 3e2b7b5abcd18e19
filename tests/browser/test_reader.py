"""The document reader on a tablet (820×1180), in chromium against the ASGI
server (as in production): a member opens a non-public PDF of his committee,
the text layer carries the document's text, he adds a note that survives a
reload, highlights a passage, changes and deletes notes, adds a note while
offline (shown as not yet synchronised) that reaches the server when the
tablet is back online; another member of the committee sees none of it.
axe-core finds no violations on the reader page."""

import time

import pytest
from playwright.sync_api import expect

from reader.models import Annotation
from tests.browser.tablet import (
    accessible,
    add_note,
    document_shown,
    open_tablet,
    sign_in,
    wait_until,
)
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.publicportal.world import build_world
from tests.sessions.agenda_factories import Clock
from tests.sessions.pack_world import user_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def town(asgi_server):
    """The portal tests' town, built at its own date; the server then runs
    on the real clock."""
    with pytest.MonkeyPatch.context() as patch:
        world = build_world(Clock(patch))
    return world, user_for(world.member), user_for(world.chair)


def tablet(browser, asgi_server, user, path):
    context, page = open_tablet(browser)
    sign_in(page, asgi_server.url, user.username, path)
    return context, page


def notes_list(page):
    return page.locator("[data-field=notes]")


def test_reading_and_annotating_on_a_tablet(browser, asgi_server, town):
    world, hans, erika = town
    path = f"/mitglieder/dokumente/{world.held_meeting.pk}/{world.secret_file.pk}/"
    context, page = tablet(browser, asgi_server, hans, path)
    document_shown(page, "Wertgutachten")

    add_note(page, "Wer hat das Gutachten beauftragt?")
    expect(notes_list(page)).to_contain_text("Wer hat das Gutachten beauftragt?")
    assert wait_until(
        lambda: Annotation.objects.filter(
            owner=hans, text="Wer hat das Gutachten beauftragt?"
        ).exists()
    )
    expect(page.locator(".mp-badge--pending")).to_have_count(0)

    page.reload()
    document_shown(page, "Wertgutachten")
    expect(notes_list(page)).to_contain_text("Wer hat das Gutachten beauftragt?")

    # Select the first words of the page and highlight them.
    page.evaluate(
        """() => {
            const span = document.querySelector('.rd-page .textLayer span');
            const range = document.createRange();
            range.selectNodeContents(span);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    page.locator("[data-action=highlight]").click()
    expect(page.locator(".rd-page .rd-mark").first).to_be_visible()
    assert wait_until(
        lambda: Annotation.objects.filter(owner=hans, kind="highlight").exists()
    )
    highlight = Annotation.objects.get(owner=hans, kind="highlight")
    assert "Wertgutachten" in highlight.quote
    assert all(0 <= v <= 1 for rect in highlight.rects for v in rect)

    # On the train: no connection.
    context.set_offline(True)
    add_note(page, "Offline notiert: Kaufpreis vergleichen")
    pending = notes_list(page).locator("li", has_text="Offline notiert")
    expect(pending.locator(".mp-badge--pending")).to_be_visible()
    time.sleep(1)
    assert not Annotation.objects.filter(text__startswith="Offline notiert").exists()

    context.set_offline(False)
    assert wait_until(
        lambda: Annotation.objects.filter(
            owner=hans, text="Offline notiert: Kaufpreis vergleichen"
        ).exists()
    )
    expect(pending.locator(".mp-badge--pending")).to_have_count(0)
    assert Annotation.objects.filter(owner=hans, deleted_at__isnull=True).count() == 3

    # Change a note, refuse an oversized one, delete one.
    first = notes_list(page).locator("li", has_text="Gutachten beauftragt")
    first.locator("[data-note-action=edit]").click()
    page.locator("[data-field=text]").fill("Wer hat das Gutachten bezahlt?")
    page.locator("[data-field=form] button[type=submit]").click()
    assert wait_until(
        lambda: Annotation.objects.filter(
            owner=hans, text="Wer hat das Gutachten bezahlt?", revision=2
        ).exists()
    )
    page.locator("[data-action=note]").click()
    page.locator("[data-field=text]").fill("x" * 10_001)
    page.locator("[data-field=form] button[type=submit]").click()
    expect(page.locator("[data-field=error]")).to_contain_text("10.000")
    expect(page.locator("[data-field=text]")).to_have_attribute("aria-invalid", "true")
    page.locator("[data-action=cancel]").click()
    page.once("dialog", lambda dialog: dialog.accept())
    notes_list(page).locator("li", has_text="Offline notiert").locator(
        "[data-note-action=delete]"
    ).click()
    assert wait_until(
        lambda: Annotation.objects.filter(owner=hans, deleted_at__isnull=False).exists()
    )
    expect(notes_list(page)).not_to_contain_text("Offline notiert")
    assert Annotation.objects.filter(owner=hans, deleted_at__isnull=True).count() == 2

    accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "member-reader")

    # Erika sits in the same committee: same document, none of Hans's notes.
    _, other = tablet(browser, asgi_server, erika, path)
    document_shown(other, "Wertgutachten")
    expect(notes_list(other).locator(".mp-empty")).to_be_visible()
    expect(notes_list(other)).not_to_contain_text("Gutachten bezahlt")
    expect(other.locator(".rd-mark")).to_have_count(0)
    listed = other.evaluate(
        "async (url) => (await (await fetch(url)).json()).annotations",
        f"/mitglieder/dokumente/api/{world.held_meeting.pk}/{world.secret_file.pk}/notizen/",
    )
    assert listed == []

    # Signing out on a shared tablet removes the notes from the device.
    page.evaluate(
        """async (src) => {
            const form = document.createElement('form');
            form.method = 'get';
            form.action = '/mitglieder/dokumente/export/';
            form.dataset.readerClear = '';
            form.innerHTML = '<button type=submit>Abmelden</button>';
            document.body.append(form);
            await import(src);
        }""",
        "/static/reader/logout.mjs",
    )
    names = "async () => (await indexedDB.databases()).map((d) => d.name)"
    assert f"gremien-reader-u{hans.pk}" in page.evaluate(names)
    with page.expect_navigation():
        page.locator("form[data-reader-clear] button").click()
    assert not [n for n in page.evaluate(names) if n.startswith("gremien-reader")]
    context.close()

"""Two members of a fraction draft a motion on their tablets (820×1180) in
chromium: the list, the form with its error summary, a save that meets a
colleague's newer text, the detail page with the signature. axe-core (WCAG
2.1 A/AA) finds nothing on any of them, and none scrolls sideways, neither
on the tablet nor at 320 px.
Screenshots ``member-motion.png`` and ``member-motion-conflict.png`` with
``GREMIEN_SCREENSHOTS``."""

import pytest
from playwright.sync_api import expect

from motions.models import Motion
from tests.browser.tablet import accessible, no_sideways_scrolling, signed_in_tablet
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fraction_members():
    body = BodyFactory(name="Gemeinde Seeheim", slug="seeheim")
    OrganizationFactory(body=body, name="Gemeinderat", kind="council")
    OrganizationFactory(body=body, name="Bauausschuss", kind="committee")
    fraction = OrganizationFactory(
        body=body, name="Fraktion Grüne Mitte", kind="fraction"
    )
    members = []
    for given, family in [("Anna", "Albers"), ("Bernd", "Brandt")]:
        user = UserFactory(username=given.lower())
        person = PersonFactory(
            body=body, given_name=given, family_name=family, user=user
        )
        MembershipFactory(person=person, organization=fraction)
        members.append(user)
    return members


@pytest.fixture
def tablet(browser, live_server):
    """``tablet(user)``: a page signed in as ``user`` (the session cookie of
    a test client's sign-in; the sign-in pages have tests of their own)."""
    contexts = []

    def open_page(user):
        context, page = signed_in_tablet(browser, live_server.url, user, timeout=15_000)
        # No favicon request either: one request at a time for the live
        # server on SQLite's shared in-memory database.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        contexts.append(context)
        page.base = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()


def save(page) -> None:
    """Submit the motion form and wait for the answer (one request at a
    time: the test database is SQLite's shared in-memory one)."""
    with page.expect_navigation():
        page.locator("form[data-motion-form] button[type=submit]").click()


def test_two_members_draft_and_sign_a_motion_on_tablets(tablet, fraction_members):
    anna, bernd = fraction_members
    page, other = tablet(anna), tablet(bernd)

    page.goto(page.base + "/mitglieder/antraege/")
    accessible(page)
    page.locator("a.mp-button[href$='/neu/']").click()
    page.wait_for_url("**/mitglieder/antraege/neu/")
    accessible(page)

    page.locator("#id_proposal").fill("Der Gemeinderat beschließt einen Radweg.")
    save(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_proposal")).to_have_value(
        "Der Gemeinderat beschließt einen Radweg."
    )
    accessible(page)

    page.locator("#id_title").fill("Radweg an der Seestraße")
    page.locator("#id_reasoning").fill("Der Schulweg ist gefährlich.")
    save(page)
    motion = Motion.objects.get()
    page.wait_for_url(f"**/mitglieder/antraege/{motion.pk}/")

    # Both open the form; Bernd saves first, then Anna meets his text.
    page.goto(page.base + f"/mitglieder/antraege/{motion.pk}/bearbeiten/")
    other.goto(other.base + f"/mitglieder/antraege/{motion.pk}/bearbeiten/")
    other.locator("#id_proposal").fill("Bernds Beschlussvorschlag.")
    save(other)
    page.locator("#id_proposal").fill("Annas Beschlussvorschlag.")
    save(page)
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_proposal")).to_have_value("Annas Beschlussvorschlag.")
    expect(page.locator(".mo-conflict textarea").first).to_have_value(
        "Bernds Beschlussvorschlag."
    )
    accessible(page)
    screenshot(page, "member-motion-conflict")
    page.locator("#id_proposal").fill("Annas und Bernds Beschlussvorschlag.")
    save(page)
    page.wait_for_url(f"**/mitglieder/antraege/{motion.pk}/")

    with page.expect_navigation():
        page.locator("form[action$='/mitzeichnen/'] button[value=sign]").click()
    expect(
        page.locator("form[action$='/mitzeichnen/'] button[value=unsign]")
    ).to_be_visible()
    accessible(page)
    screenshot(page, "member-motion")
    motion.refresh_from_db()
    assert motion.proposal == "Annas und Bernds Beschlussvorschlag."
    assert motion.revision == 3
    assert motion.signatures.get().revision == 3

    page.goto(page.base + f"/mitglieder/antraege/{motion.pk}/einreichen/")
    accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    motion.refresh_from_db()
    assert motion.state == Motion.State.SUBMITTED
    expect(page.locator("main")).to_contain_text(motion.paper.reference)
    accessible(page)
    page.goto(page.base + f"/mitglieder/antraege/{motion.pk}/zurueckziehen/")
    accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})  # reflow (WCAG 1.4.10)
    for path in ("", "neu/", f"{motion.pk}/"):
        page.goto(page.base + "/mitglieder/antraege/" + path)
        assert no_sideways_scrolling(page), (
            f"horizontal scrolling at 320 px on {page.url}"
        )

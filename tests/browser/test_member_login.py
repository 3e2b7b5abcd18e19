"""Signing in on a tablet in chromium: password, a wrong code with its German
message, the right code, the security page; setting the app up where a body
requires it. axe-core (WCAG 2.1 A/AA) finds nothing on any of these pages,
which need no horizontal scrolling at the tablet's width. Screenshots for
the documentation with ``GREMIEN_SCREENSHOTS``."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, code_for, member, with_app, wrong_code
from tests.browser.tablet import accessible, open_tablet
from tests.browser.test_sitzungsdienst_path import screenshot
from tests.gremien.factories import BodyFactory
from tests.sessions.agenda_factories import Clock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tablet(browser):
    contexts = []

    def open_page():
        context, page = open_tablet(browser, timeout=15_000)
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()


def enter_password(page, username: str) -> None:
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_member_signs_in_with_password_and_app_on_a_tablet(
    tablet, live_server, monkeypatch
):
    clock = Clock(monkeypatch)
    user = member(body=BodyFactory(name="Gemeinde Seeheim"), username="anna")
    device = with_app(user)
    page = tablet()

    page.goto(f"{live_server.url}/konto/anmelden/?next=/konto/sicherheit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    accessible(page)
    screenshot(page, "member-login")

    enter_password(page, "anna")
    page.wait_for_url(re.compile(r"/konto/anmelden/code/$"))
    code = page.get_by_label("Sechsstelliger Code")
    expect(code).to_be_focused()
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    accessible(page)
    screenshot(page, "member-login-code")

    code.fill(wrong_code(device))
    page.get_by_role("button", name="Bestätigen und anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Der Code ist falsch oder abgelaufen"
    )
    expect(code).to_have_attribute("aria-invalid", "true")
    accessible(page)

    clock.advance(seconds=2)  # django-otp makes the next try wait a second
    page.get_by_label("Sechsstelliger Code").fill(code_for(device))
    page.get_by_role("button", name="Bestätigen und anmelden").click()
    page.wait_for_url(re.compile(r"/konto/sicherheit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Anmeldung und Sicherheit"
    )
    expect(page.get_by_role("table")).to_contain_text("Passwort und Authenticator-App")
    accessible(page)
    screenshot(page, "member-security")

    page.get_by_role("button", name="Abmelden", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/anmelden/$"))
    expect(page.get_by_role("status")).to_contain_text("Sie wurden abgemeldet.")


def test_a_member_of_a_strict_body_sets_up_the_app_on_a_tablet(tablet, live_server):
    strict = BodyFactory(name="Stadt Strengburg", require_two_factor=True)
    user = member(body=strict, username="bernd")
    page = tablet()

    page.goto(f"{live_server.url}/konto/anmelden/")
    enter_password(page, "bernd")
    page.wait_for_url(re.compile(r"/konto/anmelden/einrichten/$"))
    expect(page.get_by_role("img", name=re.compile("QR-Code"))).to_be_visible()
    accessible(page)
    screenshot(page, "member-login-setup")

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Sechsstelliger Code").fill(code_for(device))
    page.get_by_role("button", name="Bestätigen und anmelden").click()
    page.wait_for_url(re.compile(r"/mitglieder/$"))
    expect(page.locator(".mp-messages")).to_contain_text(
        "Ihre Authenticator-App ist eingerichtet"
    )
    accessible(page)

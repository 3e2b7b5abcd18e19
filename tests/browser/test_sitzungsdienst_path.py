"""The Sitzungsdienst's whole path in the admin, clicked through in chromium:
paper, sign-off, consultation path through two committees to the council,
three agendas, invitations, attendance, results, signed and published minutes."""

import datetime
import os
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from documents.models import Paper
from gremien.models import Organization
from sessions.models import Meeting
from sessions.services.lifecycle import meeting_create
from tests.gremien.factories import BodyFactory, MembershipFactory, staff_of
from tests.sessions.agenda_factories import Clock, committee

pytestmark = pytest.mark.django_db(transaction=True)


def screenshot(page, name: str) -> None:
    """With GREMIEN_SCREENSHOTS=<folder> (``make screenshots``), keep a picture
    of the screen for the documentation."""
    folder = os.environ.get("GREMIEN_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def click_action(page, value: str, scope=None) -> None:
    (scope or page).locator(f"button[name=action][value={value}]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def town(monkeypatch, settings):
    clock = Clock(monkeypatch)
    # The clock jumps weeks ahead between meetings; sessions must outlive it
    # (their absolute and their idle limit).
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    settings.GREMIEN_SESSION_IDLE_MINUTES = 365 * 24 * 60
    body = BodyFactory(name="Stadt Lindenfeld", slug="lindenfeld")
    committees = [
        committee(body, "Bauausschuss"),
        committee(body, "Haupt- und Finanzausschuss"),
        committee(body, "Rat der Stadt", kind=Organization.Kind.COUNCIL),
    ]
    committee(body, "Kämmerei", kind=Organization.Kind.DEPARTMENT)
    for organization in committees:
        member = MembershipFactory(organization=organization)
        member.person.email = [f"{member.person.given_name.lower()}@example.org"]
        member.person.save(update_fields=["email"])
    clerk, chair = staff_of(body), staff_of(body)
    meetings = [
        meeting_create(
            actor=clerk,
            body=body,
            organizations=[organization],
            name=f"Sitzung {organization.name}",
            start=timezone.now() + datetime.timedelta(days=10 + 14 * index),
        )
        for index, organization in enumerate(committees)
    ]
    return clock, body, committees, meetings, clerk, chair


def test_a_paper_goes_from_draft_to_published_minutes(new_page, live_server, town):
    clock, body, committees, meetings, clerk, chair = town
    page = new_page(clerk.username)

    # A new paper, through the admin's create form.
    page.goto(f"{live_server.url}/admin/papers/new/")
    page.select_option("select[name=body]", str(body.pk))
    page.fill("input[name=name]", "Neubau der Feuerwache Nord")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.locator("button.button-longrunning").first.click()
    page.wait_for_load_state()
    paper = Paper.objects.get(name="Neubau der Feuerwache Nord")
    assert paper.reference.endswith("/0001")

    # Sign-off by the Kämmerei, then the consultation path.
    workflow = f"{live_server.url}/admin/papers/{paper.pk}/workflow/"
    page.goto(workflow)
    page.get_by_label("Kämmerei").check()
    click_action(page, "request_sign_off")
    click_action(page, "approve")
    for organization, role in zip(
        committees, ["preliminary", "preliminary", "deciding"], strict=True
    ):
        page.get_by_label(organization.name, exact=True).check()
        page.select_option("select[name=role]", role)
        click_action(page, "add_step")
    paper.refresh_from_db()
    assert paper.state == Paper.State.RELEASED

    for step, (meeting, result) in enumerate(
        zip(meetings, ["recommended", "recommended", "accepted"], strict=True), 1
    ):
        # Schedule the step, look at the agenda, invite.
        page.goto(workflow)
        row = page.locator("tr", has_text=meeting.name).or_(
            page.locator("tr", has=page.locator(f"option[value='{meeting.pk}']"))
        )
        click_action(page, "schedule", scope=row.first)
        page.goto(f"{live_server.url}/admin/meetings/{meeting.pk}/agenda/")
        page.locator("input[name=name]").fill("Mitteilungen der Verwaltung")
        click_action(page, "add_free")
        assert "Neubau der Feuerwache Nord" in page.content()
        screenshot(page, "agenda-builder")
        page.goto(f"{live_server.url}/admin/meetings/{meeting.pk}/status/")
        click_action(page, "invite")
        assert "example.org" in page.content()  # the delivery log

        # The meeting day: open, close, write the minutes.
        clock.set(meeting.start)
        page.reload()
        click_action(page, "start")
        click_action(page, "end")
        page.goto(f"{live_server.url}/admin/meetings/{meeting.pk}/minutes/")
        click_action(page, "open")
        page.locator("select[name=status]").first.select_option("present")
        click_action(page, "attendance")
        item = page.locator("form", has=page.locator("select[name=result]"))
        item.locator("textarea[name=discussion]").fill(f"Beratung Nr. {step}.")
        item.locator("textarea[name=resolution_text]").fill(
            "Der Neubau wird befürwortet."
        )
        item.locator("input[name=votes_yes]").fill("9")
        item.locator("input[name=votes_no]").fill("2")
        item.locator("select[name=result]").select_option(result)
        item.locator("input[name=done]").check()
        click_action(page, "item", scope=item)
        others = page.locator("form", has=page.locator("textarea[name=discussion]"))
        for index in range(others.count()):
            form = others.nth(index)
            if not form.locator("input[name=done]").is_checked():
                form.locator("input[name=done]").check()
                click_action(page, "item", scope=form)
        screenshot(page, "minutes-editor")
        click_action(page, "drafted")
        click_action(page, "sign")  # the first signature button is the chair's
        clerk_page = new_page(chair.username)
        clerk_page.goto(f"{live_server.url}/admin/meetings/{meeting.pk}/minutes/")
        click_action(clerk_page, "sign")
        click_action(clerk_page, "publish")
        clerk_page.context.close()

        meeting.refresh_from_db()
        assert meeting.state == Meeting.State.PUBLISHED, meeting.name
        clock.set(meeting.start + datetime.timedelta(days=1))

    paper.refresh_from_db()
    assert paper.state == Paper.State.DECIDED
    assert len(mail.outbox) == 3  # one invitation per committee member
    council_step = paper.consultations.get(authoritative=True)
    assert "befürwortet" in council_step.recommendation

"""Co-signing and submitting: the signatures count for the text that was
signed, the submission creates the paper for the council office (a public
draft with the fraction and the signers as originators) and mails the office
and the signers; the motion is read-only from then on and can be withdrawn
until the office releases it."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from documents.models import Paper
from documents.services import paper_release
from motions.models import Motion
from motions.services import motion_sign, motion_submit, motion_update
from tests.motions.helpers import (
    PROPOSAL,
    REASONING,
    draft,
    form_data,
    signed_draft,
    url,
)

pytestmark = pytest.mark.django_db


def test_colleagues_sign_and_a_change_asks_for_new_signatures(town):
    hans, petra = town.hans, town.petra
    motion = draft(hans, town.fraction)

    hans.client.post(url("motions_sign", motion), {"revision": "1"})
    petra.client.post(url("motions_sign", motion), {"revision": "1"})
    page = hans.client.get(url("motions_detail", motion)).content.decode()
    assert "Hans Beispiel" in page and "Petra Kollegin" in page
    assert "Sie haben diese Fassung mitgezeichnet." in page
    assert motion.signatures.filter(revision=1).count() == 2

    hans.client.post(
        url("motions_edit", motion),
        form_data(motion, reasoning="Begründung, ergänzt."),
    )
    page = petra.client.get(url("motions_detail", motion)).content.decode()
    assert "Eine frühere Fassung mitgezeichnet" in page
    assert "Erneut mitzeichnen (Version 2)" in page

    stale = petra.client.post(
        url("motions_sign", motion), {"revision": "1"}, follow=True
    )
    assert (
        "Der Text wurde geändert, seit Sie ihn gelesen haben" in stale.content.decode()
    )
    assert motion.signatures.get(person=petra.person).revision == 1

    petra.client.post(url("motions_sign", motion), {"revision": "2"})
    assert motion.signatures.get(person=petra.person).revision == 2
    hans.client.post(url("motions_sign", motion), {"action": "unsign"})
    assert not motion.signatures.filter(person=hans.person).exists()


def test_submitting_without_proposal_or_signature_is_refused_in_german(town):
    motion = draft(town.hans, town.fraction, proposal="")

    page = town.hans.client.get(url("motions_submit", motion))
    response = town.hans.client.post(url("motions_submit", motion), {"revision": "1"})

    text = response.content.decode()
    assert "Noch nicht mitgezeichnet" not in text
    assert "Der Beschlussvorschlag ist leer" in page.content.decode()
    assert response.status_code == 400
    assert "Der Antrag wurde nicht eingereicht" in text
    assert "Der Beschlussvorschlag ist leer" in text
    assert "Bisher hat niemand den aktuellen Text mitgezeichnet." in text
    motion.refresh_from_db()
    assert motion.state == Motion.State.DRAFT
    assert not Paper.objects.filter(name=motion.title).exists()


def test_submit_creates_the_paper_for_the_council_office(
    town, django_capture_on_commit_callbacks
):
    hans, petra = town.hans, town.petra
    motion = draft(
        hans,
        town.fraction,
        paper_type="Anfrage",
        title="Anfrage zur Schulwegsicherheit",
        addressed_to=town.world.council,
        proposal="1. Wie viele Unfälle gab es?\n2. Was kostet <b>eine Ampel</b>?",
        reasoning=REASONING,
    )
    for member in (hans, petra):
        motion_sign(actor=member.user, motion=motion, revision=1)
    last_reference = Paper.objects.order_by("-reference_number").first().reference

    with django_capture_on_commit_callbacks(execute=True):
        response = petra.client.post(url("motions_submit", motion), {"revision": "1"})

    assert response.status_code == 302
    motion.refresh_from_db()
    paper = motion.paper
    assert motion.state == Motion.State.SUBMITTED
    assert motion.submitted_by == petra.user
    assert paper.paper_type == "Anfrage"
    assert paper.name == "Anfrage zur Schulwegsicherheit"
    assert paper.body == town.world.body
    assert paper.date == dt.date(2026, 11, 13)
    assert paper.reference == "VO/2026/0004" != last_reference
    assert paper.state == Paper.State.DRAFT  # the office checks and releases it
    assert paper.public is True
    assert paper.released_at is None
    assert paper.proposal == (
        "<p>1. Wie viele Unfälle gab es?<br/>"
        "2. Was kostet &lt;b&gt;eine Ampel&lt;/b&gt;?</p>"
    )
    assert paper.facts == f"<p>{REASONING}</p>"
    assert list(paper.originator_organizations.all()) == [town.fraction]
    assert set(paper.originator_persons.all()) == {hans.person, petra.person}
    entry = ModelLogEntry.objects.get_for_model(Paper).get(
        object_id=str(paper.pk), action="wagtail.create"
    )
    assert entry.user == petra.user
    assert entry.data["received"] is True

    page = hans.client.get(url("motions_detail", motion)).content.decode()
    assert "VO/2026/0004" in page
    assert "Eingereicht, wird von der Verwaltung geprüft" in page


def test_the_office_and_the_signers_are_mailed(
    town, django_capture_on_commit_callbacks
):
    hans, petra = town.hans, town.petra
    motion = signed_draft(town, hans, petra)
    office = sorted([town.world.clerk.email, *_other_staff_emails(town)])

    with django_capture_on_commit_callbacks(execute=True):
        motion_submit(actor=hans.user, motion=motion, revision=motion.revision)

    motion.refresh_from_db()
    to_office = [m for m in mail.outbox if m.to[0] in office]
    assert sorted(m.to[0] for m in to_office) == office
    notice = to_office[0]
    assert notice.subject == "Neuer Antrag der Fraktion Bürgerliste eingegangen"
    workflow = reverse("papers_workflow", args=[motion.paper.pk])
    assert f"http://127.0.0.1:8000{workflow}" in notice.body
    assert "VO/2026/0004" in notice.body
    assert "Hans Beispiel, Petra Kollegin" in notice.body
    receipts = [m for m in mail.outbox if m not in to_office]
    assert sorted(m.to[0] for m in receipts) == sorted(
        [town.world.member.email[0], "petra.kollegin@example.org"]
    )
    assert receipts[0].subject == f"Eingangsbestätigung: VO/2026/0004 {motion.title}"
    assert reverse("motions_detail", args=[motion.pk]) in receipts[0].body


def _other_staff_emails(town):
    """The world has a second Sitzungsdienst user (the chair's login)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(staff_access__body=town.world.body)
    return [u.email for u in users if u != town.world.clerk]


def test_the_body_contact_address_replaces_the_staff_list(
    town, django_capture_on_commit_callbacks
):
    body = town.world.body
    body.contact_email = "ratsbuero@neuhausen.example"
    body.save()
    motion = signed_draft(town, town.hans)

    with django_capture_on_commit_callbacks(execute=True):
        motion_submit(actor=town.hans.user, motion=motion, revision=motion.revision)

    office = [m for m in mail.outbox if "eingegangen" in m.subject]
    assert [m.to for m in office] == [["ratsbuero@neuhausen.example"]]


def test_a_submitted_motion_is_read_only(town):
    hans = town.hans
    motion = signed_draft(town, hans)
    motion_submit(actor=hans.user, motion=motion, revision=motion.revision)

    edit = hans.client.get(url("motions_edit", motion), follow=True)
    post = hans.client.post(
        url("motions_edit", motion), form_data(motion, title="Geändert"), follow=True
    )

    assert edit.redirect_chain[-1][0] == url("motions_detail", motion)
    assert "kann nicht mehr geändert werden" in edit.content.decode()
    assert post.redirect_chain
    motion.refresh_from_db()
    assert motion.title == "Sicherer Schulweg am Mühlenbach"
    assert motion.paper.name == "Sicherer Schulweg am Mühlenbach"
    with pytest.raises(ValidationError) as refused:
        motion_update(
            actor=hans.user,
            motion=motion,
            base_revision=motion.revision,
            paper_type="Antrag",
            title="Geändert",
        )
    assert refused.value.code == "motion_submitted"
    with pytest.raises(ValidationError):
        motion_sign(actor=town.petra.user, motion=motion, revision=motion.revision)
    with pytest.raises(ValidationError):
        motion_submit(actor=hans.user, motion=motion, revision=motion.revision)
    assert Paper.objects.filter(name=motion.title).count() == 1
    page = hans.client.get(url("motions_detail", motion)).content.decode()
    assert url("motions_edit", motion) not in page


def test_submission_of_a_text_changed_since_it_was_confirmed_is_refused(town):
    motion = signed_draft(town, town.hans)
    confirmed = motion.revision
    town.petra.client.post(
        url("motions_edit", motion), form_data(motion, proposal=PROPOSAL + "\n\nNeu.")
    )

    with pytest.raises(ValidationError) as refused:
        motion_submit(actor=town.hans.user, motion=motion, revision=confirmed)

    assert refused.value.code == "text_changed"
    motion.refresh_from_db()
    assert motion.paper is None


def test_withdrawal_before_the_release_and_not_after(
    town, django_capture_on_commit_callbacks
):
    hans = town.hans
    motion = signed_draft(town, hans)
    motion_submit(actor=hans.user, motion=motion, revision=motion.revision)
    mail.outbox.clear()

    empty = hans.client.post(url("motions_withdraw", motion), {"reason": ""})
    assert empty.status_code == 400
    assert (
        "Geben Sie an, warum die Vorlage zurückgezogen wird" in empty.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        hans.client.post(
            url("motions_withdraw", motion), {"reason": "Hat sich erledigt."}
        )

    motion.refresh_from_db()
    motion.paper.refresh_from_db()
    assert motion.state == Motion.State.WITHDRAWN
    assert motion.paper.state == Paper.State.WITHDRAWN
    assert any(
        "zieht" in m.subject and "Hat sich erledigt." in m.body for m in mail.outbox
    )

    released = signed_draft(town, hans, title="Zweiter Antrag")
    motion_submit(actor=hans.user, motion=released, revision=released.revision)
    paper_release(actor=town.world.clerk, paper=released.paper)
    response = hans.client.post(
        url("motions_withdraw", released), {"reason": "Doch nicht."}
    )
    assert response.status_code == 400
    assert "bitten Sie die Verwaltung" in response.content.decode()
    released.paper.refresh_from_db()
    assert released.paper.state == Paper.State.RELEASED


def test_discarding_a_draft(town):
    motion = draft(town.hans, town.fraction)
    town.petra.client.post(url("motions_withdraw", motion), {"reason": ""})
    motion.refresh_from_db()
    assert motion.state == Motion.State.WITHDRAWN
    assert motion.paper is None
    page = town.hans.client.get(url("motions_detail", motion)).content.decode()
    assert "Entwurf verworfen" in page

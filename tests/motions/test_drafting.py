"""Two colleagues of the Fraktion Bürgerliste write a motion together: every
save is a version, a save based on an old version never overwrites the
colleague's text unseen, and nothing either of them typed is lost."""

import html

import pytest

from motions.models import Motion
from tests.motions.helpers import PROPOSAL, draft, form_data, url

pytestmark = pytest.mark.django_db


def test_two_colleagues_draft_a_motion_together(town, clock):
    hans, petra = town.hans, town.petra

    response = hans.client.post(
        url("motions_create"),
        {
            "paper_type": "Antrag",
            "title": "  Sicherer   Schulweg am Mühlenbach ",
            "addressed_to": town.world.bau.pk,
            "proposal": PROPOSAL,
            "reasoning": "",
        },
    )

    motion = Motion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("motions_detail", motion)
    assert motion.title == "Sicherer Schulweg am Mühlenbach"
    assert motion.fraction == town.fraction
    assert motion.addressed_to == town.world.bau
    assert motion.created_by == hans.user
    assert motion.state == Motion.State.DRAFT

    clock.advance(minutes=20)
    page = petra.client.get(url("motions_edit", motion))
    assert page.status_code == 200
    assert "Sicherer Schulweg am Mühlenbach" in page.content.decode()
    response = petra.client.post(
        url("motions_edit", motion),
        form_data(motion, reasoning="Viele Kinder queren dort die Hauptstraße."),
    )
    assert response.status_code == 302

    motion.refresh_from_db()
    assert motion.revision == 2
    assert motion.reasoning == "Viele Kinder queren dort die Hauptstraße."
    assert motion.proposal == PROPOSAL
    history = hans.client.get(url("motions_detail", motion)).content.decode()
    assert "Version 2" in history
    assert "Petra Kollegin" in history
    assert "Geändert: Begründung" in history
    versions = list(motion.versions.order_by("revision"))
    assert [(v.revision, v.saved_by) for v in versions] == [
        (1, hans.user),
        (2, petra.user),
    ]
    assert versions[0].reasoning == ""  # the earlier text is kept


def test_a_save_based_on_an_old_version_is_refused_and_nothing_is_lost(town):
    hans, petra = town.hans, town.petra
    motion = draft(hans, town.fraction)
    seen_by_hans = form_data(motion)  # Hans opens the form at version 1 ...
    petra.client.post(  # ... Petra saves first
        url("motions_edit", motion),
        form_data(motion, proposal="Petras Fassung des Beschlussvorschlags."),
    )

    response = hans.client.post(
        url("motions_edit", motion),
        seen_by_hans | {"proposal": "Hans' Fassung des Beschlussvorschlags."},
    )

    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Petra Kollegin hat inzwischen eine neuere Fassung gespeichert" in page
    assert "Sie haben beide geändert: " in page
    assert "Petras Fassung des Beschlussvorschlags." in page  # shown next to ...
    assert "Hans' Fassung des Beschlussvorschlags." in page  # ... his own text
    assert 'name="revision" value="2"' in page  # his next save builds on hers
    motion.refresh_from_db()
    assert motion.revision == 2
    assert motion.proposal == "Petras Fassung des Beschlussvorschlags."

    merged = "Petras Fassung, ergänzt um Hans' Satz."
    response = hans.client.post(
        url("motions_edit", motion), form_data(motion, proposal=merged)
    )
    assert response.status_code == 302
    motion.refresh_from_db()
    assert (motion.revision, motion.proposal) == (3, merged)
    texts = list(
        motion.versions.order_by("revision").values_list("proposal", flat=True)
    )
    assert texts == [PROPOSAL, "Petras Fassung des Beschlussvorschlags.", merged]


def test_changes_to_different_parts_are_merged(town):
    hans, petra = town.hans, town.petra
    motion = draft(hans, town.fraction)
    seen_by_hans = form_data(motion)
    petra.client.post(
        url("motions_edit", motion),
        form_data(motion, reasoning="Petras neue Begründung."),
    )

    response = hans.client.post(
        url("motions_edit", motion),
        seen_by_hans | {"title": "Sicherer Schulweg an der Grundschule"},
        follow=True,
    )

    motion.refresh_from_db()
    assert motion.title == "Sicherer Schulweg an der Grundschule"
    assert motion.reasoning == "Petras neue Begründung."
    assert motion.revision == 3
    assert motion.versions.get(revision=3).merged_from == 2
    assert "beide Änderungen sind erhalten" in response.content.decode()


def test_in_a_conflict_the_colleagues_other_changes_are_taken_into_the_form(town):
    """Both changed the proposal; only Petra changed the reasoning. Hans's
    form keeps his proposal and takes over her reasoning, so saving it
    again does not undo her change."""
    hans, petra = town.hans, town.petra
    motion = draft(hans, town.fraction)
    seen_by_hans = form_data(motion)
    petra.client.post(
        url("motions_edit", motion),
        form_data(motion, proposal="Petras Vorschlag.", reasoning="Petras Grund."),
    )

    response = hans.client.post(
        url("motions_edit", motion), seen_by_hans | {"proposal": "Hans' Vorschlag."}
    )

    form = response.context["form"]
    assert form["proposal"].value() == "Hans' Vorschlag."
    assert form["reasoning"].value() == "Petras Grund."
    hans.client.post(url("motions_edit", motion), dict(form.data.items()))
    motion.refresh_from_db()
    assert (motion.proposal, motion.reasoning) == ("Hans' Vorschlag.", "Petras Grund.")


def test_saving_an_unchanged_text_makes_no_version(town):
    motion = draft(town.hans, town.fraction)
    response = town.petra.client.post(
        url("motions_edit", motion), form_data(motion), follow=True
    )
    motion.refresh_from_db()
    assert motion.revision == 1
    assert "nichts gespeichert" in response.content.decode()


def test_a_title_is_required_and_the_form_says_so_in_german(town):
    response = town.hans.client.post(
        url("motions_create"),
        {"paper_type": "Antrag", "title": "   ", "proposal": "Mein langer Text."},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert "Bitte geben Sie einen Titel ein." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_title_error"' in page
    assert "Mein langer Text." in page  # the text stays in the form
    assert not Motion.objects.exists()


def test_only_councils_and_committees_of_the_body_can_be_addressed(town):
    from django.core.exceptions import ValidationError

    from tests.gremien.factories import OrganizationFactory

    elsewhere = OrganizationFactory(name="Kreistag", kind="council")
    with pytest.raises(ValidationError) as refused:
        draft(town.hans, town.fraction, addressed_to=elsewhere)
    assert refused.value.error_dict["addressed_to"][0].code == "not_addressable"
    with pytest.raises(ValidationError):
        draft(town.hans, town.fraction, addressed_to=town.world.department)


def test_comments_of_colleagues(town):
    motion = draft(town.hans, town.fraction)

    town.petra.client.post(
        url("motions_comment", motion),
        {"text": "Sollten wir die Kita erwähnen?"},
    )
    empty = town.petra.client.post(url("motions_comment", motion), {"text": " "})

    page = town.hans.client.get(url("motions_detail", motion)).content.decode()
    assert "Sollten wir die Kita erwähnen?" in page
    assert "Petra Kollegin" in page
    assert empty.status_code == 400
    assert "Bitte schreiben Sie einen Kommentar." in empty.content.decode()
    assert motion.comments.count() == 1

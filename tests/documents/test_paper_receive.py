"""Papers brought in by council members (``paper_receive``, ``paper_recall``):
a draft with the next reference number and its originators, recorded in the
audit log under the submitting member; withdrawn on their request only until
the office releases it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from documents.models import Paper, PaperType
from documents.services import paper_recall, paper_receive, paper_release
from tests.gremien.factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def receive(body, member, **fields):
    fraction = OrganizationFactory(body=body, kind="fraction")
    return paper_receive(
        submitted_by=member,
        body=body,
        name="Antrag auf Tempo 30",
        paper_type=fields.pop("paper_type", PaperType.MOTION),
        date=datetime.date(2026, 11, 22),
        proposal="<p>Der Rat beschließt Tempo 30.</p>",
        originator_organizations=[fraction],
        originator_persons=[PersonFactory(body=body)],
        **fields,
    )


def test_a_received_paper_is_a_draft_with_reference_and_originators():
    body, member = BodyFactory(), UserFactory()

    paper = receive(body, member)

    assert paper.state == Paper.State.DRAFT
    assert paper.reference == "VO/2026/0001"
    assert paper.originator_organizations.count() == 1
    assert paper.originator_persons.count() == 1
    entry = ModelLogEntry.objects.get_for_model(Paper).get(object_id=str(paper.pk))
    assert (entry.action, entry.user, entry.data["received"]) == (
        "wagtail.create",
        member,
        True,
    )


def test_only_motions_amendments_and_inquiries_are_received():
    with pytest.raises(ValidationError) as refused:
        receive(
            BodyFactory(),
            UserFactory(),
            paper_type=PaperType.RESOLUTION_PROPOSAL,
        )
    assert refused.value.error_dict["paper_type"][0].code == "paper_type_not_receivable"
    assert not Paper.objects.exists()


def test_recall_until_the_release():
    body, member = BodyFactory(), UserFactory()
    paper = receive(body, member)
    with pytest.raises(ValidationError):
        paper_recall(requested_by=member, paper=paper, reason=" ")

    paper_recall(requested_by=member, paper=paper, reason="Erledigt")
    assert paper.state == Paper.State.WITHDRAWN

    released = paper_release(actor=None, paper=receive(body, member))
    with pytest.raises(ValidationError) as refused:
        paper_recall(requested_by=member, paper=released, reason="Doch nicht")
    assert refused.value.code == "paper_not_draft"
    released.refresh_from_db()
    assert released.state == Paper.State.RELEASED

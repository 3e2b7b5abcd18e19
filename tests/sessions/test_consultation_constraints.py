import datetime

import pytest
from django.core.exceptions import ValidationError

from documents.services import paper_create
from sessions.models import AgendaItem, Consultation, Meeting
from tests.gremien.factories import BodyFactory, OrganizationFactory

START = datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC)


def meeting_of(body, **kwargs):
    meeting = Meeting.objects.create(
        body=body, name="Ratssitzung", start=START, **kwargs
    )
    meeting.organizations.add(OrganizationFactory(body=body))
    return meeting


@pytest.mark.django_db
def test_consultation_in_another_bodys_meeting_is_rejected():
    kreis, stadt = BodyFactory(), BodyFactory()
    paper = paper_create(
        actor=None, body=kreis, name="Kreisstraße K 12", date=START.date()
    )
    foreign_meeting = meeting_of(stadt)

    consultation = Consultation(
        paper=paper,
        position=1,
        role=Consultation.Role.DECIDING,
        meeting=foreign_meeting,
    )
    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert exc.value.message_dict["meeting"] == [
        "Die Sitzung gehört zu einer anderen Körperschaft als die Vorlage."
    ]


@pytest.mark.django_db
def test_consultation_agenda_item_must_belong_to_its_meeting():
    body = BodyFactory()
    paper = paper_create(actor=None, body=body, name="Radweg", date=START.date())
    first, second = meeting_of(body), meeting_of(body)
    item = AgendaItem.objects.create(
        meeting=second, order=1, number="Ö 1", name="Radweg"
    )

    consultation = Consultation(
        paper=paper,
        position=1,
        role=Consultation.Role.PRELIMINARY,
        meeting=first,
        agenda_item=item,
    )
    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()
    assert "agenda_item" in exc.value.message_dict


@pytest.mark.django_db
def test_meeting_ending_before_it_starts_is_rejected():
    meeting = Meeting(
        body=BodyFactory(),
        name="Rat",
        start=START,
        end=START - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    assert "Das Ende darf nicht vor dem Beginn liegen." in exc.value.messages


@pytest.mark.django_db
def test_two_agenda_items_cannot_share_a_position():
    meeting = meeting_of(BodyFactory())
    AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Eröffnung")
    duplicate = AgendaItem(meeting=meeting, order=1, number="Ö 2", name="Mitteilungen")

    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.messages == [
        "Zwei Tagesordnungspunkte können nicht dieselbe Position haben."
    ]

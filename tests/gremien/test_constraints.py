import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gremien.models import LegislativeTerm, Membership, Organization
from gremien.services import object_soft_delete
from sessions.models import Meeting
from tests.gremien.factories import (
    BodyFactory,
    LegislativeTermFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

END_BEFORE_START = "Das Ende darf nicht vor dem Beginn liegen."


@pytest.mark.django_db
def test_term_ending_before_it_starts_is_rejected_by_validation_and_database():
    term = LegislativeTermFactory.build(
        body=BodyFactory(),
        start_date=datetime.date(2026, 11, 1),
        end_date=datetime.date(2021, 10, 31),
    )

    with pytest.raises(ValidationError) as exc:
        term.full_clean()
    assert END_BEFORE_START in exc.value.messages

    with pytest.raises(IntegrityError), transaction.atomic():
        term.save()
    assert LegislativeTerm.objects.count() == 0


@pytest.mark.django_db
def test_organization_ending_before_it_starts_is_rejected():
    org = OrganizationFactory.build(
        body=BodyFactory(),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert END_BEFORE_START in exc.value.messages


@pytest.mark.django_db
def test_membership_must_lie_within_the_organizations_lifetime():
    org = OrganizationFactory(
        start_date=datetime.date(2021, 11, 1), end_date=datetime.date(2026, 10, 31)
    )
    membership = MembershipFactory.build(
        organization=org,
        person=PersonFactory(body=org.body),
        start_date=datetime.date(2020, 5, 1),
        end_date=None,
    )

    with pytest.raises(ValidationError) as exc:
        membership.full_clean()

    assert exc.value.message_dict["start_date"] == [
        "Die Mitgliedschaft kann nicht vor dem Bestehen des Gremiums beginnen "
        "(01.11.2021)."
    ]
    assert exc.value.message_dict["end_date"] == [
        "Die Mitgliedschaft kann nicht über das Ende des Gremiums hinaus dauern "
        "(31.10.2026)."
    ]


@pytest.mark.django_db
def test_membership_of_a_person_from_another_body_is_rejected():
    org = OrganizationFactory()
    stranger = PersonFactory(body=BodyFactory())
    membership = MembershipFactory.build(organization=org, person=stranger)

    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "person" in exc.value.message_dict


@pytest.mark.django_db
def test_deputy_must_stand_in_for_a_member_of_the_same_organization():
    principal = MembershipFactory()
    other_org = OrganizationFactory(body=principal.organization.body)
    deputy = MembershipFactory.build(
        organization=other_org,
        person=PersonFactory(body=other_org.body),
        kind=Membership.Kind.DEPUTY,
        deputy_of=principal,
    )

    with pytest.raises(ValidationError) as exc:
        deputy.full_clean()
    assert "deputy_of" in exc.value.message_dict


@pytest.mark.django_db
def test_only_a_fraction_can_delegate_a_member():
    membership = MembershipFactory()
    committee = OrganizationFactory(body=membership.organization.body)
    membership.on_behalf_of = committee

    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "on_behalf_of" in exc.value.message_dict

    membership.on_behalf_of = OrganizationFactory(
        body=committee.body, kind=Organization.Kind.FRACTION
    )
    membership.full_clean()


@pytest.mark.django_db
def test_organization_with_meetings_is_not_deleted():
    org = OrganizationFactory()
    meeting = Meeting.objects.create(
        body=org.body,
        name="Sitzung des Bauausschusses",
        start=datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC),
    )
    meeting.organizations.add(org)
    admin = UserFactory(is_superuser=True)

    with pytest.raises(ValidationError) as exc:
        object_soft_delete(actor=admin, obj=org)

    assert "Das Gremium hat noch Sitzungen" in exc.value.messages[0]
    org.refresh_from_db()
    assert org.deleted_at is None


@pytest.mark.django_db
def test_soft_deleted_object_stays_as_a_tombstone():
    org = OrganizationFactory()
    admin = UserFactory(is_superuser=True)

    object_soft_delete(actor=admin, obj=org)

    tombstone = Organization.objects.get(pk=org.pk)
    assert tombstone.deleted
    assert tombstone.modified >= tombstone.deleted_at
    assert list(Organization.objects.alive()) == []
    assert list(Organization.objects.deleted()) == [tombstone]

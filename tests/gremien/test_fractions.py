"""Who belongs to a fraction on a day (``gremien.fractions``): a member's
membership in it or a seat held on its behalf, valid that day; nothing
ended, future, deleted, of the administration or of another kind of
organization."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gremien.fractions import belongs_to_fraction, fraction_persons, fractions_of
from gremien.models import Membership
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 22)


@pytest.fixture
def town():
    body = BodyFactory()
    return {
        "body": body,
        "fraction": OrganizationFactory(body=body, name="Fraktion A", kind="fraction"),
        "other": OrganizationFactory(body=body, name="Fraktion B", kind="fraction"),
        "council": OrganizationFactory(body=body, name="Rat", kind="council"),
    }


def person_with_user(body):
    user = UserFactory()
    return PersonFactory(body=body, user=user), user


def test_a_membership_in_the_fraction(town):
    person, user = person_with_user(town["body"])
    MembershipFactory(person=person, organization=town["fraction"])

    assert list(fractions_of(user, day=DAY)) == [town["fraction"]]
    assert belongs_to_fraction(user, town["fraction"], day=DAY)
    assert not belongs_to_fraction(user, town["other"], day=DAY)
    assert list(fraction_persons(town["fraction"], day=DAY)) == [person]


def test_a_seat_held_on_the_fractions_behalf(town):
    person, user = person_with_user(town["body"])
    MembershipFactory(
        person=person, organization=town["council"], on_behalf_of=town["other"]
    )

    assert list(fractions_of(user, day=DAY)) == [town["other"]]
    assert list(fraction_persons(town["other"], day=DAY)) == [person]


def test_only_memberships_valid_on_the_day_count(town):
    person, user = person_with_user(town["body"])
    MembershipFactory(
        person=person,
        organization=town["fraction"],
        start_date=dt.date(2021, 11, 1),
        end_date=dt.date(2026, 11, 21),
    )
    MembershipFactory(
        person=person, organization=town["other"], start_date=dt.date(2026, 11, 23)
    )

    assert list(fractions_of(user, day=DAY)) == []
    assert list(fractions_of(user, day=dt.date(2026, 11, 21))) == [town["fraction"]]
    assert list(fractions_of(user, day=dt.date(2026, 11, 23))) == [town["other"]]
    assert list(fraction_persons(town["fraction"], day=DAY)) == []


def test_deleted_things_and_other_kinds_count_for_nothing(town):
    person, user = person_with_user(town["body"])
    gone = MembershipFactory(person=person, organization=town["fraction"])
    gone.deleted_at = timezone.now()
    gone.save()
    MembershipFactory(person=person, organization=town["council"])
    closed = OrganizationFactory(body=town["body"], kind="fraction")
    MembershipFactory(person=person, organization=closed)
    closed.deleted_at = timezone.now()
    closed.save()

    left, left_user = person_with_user(town["body"])
    MembershipFactory(person=left, organization=town["other"])
    left.deleted_at = timezone.now()
    left.save()

    assert list(fractions_of(user, day=DAY)) == []
    assert list(fractions_of(left_user, day=DAY)) == []
    assert list(fraction_persons(town["council"], day=DAY)) == []
    assert list(fraction_persons(closed, day=DAY)) == []
    assert list(fraction_persons(town["other"], day=DAY)) == []


def test_administration_memberships_do_not_count(town):
    person, user = person_with_user(town["body"])
    MembershipFactory(
        person=person, organization=town["fraction"], kind=Membership.Kind.STAFF
    )

    assert list(fractions_of(user, day=DAY)) == []
    assert list(fraction_persons(town["fraction"], day=DAY)) == []


def test_anonymous_and_inactive_users_belong_nowhere(town):
    person, user = person_with_user(town["body"])
    MembershipFactory(person=person, organization=town["fraction"])
    user.is_active = False
    user.save()

    assert list(fractions_of(AnonymousUser())) == []
    assert list(fractions_of(user, day=DAY)) == []

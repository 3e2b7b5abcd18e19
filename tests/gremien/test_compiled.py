"""A queryset compiled once and run again with another value."""

import pytest
from django.db.models import Exists, OuterRef

from gremien.compiled import CompiledQuery
from gremien.models import Membership, Person
from tests.gremien.factories import MembershipFactory

PLACEHOLDER = -1


@pytest.mark.django_db
def test_runs_the_compiled_query_with_each_value():
    seats = [MembershipFactory(), MembershipFactory(voting_right=False)]
    query = CompiledQuery(
        Person.objects.filter(pk=PLACEHOLDER)
        .annotate(
            votes=Exists(
                Membership.objects.filter(person=OuterRef("pk"), voting_right=True)
            )
        )
        .values("id", "family_name", "votes"),
        PLACEHOLDER,
    )
    first, second = (query.first(seat.person_id) for seat in seats)
    assert first["id"] == seats[0].person_id and bool(first["votes"])
    assert second["family_name"] == seats[1].person.family_name
    assert not second["votes"]
    assert query.first(10**9) is None


@pytest.mark.django_db
def test_the_placeholder_must_occur_exactly_once():
    with pytest.raises(ValueError, match="occurs 2 times"):
        CompiledQuery(
            Person.objects.filter(pk=PLACEHOLDER, body_id=PLACEHOLDER).values("id"),
            PLACEHOLDER,
        )
    with pytest.raises(ValueError, match="occurs 0 times"):
        CompiledQuery(Person.objects.filter(pk=5).values("id"), PLACEHOLDER)

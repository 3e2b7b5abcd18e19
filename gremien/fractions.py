"""Who belongs to a fraction (Fraktion) on a given day: the one rule.

A person belongs to a fraction on a day when, on that day, they hold

- a membership in the fraction itself, or
- a seat held on the fraction's behalf (``Membership.on_behalf_of``), e.g. the
  council seat a fraction member won on the fraction's list,

of a member's kind (``FRACTION_KINDS``: member, deputy, citizen or advisory
member; the same kinds ``sessions.access`` entitles). Administration
memberships (kind ``staff``) do not count: staff reach data as staff of their
body, never as a fraction. Memberships that ended before the day or start
after it, deleted memberships, persons and fractions, and organizations that
are not fractions count for nothing. A user belongs through their person
(``Person.user``).

The one rule for the fraction's own work (``motions``); the member portal's
``members.selectors.my_fractions`` and ``reader.access.fractions_of`` can
delegate to :func:`fractions_of`.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Membership, Organization, Person

#: Kinds of membership through which a person belongs to a fraction.
FRACTION_KINDS = (
    Membership.Kind.MEMBER,
    Membership.Kind.DEPUTY,
    Membership.Kind.CITIZEN_MEMBER,
    Membership.Kind.ADVISORY,
)


def memberships_valid_on(day: dt.date) -> QuerySet[Membership]:
    """Memberships of ``FRACTION_KINDS`` (not deleted, of persons not
    deleted) valid on ``day``."""
    return Membership.objects.alive().filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        person__deleted_at__isnull=True,
        kind__in=FRACTION_KINDS,
    )


def _fractions_of_memberships(memberships: QuerySet[Membership]):
    return (
        Organization.objects.alive()
        .filter(kind=Organization.Kind.FRACTION)
        .filter(
            Q(pk__in=memberships.values("organization_id"))
            | Q(pk__in=memberships.values("on_behalf_of_id"))
        )
    )


def fractions_of(user, *, day: dt.date | None = None) -> QuerySet[Organization]:
    """The fractions ``user`` belongs to on ``day`` (default: today), by
    name. None for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    day = day or timezone.localdate()
    memberships = memberships_valid_on(day).filter(person__user=user)
    return _fractions_of_memberships(memberships).order_by("name", "pk")


def belongs_to_fraction(user, fraction: Organization, *, day=None) -> bool:
    """Whether ``user`` belongs to ``fraction`` on ``day`` (default: today)."""
    return fractions_of(user, day=day).filter(pk=fraction.pk).exists()


def fraction_persons(
    fraction: Organization, *, day: dt.date | None = None
) -> QuerySet[Person]:
    """The persons belonging to ``fraction`` on ``day`` (default: today), by
    family and given name."""
    if fraction.kind != Organization.Kind.FRACTION or fraction.deleted:
        return Person.objects.none()
    day = day or timezone.localdate()
    memberships = memberships_valid_on(day).filter(
        Q(organization=fraction) | Q(on_behalf_of=fraction)
    )
    return (
        Person.objects.alive()
        .filter(pk__in=memberships.values("person_id"))
        .order_by("family_name", "given_name", "pk")
    )

"""Persons (Mandatsträger): the list of members and one person's public data.

A person is public while they have a public membership (current or past);
contact data comes only from ``visibility.public_person_fields``, so an
address, phone number or e-mail not marked public never reaches a page.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Membership, Organization, Person

from .. import visibility
from ..links import PortalLinks, person_key
from .base import Crumb, has_ended, not_found, render_portal
from .organizations import public_fraction


def membership_order(membership: Membership):
    """Council first, then committees and the rest, fractions last."""
    organization = membership.organization
    kind_rank = {
        Organization.Kind.COUNCIL: 0,
        Organization.Kind.FRACTION: 3,
        Organization.Kind.PARTY: 4,
    }.get(organization.kind, 1 if organization.is_deliberative else 2)
    return (kind_rank, organization.name)


def current_fraction(memberships, today):
    """The fraction a person belongs to today: a membership in a fraction, or
    the fraction a council seat is held for."""
    for membership in memberships:
        if has_ended(membership, today):
            continue
        if membership.organization.kind == Organization.Kind.FRACTION:
            return membership.organization
    for membership in memberships:
        fraction = public_fraction(membership)
        if fraction is not None and not has_ended(membership, today):
            return fraction
    return None


@dataclass
class PersonGroup:
    key: str
    label: str
    persons: list = field(default_factory=list)


def person_list(request, portal):
    today = timezone.localdate()
    memberships = (
        visibility.public_memberships(portal.body)
        .select_related("organization", "on_behalf_of")
        .order_by("organization__name")
    )
    persons = (
        visibility.public_persons(portal.body)
        .order_by("family_name", "given_name")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="public_memberships")
        )
    )
    groups = [
        PersonGroup("rat", _("Members of the council")),
        PersonGroup("gremien", _("Members of committees and boards")),
        PersonGroup("frueher", _("Former members")),
    ]
    for person in persons:
        current = sorted(
            (m for m in person.public_memberships if not has_ended(m, today)),
            key=membership_order,
        )
        person.current_memberships = current
        person.fraction = current_fraction(current, today)
        if any(m.organization.kind == Organization.Kind.COUNCIL for m in current):
            groups[0].persons.append(person)
        elif current:
            groups[1].persons.append(person)
        else:
            groups[2].persons.append(person)
    return render_portal(
        request,
        portal,
        "publicportal/person_list.html",
        title=_("Council members"),
        breadcrumbs=[Crumb(_("Council members"))],
        nav_current="persons",
        groups=[group for group in groups if group.persons],
    )


def person_detail(request, portal, pk, slug):
    person: Person | None = visibility.public_persons(portal.body).filter(pk=pk).first()
    if person is None:
        raise not_found()
    links = PortalLinks(portal, request)
    if slug != person_key(person):
        return HttpResponsePermanentRedirect(links.person(person))
    today = timezone.localdate()
    memberships = list(
        visibility.public_memberships(portal.body)
        .filter(person=person)
        .select_related("organization", "on_behalf_of")
    )
    for membership in memberships:
        membership.fraction = public_fraction(membership)
    current = sorted(
        (m for m in memberships if not has_ended(m, today)), key=membership_order
    )
    past = sorted(
        (m for m in memberships if has_ended(m, today)),
        key=lambda m: (m.end_date, m.organization.name),
        reverse=True,
    )
    contact = visibility.public_person_fields(person)
    location = contact["location"]
    if location is not None and location.deleted_at is not None:
        contact["location"] = None
    return render_portal(
        request,
        portal,
        "publicportal/person.html",
        title=person.name,
        breadcrumbs=[
            Crumb(_("Council members"), links.route("persons")),
            Crumb(person.name),
        ],
        nav_current="persons",
        person=person,
        fraction=current_fraction(current, today),
        current_memberships=current,
        past_memberships=past,
        contact=contact,
        has_contact=any(contact.values()),
    )

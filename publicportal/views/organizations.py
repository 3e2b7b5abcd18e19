"""Organizations (Gremien, Fraktionen): the list grouped by kind and one
organization with its members, meetings and papers.

Members are read through ``visibility.public_memberships`` in one query with
their person and fraction joined, so an organization page costs the same
number of queries for 2 members and for 60.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Paper
from gremien.models import LegislativeTerm, Membership, Organization

from .. import visibility
from ..links import PortalLinks, organization_key
from .base import Crumb, FeedLink, has_ended, not_found, render_portal
from .meetings import day_start, local_today
from .papers import paper_feeds

#: The sections of the list page, council first, administration last.
KIND_HEADINGS = {
    Organization.Kind.COUNCIL: gettext_lazy("Council"),
    Organization.Kind.COMMITTEE: gettext_lazy("Committees"),
    Organization.Kind.SUBCOMMITTEE: gettext_lazy("Sub-committees"),
    Organization.Kind.DISTRICT_COUNCIL: gettext_lazy("District councils"),
    Organization.Kind.ADVISORY_BOARD: gettext_lazy("Advisory boards"),
    Organization.Kind.FRACTION: gettext_lazy("Fractions and groups"),
    Organization.Kind.PARTY: gettext_lazy("Parties"),
    Organization.Kind.EXTERNAL: gettext_lazy("External bodies"),
    Organization.Kind.OTHER: gettext_lazy("Other organizations"),
    Organization.Kind.DEPARTMENT: gettext_lazy("Administration"),
}
#: How many meetings and papers an organization page lists.
MEETINGS_SHOWN = 5
PAPERS_SHOWN = 10
KEY_PATTERN = re.compile(r"^(?P<pk>\d+)(?:-.*)?$")


@dataclass
class KindGroup:
    kind: str
    label: str
    organizations: list = field(default_factory=list)


def group_by_kind(organizations) -> list[KindGroup]:
    groups = {kind: KindGroup(kind, label) for kind, label in KIND_HEADINGS.items()}
    for organization in organizations:
        kind = organization.kind
        if kind not in groups:
            kind = Organization.Kind.OTHER
        groups[kind].organizations.append(organization)
    return [group for group in groups.values() if group.organizations]


def organization_list(request, portal):
    today = timezone.localdate()
    organizations = visibility.public_organizations(portal.body).order_by("name")
    current, past = [], []
    for organization in organizations:
        (past if has_ended(organization, today) else current).append(organization)
    return render_portal(
        request,
        portal,
        "publicportal/organization_list.html",
        title=_("Committees and fractions"),
        breadcrumbs=[Crumb(_("Committees and fractions"))],
        nav_current="organizations",
        groups=group_by_kind(current),
        past_organizations=past,
    )


# --- detail ----------------------------------------------------------------


@dataclass
class TermGroup:
    """Former members of one legislative term (``term`` None: no term)."""

    term: LegislativeTerm | None
    memberships: list = field(default_factory=list)


def term_of(membership: Membership, terms: list[LegislativeTerm]):
    """The legislative term a past membership ended in (terms newest first)."""
    day = membership.end_date or membership.start_date
    for term in terms:
        if term.start_date <= day and (term.end_date is None or day <= term.end_date):
            return term
    return None


def group_by_term(memberships, terms) -> list[TermGroup]:
    """Former members by the term they served in, newest term first; those no
    term covers come last."""
    groups = {term.pk: TermGroup(term) for term in terms}
    rest = TermGroup(None)
    for membership in memberships:
        term = term_of(membership, terms)
        (groups[term.pk] if term else rest).memberships.append(membership)
    result = [group for group in groups.values() if group.memberships]
    if rest.memberships:
        result.append(rest)
    return result


def split_memberships(memberships, today):
    current, past = [], []
    for membership in memberships:
        (past if has_ended(membership, today) else current).append(membership)
    past.sort(key=lambda m: (m.end_date, m.person.family_name), reverse=True)
    return current, past


def membership_queryset(body) -> QuerySet[Membership]:
    return (
        visibility.public_memberships(body)
        .select_related("person", "organization", "on_behalf_of")
        .order_by("person__family_name", "person__given_name", "start_date")
    )


def public_fraction(membership: Membership):
    """The fraction a member sits for, if the public may see it."""
    fraction = membership.on_behalf_of
    if fraction is None or fraction.deleted_at is not None:
        return None
    return fraction


def organization_meetings(organization):
    """The next and the latest meetings; "next" from the start of today, as
    in the calendar (a meeting this morning is still today's meeting)."""
    meetings = visibility.public_meetings(organization.body_id).filter(
        organizations=organization
    )
    today = day_start(local_today())
    upcoming = list(
        meetings.filter(start__gte=today).order_by("start")[:MEETINGS_SHOWN]
    )
    recent = list(meetings.filter(start__lt=today).order_by("-start")[:MEETINGS_SHOWN])
    return upcoming, recent


def organization_papers(organization) -> list:
    """Recent public papers the organization consults or has submitted (a
    fraction's motions)."""
    consulted = visibility.public_consultations().filter(
        paper=OuterRef("pk"), organizations=organization
    )
    submitted = Paper.originator_organizations.through.objects.filter(
        paper=OuterRef("pk"), organization=organization
    )
    papers = visibility.public_papers(organization.body_id).filter(
        Exists(consulted) | Exists(submitted)
    )
    return list(
        papers.order_by("-date", "-reference_year", "-reference_number")[:PAPERS_SHOWN]
    )


def find_organization(portal, slug):
    match = KEY_PATTERN.match(slug)
    if match is None:
        raise not_found()
    organization = (
        visibility.public_organizations(portal.body)
        .select_related("sub_organization_of")
        .filter(pk=int(match["pk"]))
        .first()
    )
    if organization is None:
        raise not_found()
    return organization


def organization_detail(request, portal, slug):
    organization = find_organization(portal, slug)
    links = PortalLinks(portal, request)
    if slug != organization_key(organization):
        return HttpResponsePermanentRedirect(links.organization(organization))
    body = portal.body
    today = timezone.localdate()
    parent = organization.sub_organization_of
    if parent is not None and (parent.deleted_at or parent.body_id != body.pk):
        parent = None
    current, past = split_memberships(
        membership_queryset(body).filter(organization=organization), today
    )
    for membership in current:
        membership.fraction = public_fraction(membership)
    for membership in past:
        membership.fraction = public_fraction(membership)
    terms = list(visibility.public_legislative_terms(body).order_by("-start_date"))
    delegated = []
    if organization.kind == Organization.Kind.FRACTION:
        delegated, _ended = split_memberships(
            membership_queryset(body)
            .filter(on_behalf_of=organization)
            .exclude(organization=organization)
            .order_by("organization__name", "person__family_name"),
            today,
        )
    upcoming, recent = organization_meetings(organization)
    feeds = [
        FeedLink(
            _("Meetings of %(name)s (iCal)") % {"name": organization.name},
            links.feed("sitzungen", "ics", organization),
            "text/calendar",
        ),
        *paper_feeds(links, organization),
    ]
    return render_portal(
        request,
        portal,
        "publicportal/organization.html",
        title=organization.name,
        breadcrumbs=[
            Crumb(_("Committees and fractions"), links.route("organizations")),
            Crumb(organization.name),
        ],
        feeds=feeds,
        nav_current="organizations",
        organization=organization,
        parent=parent,
        ended=has_ended(organization, today),
        current_members=current,
        past_groups=group_by_term(past, terms) if terms else [TermGroup(None, past)],
        has_past_members=bool(past),
        delegated=delegated,
        upcoming_meetings=upcoming,
        recent_meetings=recent,
        papers=organization_papers(organization),
        is_fraction=organization.kind == Organization.Kind.FRACTION,
        sub_organizations=list(
            visibility.public_organizations(body)
            .filter(sub_organization_of=organization)
            .order_by("name")
        ),
    )

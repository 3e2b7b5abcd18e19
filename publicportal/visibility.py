"""What the public may see: the one module that decides it.

Every public output reads through these functions: portal pages, search
results and the search index, iCal, RSS/Atom, sitemaps, OParl, public PDFs,
the public live view and file downloads. Default managers stay unfiltered
(admin and import need everything); anything shown to an anonymous visitor
starts from a queryset defined here, and related objects are fetched with
``Prefetch(..., queryset=<a queryset from here>)``, never through a bare
reverse manager.

The rules, in one place:

- **Meeting**: not deleted and marked public (a fraction's meeting or a
  closed Ältestenrat is not). Planned meetings are public with their date;
  their agenda is not, until the invitation is sent.
- **Agenda item**: of a public meeting that has been invited (or later), itself
  public, not deleted, and its parent item (if any) public and not deleted.
- **Paper**: not deleted, marked public and released once (``released_at``);
  a draft never becomes public, a withdrawn paper stays visible as withdrawn
  if it had been released.
- **Consultation**: of a public paper; its meeting and agenda item, where set,
  must be public too.
- **File**: not deleted, not restricted, and what it is attached to is
  public. Minutes files of a meeting only once the minutes are published.
- **Results** of an item (accepted, rejected …) are public once the meeting
  has been held in public; resolution texts, vote counts and the minutes only
  once the minutes are published.
- **Membership**: not deleted, of a living person and organization; the
  administration's staff memberships are not public.
- **Person**: not deleted, with at least one public membership (current or
  past). Contact data only where its ``*_public`` flag is set.
- **Organization**, **legislative term**, **body**: public unless deleted.
- **Location**: used by something public (body, organization, meeting, paper,
  or a person whose address is marked public).
- **Tombstones** (OParl's ``deleted: true``): a deleted object is announced as
  deleted only if it would be public but for its own deletion; a deleted
  object that was never public stays unknown, not even its id is shown.
"""

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from documents.models import File, Paper
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from sessions.models import AgendaItem, Consultation, Meeting, Minutes

#: Meeting states in which the agenda has been published with the invitation.
AGENDA_PUBLISHED_STATES = (
    Meeting.State.INVITED,
    Meeting.State.RUNNING,
    *Meeting.HELD_STATES,
)
#: Meeting states in which the results of public items are known publicly.
RESULT_STATES = (Meeting.State.RUNNING, *Meeting.HELD_STATES)
#: Meeting files that are part of the minutes.
MINUTES_FILE_ROLES = (File.Role.RESULTS_PROTOCOL, File.Role.VERBATIM_PROTOCOL)


def _meeting_public(prefix: str) -> Q:
    """:func:`public_meetings` as conditions on a related meeting (a join is
    far cheaper than ``IN (SELECT …)`` over all meetings)."""
    return Q(**{f"{prefix}public": True, f"{prefix}deleted_at__isnull": True})


def _paper_public(prefix: str) -> Q:
    """:func:`public_papers` as conditions on a related paper."""
    return Q(
        **{
            f"{prefix}public": True,
            f"{prefix}deleted_at__isnull": True,
            f"{prefix}released_at__isnull": False,
        }
    )


def _item_public(field: str) -> Exists:
    """The agenda item in ``field`` is public (a correlated EXISTS, so the
    database checks only the rows at hand)."""
    return Exists(AgendaItem.objects.filter(_item_rule(), pk=OuterRef(field)))


def _body_filter(queryset: QuerySet, body: Body | int | None) -> QuerySet:
    if body is None:
        return queryset
    return queryset.filter(**{queryset.model.body_lookup: body})


# --- gremien -------------------------------------------------------------


def public_bodies() -> QuerySet[Body]:
    return Body.objects.alive()


def public_legislative_terms(body: Body | None = None) -> QuerySet[LegislativeTerm]:
    return _body_filter(LegislativeTerm.objects.alive(), body)


def public_organizations(body: Body | None = None) -> QuerySet[Organization]:
    return _body_filter(Organization.objects.alive(), body)


def public_memberships(body: Body | None = None) -> QuerySet[Membership]:
    queryset = (
        Membership.objects.alive()
        .exclude(kind=Membership.Kind.STAFF)
        .filter(person__deleted_at__isnull=True, organization__deleted_at__isnull=True)
    )
    return _body_filter(queryset, body)


def public_persons(body: Body | None = None) -> QuerySet[Person]:
    memberships = public_memberships().filter(person=OuterRef("pk"))
    return _body_filter(Person.objects.alive().filter(Exists(memberships)), body)


def public_person_fields(person: Person) -> dict:
    """The contact data of a public person that may be shown: only what is
    marked public. Keys: ``email``, ``phone``, ``location``, ``life``."""
    return {
        "email": list(person.email) if person.email_public else [],
        "phone": list(person.phone) if person.phone_public else [],
        "location": person.location if person.location_public else None,
        "life": person.life if person.life_public else "",
    }


def _location_used() -> Q:
    """Something public refers to the location."""
    return (
        Q(Exists(public_meetings().filter(location=OuterRef("pk"))))
        | Q(Exists(public_organizations().filter(location=OuterRef("pk"))))
        | Q(Exists(public_bodies().filter(location=OuterRef("pk"))))
        | Q(Exists(public_papers().filter(locations=OuterRef("pk"))))
        | Q(
            Exists(
                public_persons().filter(location=OuterRef("pk"), location_public=True)
            )
        )
    )


def public_locations(body: Body | None = None) -> QuerySet[Location]:
    return _body_filter(Location.objects.alive().filter(_location_used()), body)


# --- documents -----------------------------------------------------------


def public_papers(body: Body | None = None) -> QuerySet[Paper]:
    return _body_filter(Paper.objects.filter(_paper_public("")), body)


# --- sessions ------------------------------------------------------------


def public_meetings(body: Body | None = None) -> QuerySet[Meeting]:
    return _body_filter(Meeting.objects.filter(_meeting_public("")), body)


def _agenda_published(prefix: str = "") -> Q:
    """The meeting (reached through ``prefix``) has sent its invitation: a
    meeting cancelled before that never had a public agenda."""
    return Q(**{f"{prefix}state__in": AGENDA_PUBLISHED_STATES}) | Q(
        **{
            f"{prefix}state": Meeting.State.CANCELLED,
            f"{prefix}invitation_sent_at__isnull": False,
        }
    )


def agenda_published(meeting: Meeting) -> bool:
    """Whether the public may see the agenda of ``meeting``."""
    return meeting.state in AGENDA_PUBLISHED_STATES or (
        meeting.state == Meeting.State.CANCELLED
        and meeting.invitation_sent_at is not None
    )


def _item_rule(*, alive: bool = True, prefix: str = "") -> Q:
    """Public agenda items; with ``prefix`` as conditions on a related item
    (joins: an EXISTS inside an OR makes PostgreSQL hash every public item)."""
    no_hidden_parent = Q(**{f"{prefix}parent__isnull": True}) | Q(
        **{
            f"{prefix}parent__public": True,
            f"{prefix}parent__deleted_at__isnull": True,
        }
    )
    return (
        Q(**{f"{prefix}public": True, f"{prefix}deleted_at__isnull": alive})
        & _agenda_published(f"{prefix}meeting__")
        & _meeting_public(f"{prefix}meeting__")
        & no_hidden_parent
    )


def public_agenda_items(meeting: Meeting | None = None) -> QuerySet[AgendaItem]:
    """Public items, in agenda order when ``meeting`` is given."""
    queryset = AgendaItem.objects.filter(_item_rule())
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting).order_by("order")
    return queryset


def _consultation_rule() -> Q:
    """A consultation's surroundings are public (its own deletion aside)."""
    return (
        _paper_public("paper__")
        & (Q(meeting__isnull=True) | _meeting_public("meeting__"))
        & (Q(agenda_item__isnull=True) | Q(_item_public("agenda_item_id")))
    )


def public_consultations(paper: Paper | None = None) -> QuerySet[Consultation]:
    queryset = Consultation.objects.alive().filter(_consultation_rule())
    if paper is not None:
        queryset = queryset.filter(paper=paper).order_by("position")
    return queryset


def minutes_published(meeting: Meeting) -> bool:
    """Whether the public may read the minutes, resolutions and vote counts."""
    return (
        meeting.public
        and meeting.deleted_at is None
        and meeting.state == Meeting.State.PUBLISHED
    )


def public_minutes(body: Body | None = None) -> QuerySet[Minutes]:
    """Minutes the public may read (the queryset form of
    :func:`minutes_published`): of a public meeting whose minutes are
    published. For feeds and lists of newly published minutes."""
    queryset = Minutes.objects.filter(
        _meeting_public("meeting__"),
        meeting__state=Meeting.State.PUBLISHED,
        published_at__isnull=False,
    )
    return queryset.filter(meeting__body=body) if body is not None else queryset


def result_public(meeting: Meeting) -> bool:
    """Whether the results of the meeting's public items may be shown."""
    return (
        meeting.public and meeting.deleted_at is None and meeting.state in RESULT_STATES
    )


def public_minutes_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """Items whose minutes and resolution text the public may read: the public
    items of a meeting whose minutes are published; none otherwise."""
    if not minutes_published(meeting):
        return AgendaItem.objects.none()
    return public_agenda_items(meeting)


def _file_rule() -> Q:
    """What a file is attached to is public and the file is not restricted
    (its own deletion aside)."""
    meeting_files = (
        _meeting_public("meeting__")
        & _agenda_published("meeting__")
        & (~Q(role__in=MINUTES_FILE_ROLES) | Q(meeting__state=Meeting.State.PUBLISHED))
    )
    return Q(
        _paper_public("paper__") | _item_rule(prefix="agenda_item__") | meeting_files,
        restricted=False,
    )


def public_files(body: Body | None = None) -> QuerySet[File]:
    return _body_filter(File.objects.alive().filter(_file_rule()), body)


# --- tombstones ------------------------------------------------------------

_TOMBSTONES = {
    Body: lambda: Body.objects.deleted(),
    LegislativeTerm: lambda: LegislativeTerm.objects.deleted(),
    Organization: lambda: Organization.objects.deleted(),
    Membership: lambda: Membership.objects.deleted().exclude(
        kind=Membership.Kind.STAFF
    ),
    Person: lambda: Person.objects.deleted().filter(
        Exists(
            Membership.objects.exclude(kind=Membership.Kind.STAFF).filter(
                person=OuterRef("pk")
            )
        )
    ),
    Location: lambda: Location.objects.deleted().filter(_location_used()),
    Paper: lambda: Paper.objects.deleted().filter(
        public=True, released_at__isnull=False
    ),
    Meeting: lambda: Meeting.objects.deleted().filter(public=True),
    AgendaItem: lambda: AgendaItem.objects.filter(_item_rule(alive=False)),
    Consultation: lambda: Consultation.objects.deleted().filter(_consultation_rule()),
    File: lambda: File.objects.deleted().filter(_file_rule()),
}


def public_tombstones(model: type[Model], body: Body | None = None) -> QuerySet:
    """Deleted objects of ``model`` that were public before their deletion:
    OParl announces them as deleted to clients that ask for changes. A model
    without public objects has no tombstones either."""
    factory = _TOMBSTONES.get(model)
    if factory is None:
        return model._default_manager.none()
    return _body_filter(factory(), body)


# --- single objects ------------------------------------------------------

_QUERYSETS = {
    Body: public_bodies,
    LegislativeTerm: public_legislative_terms,
    Organization: public_organizations,
    Membership: public_memberships,
    Person: public_persons,
    Location: public_locations,
    Paper: public_papers,
    Meeting: public_meetings,
    Minutes: public_minutes,
    AgendaItem: public_agenda_items,
    Consultation: public_consultations,
    File: public_files,
}


def public_queryset(model: type[Model]) -> QuerySet:
    """The public queryset of ``model``; a model without one has no public
    objects at all."""
    factory = _QUERYSETS.get(model)
    return factory() if factory else model._default_manager.none()


def is_public(obj: Model) -> bool:
    """Whether the public may see ``obj`` (one query)."""
    if obj is None or obj.pk is None:
        return False
    return public_queryset(type(obj)).filter(pk=obj.pk).exists()

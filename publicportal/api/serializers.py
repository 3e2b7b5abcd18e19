"""OParl 1.1 objects from our models: one class per object type.

Each type says in one place where its objects come from (a queryset of
``publicportal.visibility``), what it refers to and embeds (fetched for a
whole page at once with ``select_related`` and ``Prefetch`` over visibility
querysets, so that a list page costs the same number of queries whatever
its size), which embedded parts make up its ``modified`` (see
``changes``), and its properties (``publicportal/api/fields.py`` says where
each one lives).

Output rules: every object, embedded ones too, has ``id``, ``type``,
``created`` and ``modified``; optional properties without a value are left
out (no ``null``, ``""``, ``[]`` or ``{}``; ``false`` and ``0`` are values).
Embedded objects never include deleted or non-public ones; back-references
(``File.paper``, ``Location.meetings`` …) only appear on objects that are
not embedded, as the specification says. With ``omit_internal`` the
embedded objects are left out, references stay.
"""

import re

from django.conf import settings
from django.db.models import Max, Min, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.timezone import get_default_timezone

from documents.models import File, Paper
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from sessions.models import AgendaItem, Consultation, Meeting

from .. import visibility
from ..indexing import plain_text
from .addresses import SCHEMA, Addresses
from .changes import Part, latest_change

EMPTY = (None, "", [], {})
_BLOCK_END = re.compile(r"</(?:p|li|h\d|div|blockquote)>|<br\s*/?>", re.IGNORECASE)


def when(value) -> str | None:
    """Date and time in German local time with its offset, to the second."""
    if value is None:
        return None
    return value.astimezone(get_default_timezone()).isoformat(timespec="seconds")


def day(value) -> str | None:
    return value.isoformat() if value is not None else None


def alive(obj):
    return obj if obj is not None and obj.deleted_at is None else None


def text_of(rich_text: str) -> str:
    """Rich text as plain text, one line per paragraph."""
    lines = (plain_text(line) for line in _BLOCK_END.sub("\n", rich_text).split("\n"))
    return "\n".join(line for line in lines if line)


def _refs(lookup: str, queryset: QuerySet, *fields: str) -> Prefetch:
    """Public related objects shown as references (only their ids are read;
    ``fields``: the foreign key a reverse relation is matched on)."""
    return Prefetch(
        lookup, queryset=queryset.only("pk", *fields), to_attr=f"oparl_{lookup}"
    )


def _public_id(queryset: QuerySet, field: str, lookup: str = "pk") -> Subquery:
    """The id of the one object of ``queryset`` whose ``lookup`` is the
    row's ``field``, or NULL: a reference in the page's own query."""
    matching = queryset.filter(**{lookup: OuterRef(field)}).order_by()
    return Subquery(matching.values("pk")[:1])


def _embedded(lookup: str, kind: "Kind") -> Prefetch:
    return Prefetch(
        lookup, queryset=kind.queryset(inside=True), to_attr=f"oparl_{lookup}"
    )


class Output:
    """The serialization of one request."""

    def __init__(self, addresses: Addresses, *, embed: bool = True):
        self.addresses = addresses
        self.embed = embed

    def ref(self, path: str, pk: int | None) -> str | None:
        return self.addresses.object(path, pk) if pk is not None else None

    def refs(self, path: str, objects) -> list[str]:
        return [self.addresses.object(path, obj.pk) for obj in objects or ()]

    def one(self, kind: "Kind", obj) -> dict | None:
        return kind.serialize(obj, self, inside=True) if obj is not None else None

    def many(self, kind: "Kind", objects) -> list[dict]:
        return [kind.serialize(obj, self, inside=True) for obj in objects]


class Kind:
    """An OParl object type."""

    oparl_type: str
    #: The type's segment in the API's addresses (``/oparl/v1.1/<path>/<id>``).
    path: str
    model: type[Model]
    #: What the object embeds, for its ``modified``.
    parts: tuple[Part, ...] = ()
    #: Properties output even when empty.
    required: frozenset[str] = frozenset()

    def public(self) -> QuerySet:
        raise NotImplementedError

    def select(self, inside: bool) -> tuple[str, ...]:
        return ()

    def references(self, inside: bool) -> list[Prefetch]:
        """Prefetches of what the properties of :meth:`fields` need."""
        return []

    def single_references(self) -> dict[str, Subquery]:
        """Annotations ``oparl_<name>``: ids of single public references."""
        return {}

    def embedded(self) -> list[Prefetch]:
        """Prefetches of what :meth:`embeds` needs."""
        return []

    def fields(self, obj, out: Output, inside: bool) -> dict:
        raise NotImplementedError

    def embeds(self, obj, out: Output) -> dict:
        """Embedded objects (left out with ``omit_internal``)."""
        return {}

    def web(self, obj, out: Output) -> str | None:
        return None

    def queryset(self, base: QuerySet | None = None, *, embed=True, inside=False):
        """``base`` (default: all public objects) with everything its
        serialization reads."""
        queryset = self.public() if base is None else base
        related = self.references(inside) + (self.embedded() if embed else [])
        joined = self.select(inside)
        if joined:  # select_related() without names would follow every key
            queryset = queryset.select_related(*joined)
        queryset = queryset.prefetch_related(*related).annotate(
            **self.single_references()
        )
        if self.parts:
            queryset = queryset.annotate(oparl_modified=latest_change(self.parts))
        return queryset

    def attach(self, objects: list, out: Output) -> None:
        """Fetch what prefetching cannot reach for top-level ``objects``."""

    def serialize(self, obj, out: Output, *, inside: bool = False) -> dict:
        data = {
            "id": out.ref(self.path, obj.pk),
            "type": SCHEMA + self.oparl_type,
            **self.fields(obj, out, inside),
            **(self.embeds(obj, out) if out.embed else {}),
            "license": obj.license,
            "keyword": obj.keywords,
            "created": when(obj.created),
            "modified": when(getattr(obj, "oparl_modified", obj.modified)),
            "web": self.web(obj, out),
        }
        return {
            key: value
            for key, value in data.items()
            if key in self.required or value not in EMPTY
        }

    def tombstone(self, obj, out: Output) -> dict:
        """A deleted object: only that it existed and when it was deleted."""
        return {
            "id": out.ref(self.path, obj.pk),
            "type": SCHEMA + self.oparl_type,
            "created": when(obj.created),
            "modified": when(obj.deleted_at),
            "deleted": True,
        }


#: Body properties naming its lists → the list's segment in the address.
BODY_LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agendaitem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeterm",
    "membership": "membership",
}


class BodyKind(Kind):
    oparl_type, path, model = "Body", "body", Body
    parts = (Part(LegislativeTerm, "body"), Part(Location, "pk", "location_id"))
    required = frozenset({*BODY_LISTS, "name", "legislativeTerm"})

    def public(self):
        return visibility.public_bodies()

    def select(self, inside):
        return ("location",)

    def references(self, inside):
        # legislativeTerm is required, so embedded even with omit_internal
        return [_embedded("legislative_terms", LEGISLATIVE_TERM)]

    def fields(self, body, out, inside):
        lists = {
            prop: out.addresses.sublist(self.path, body.pk, name)
            for prop, name in BODY_LISTS.items()
        }
        return {
            "system": out.addresses.system(),
            "shortName": body.short_name,
            "name": body.name,
            "website": body.website,
            "licenseValidSince": when(body.license_valid_since),
            "oparlSince": when(body.oparl_since),
            "ags": body.ags,
            "rgs": body.rgs,
            "equivalent": body.equivalent,
            "contactEmail": body.contact_email,
            "contactName": body.contact_name,
            **lists,
            "legislativeTerm": out.many(LEGISLATIVE_TERM, body.oparl_legislative_terms),
            "classification": body.classification,
        }

    def embeds(self, body, out):
        return {"location": out.one(LOCATION, alive(body.location))}

    def web(self, body, out):
        return out.addresses.web(body.pk)


class LegislativeTermKind(Kind):
    oparl_type, path, model = "LegislativeTerm", "legislativeterm", LegislativeTerm

    def public(self):
        return visibility.public_legislative_terms()

    def fields(self, term, out, inside):
        return {
            "body": out.ref("body", term.body_id),
            "name": term.name,
            "startDate": day(term.start_date),
            "endDate": day(term.end_date),
        }


class OrganizationKind(Kind):
    oparl_type, path, model = "Organization", "organization", Organization
    parts = (Part(Location, "pk", "location_id"),)

    def public(self):
        return visibility.public_organizations()

    def select(self, inside):
        return ("location",)

    def references(self, inside):
        return [_refs("memberships", visibility.public_memberships(), "organization")]

    def single_references(self):
        organizations = visibility.public_organizations()
        return {"oparl_parent": _public_id(organizations, "sub_organization_of")}

    def fields(self, org, out, inside):
        return {
            "body": out.ref("body", org.body_id),
            "name": org.name,
            "membership": out.refs("membership", org.oparl_memberships),
            "meeting": out.addresses.sublist(self.path, org.pk, "meeting"),
            "consultation": out.addresses.sublist(self.path, org.pk, "consultation"),
            "shortName": org.short_name,
            "post": org.posts,
            "subOrganizationOf": out.ref(self.path, org.oparl_parent),
            "organizationType": org.organization_type,
            "classification": org.classification_label,
            "startDate": day(org.start_date),
            "endDate": day(org.end_date),
            "website": org.website,
            "externalBody": org.external_body,
        }

    def embeds(self, org, out):
        return {"location": out.one(LOCATION, alive(org.location))}

    def web(self, org, out):
        return out.addresses.web(org.body_id, org)


class PersonKind(Kind):
    oparl_type, path, model = "Person", "person", Person
    parts = (Part(Membership, "person"), Part(Location, "pk", "location_id"))

    def public(self):
        return visibility.public_persons()

    def select(self, inside):
        return ("location",)

    def embedded(self):
        return [_embedded("memberships", MEMBERSHIP)]

    def fields(self, person, out, inside):
        shown = visibility.public_person_fields(person)
        location = alive(shown["location"])
        return {
            "body": out.ref("body", person.body_id),
            "name": person.name,
            "familyName": person.family_name,
            "givenName": person.given_name,
            "formOfAddress": person.form_of_address,
            "affix": person.affix,
            "title": person.title,
            "gender": person.gender,
            "phone": shown["phone"],
            "email": shown["email"],
            "location": out.ref("location", getattr(location, "pk", None)),
            "status": person.status,
            "life": shown["life"],
            "lifeSource": person.life_source if shown["life"] else None,
        }

    def embeds(self, person, out):
        location = visibility.public_person_fields(person)["location"]
        return {
            "locationObject": out.one(LOCATION, alive(location)),
            "membership": out.many(MEMBERSHIP, person.oparl_memberships),
        }

    def web(self, person, out):
        return out.addresses.web(person.body_id, person)


#: Membership roles when none is stored: the usual German wording per kind.
DEFAULT_ROLES = {
    Membership.Kind.MEMBER: "Mitglied",
    Membership.Kind.DEPUTY: "Stellvertretendes Mitglied",
    Membership.Kind.CITIZEN_MEMBER: "Sachkundige/r Bürger/in",
    Membership.Kind.ADVISORY: "Beratendes Mitglied",
}


class MembershipKind(Kind):
    oparl_type, path, model = "Membership", "membership", Membership

    def public(self):
        return visibility.public_memberships()

    def single_references(self):
        organizations = visibility.public_organizations()
        return {"oparl_on_behalf_of": _public_id(organizations, "on_behalf_of")}

    def fields(self, membership, out, inside):
        return {
            "person": out.ref("person", membership.person_id),
            "organization": out.ref("organization", membership.organization_id),
            "role": membership.role or DEFAULT_ROLES.get(membership.kind),
            "votingRight": membership.voting_right,
            "startDate": day(membership.start_date),
            "endDate": day(membership.end_date),
            "onBehalfOf": out.ref("organization", membership.oparl_on_behalf_of),
        }


def _role(files, role):
    return next((file for file in files if file.role == role), None)


class MeetingKind(Kind):
    oparl_type, path, model = "Meeting", "meeting", Meeting
    parts = (
        Part(AgendaItem, "meeting"),
        Part(File, "meeting"),
        Part(File, "agenda_item__meeting"),
        Part(Location, "pk", "location_id"),
    )
    #: Meeting files shown in a property of their own; the rest are auxiliary.
    FILE_ROLES = {
        "invitation": File.Role.INVITATION,
        "resultsProtocol": File.Role.RESULTS_PROTOCOL,
        "verbatimProtocol": File.Role.VERBATIM_PROTOCOL,
    }

    def public(self):
        return visibility.public_meetings()

    def select(self, inside):
        return ("location",)

    def references(self, inside):
        return [
            _refs("organizations", visibility.public_organizations()),
            _refs("participants", visibility.public_persons()),
        ]

    def embedded(self):
        return [_embedded("agenda_items", AGENDA_ITEM), _embedded("files", FILE)]

    def fields(self, meeting, out, inside):
        return {
            "name": meeting.name,
            "meetingState": meeting.meeting_state,
            "cancelled": meeting.cancelled,
            "start": when(meeting.start),
            "end": when(meeting.end),
            "organization": out.refs("organization", meeting.oparl_organizations),
            "participant": out.refs("person", meeting.oparl_participants),
        }

    def embeds(self, meeting, out):
        files = meeting.oparl_files
        single = {
            prop: out.one(FILE, _role(files, role))
            for prop, role in self.FILE_ROLES.items()
        }
        roles = set(self.FILE_ROLES.values())
        return {
            "location": out.one(LOCATION, alive(meeting.location)),
            **single,
            "auxiliaryFile": out.many(FILE, [f for f in files if f.role not in roles]),
            "agendaItem": out.many(AGENDA_ITEM, meeting.oparl_agenda_items),
        }

    def web(self, meeting, out):
        return out.addresses.web(meeting.body_id, meeting)


class AgendaItemKind(Kind):
    oparl_type, path, model = "AgendaItem", "agendaitem", AgendaItem
    parts = (Part(File, "agenda_item"),)

    def public(self):
        return visibility.public_agenda_items()

    def select(self, inside):
        # embedded in its meeting, the item already knows it
        return () if inside else ("meeting",)

    def single_references(self):
        consultations = visibility.public_consultations()
        return {"oparl_consultation": _public_id(consultations, "pk", "agenda_item")}

    def embedded(self):
        return [_embedded("files", FILE)]

    def fields(self, item, out, inside):
        meeting = item.meeting
        minutes = visibility.minutes_published(meeting)
        return {
            "meeting": out.ref("meeting", item.meeting_id),
            "number": item.number,
            "order": item.order,
            "name": item.name,
            "public": item.public,
            "consultation": out.ref("consultation", item.oparl_consultation),
            "result": (
                item.result_wording if visibility.result_public(meeting) else None
            ),
            "resolutionText": text_of(item.resolution_text) if minutes else None,
            "start": when(item.start),
            "end": when(item.end),
        }

    def embeds(self, item, out):
        files = item.oparl_files
        resolution = File.Role.RESOLUTION
        return {
            "resolutionFile": out.one(FILE, _role(files, resolution)),
            "auxiliaryFile": out.many(FILE, [f for f in files if f.role != resolution]),
        }

    def web(self, item, out):
        return out.addresses.web(item.meeting.body_id, item)


class PaperKind(Kind):
    oparl_type, path, model = "Paper", "paper", Paper
    parts = (
        Part(File, "paper"),
        Part(Consultation, "paper"),
        Part(Location, "papers"),
    )

    def public(self):
        return visibility.public_papers()

    def references(self, inside):
        papers = visibility.public_papers()
        organizations = visibility.public_organizations()
        return [
            _refs("related_papers", papers),
            _refs("superordinated_papers", papers),
            _refs("subordinated_papers", papers),
            _refs("originator_persons", visibility.public_persons()),
            _refs("under_direction_of", organizations),
            _refs("originator_organizations", organizations),
        ]

    def embedded(self):
        return [
            _embedded("files", FILE),
            _embedded("locations", LOCATION),
            _embedded("consultations", CONSULTATION),
        ]

    def fields(self, paper, out, inside):
        return {
            "body": out.ref("body", paper.body_id),
            "name": paper.name,
            "reference": paper.reference,
            "date": day(paper.date),
            "paperType": paper.paper_type,
            "relatedPaper": out.refs(self.path, paper.oparl_related_papers),
            "superordinatedPaper": out.refs(
                self.path, paper.oparl_superordinated_papers
            ),
            "subordinatedPaper": out.refs(self.path, paper.oparl_subordinated_papers),
            "originatorPerson": out.refs("person", paper.oparl_originator_persons),
            "underDirectionOf": out.refs(
                "organization", paper.oparl_under_direction_of
            ),
            "originatorOrganization": out.refs(
                "organization", paper.oparl_originator_organizations
            ),
        }

    def embeds(self, paper, out):
        files = paper.oparl_files
        main = File.Role.MAIN
        return {
            "mainFile": out.one(FILE, _role(files, main)),
            "auxiliaryFile": out.many(FILE, [f for f in files if f.role != main]),
            "location": out.many(LOCATION, paper.oparl_locations),
            "consultation": out.many(CONSULTATION, paper.oparl_consultations),
        }

    def web(self, paper, out):
        return out.addresses.web(paper.body_id, paper)


class ConsultationKind(Kind):
    oparl_type, path, model = "Consultation", "consultation", Consultation

    def public(self):
        return visibility.public_consultations()

    def references(self, inside):
        return [_refs("organizations", visibility.public_organizations())]

    def fields(self, consultation, out, inside):
        # public_consultations: paper, meeting and item, where set, are public
        return {
            "paper": out.ref("paper", consultation.paper_id),
            "agendaItem": out.ref("agendaitem", consultation.agenda_item_id),
            "meeting": out.ref("meeting", consultation.meeting_id),
            "organization": out.refs("organization", consultation.oparl_organizations),
            "authoritative": consultation.authoritative,
            "role": consultation.oparl_role,
        }


class FileKind(Kind):
    oparl_type, path, model = "File", "file", File

    def public(self):
        return visibility.public_files()

    def references(self, inside):
        return [_refs("derivative_files", visibility.public_files(), "master_file")]

    def single_references(self):
        return {"oparl_master": _public_id(visibility.public_files(), "master_file")}

    def queryset(self, base=None, *, embed=True, inside=False):
        queryset = super().queryset(base, embed=embed, inside=inside)
        # the full text only at the file itself, not in every meeting and paper
        return queryset.defer("text") if inside else queryset

    def fields(self, file, out, inside):
        # public_files: what the file is attached to is public
        return {
            "name": file.name,
            "fileName": file.file_name,
            "mimeType": file.mime_type,
            "date": day(file.date),
            "size": file.size,
            "sha1Checksum": file.sha1,
            "sha512Checksum": file.sha512,
            "text": None if inside else file.text,
            "accessUrl": out.addresses.file_content(file.pk, "access"),
            "downloadUrl": out.addresses.file_content(file.pk, "download"),
            "externalServiceUrl": file.external_service_url,
            "masterFile": out.ref(self.path, file.oparl_master),
            "derivativeFile": out.refs(self.path, file.oparl_derivative_files),
            "fileLicense": file.file_license,
            **({} if inside else self._owners(file, out)),
        }

    @staticmethod
    def _owners(file, out) -> dict:
        owners = {
            "meeting": ("meeting", file.meeting_id),
            "agendaItem": ("agendaitem", file.agenda_item_id),
            "paper": ("paper", file.paper_id),
        }
        return {
            prop: [out.ref(path, pk)]
            for prop, (path, pk) in owners.items()
            if pk is not None
        }

    def web(self, file, out):
        return out.addresses.web(file.body_id, file)


class LocationKind(Kind):
    oparl_type, path, model = "Location", "location", Location
    #: Back-references of a location that is not embedded: property →
    #: (type path, public queryset, the foreign key the prefetch matches on).
    USERS = {
        "organizations": (
            "organization",
            visibility.public_organizations,
            ("location",),
        ),
        "persons": (
            "person",
            lambda: visibility.public_persons().filter(location_public=True),
            ("location",),
        ),
        "meetings": ("meeting", visibility.public_meetings, ("location",)),
        "papers": ("paper", visibility.public_papers, ()),
    }

    def public(self):
        return visibility.public_locations()

    def references(self, inside):
        if inside:
            return []
        return [
            _refs(prop, users(), *keys) for prop, (_, users, keys) in self.USERS.items()
        ]

    def attach(self, objects, out):
        # Body.location has no reverse relation to prefetch.
        bodies = visibility.public_bodies().filter(location__in=objects)
        by_location = {}
        for body_id, location_id in bodies.values_list("pk", "location_id"):
            by_location.setdefault(location_id, []).append(body_id)
        for location in objects:
            location.oparl_bodies = by_location.get(location.pk, [])

    def fields(self, location, out, inside):
        data = {
            "description": location.description,
            "geojson": location.geojson,
            "streetAddress": location.street_address,
            "room": location.room,
            "postalCode": location.postal_code,
            "subLocality": location.sub_locality,
            "locality": location.locality,
        }
        if not inside:
            data["bodies"] = [
                out.ref("body", pk) for pk in getattr(location, "oparl_bodies", ())
            ]
            for prop, (path, _, _) in self.USERS.items():
                data[prop] = out.refs(path, getattr(location, f"oparl_{prop}"))
        return data


BODY = BodyKind()
LEGISLATIVE_TERM = LegislativeTermKind()
ORGANIZATION = OrganizationKind()
PERSON = PersonKind()
MEMBERSHIP = MembershipKind()
MEETING = MeetingKind()
AGENDA_ITEM = AgendaItemKind()
PAPER = PaperKind()
CONSULTATION = ConsultationKind()
FILE = FileKind()
LOCATION = LocationKind()

#: Every type by the segment of its addresses.
KINDS = {
    kind.path: kind
    for kind in (
        BODY,
        LEGISLATIVE_TERM,
        ORGANIZATION,
        PERSON,
        MEMBERSHIP,
        MEETING,
        AGENDA_ITEM,
        PAPER,
        CONSULTATION,
        FILE,
        LOCATION,
    )
}


def system(out: Output) -> dict:
    """The System object: the entry point, one per installation."""
    times = visibility.public_bodies().aggregate(
        created=Min("created"), modified=Max("modified")
    )
    data = {
        "id": out.addresses.system(),
        "type": SCHEMA + "System",
        "oparlVersion": SCHEMA,
        "body": out.addresses.body_list(),
        "name": getattr(settings, "WAGTAIL_SITE_NAME", "") or "Gremienportal",
        "website": out.addresses.website(),
        # who runs the installation, where it says so (optional settings)
        "contactEmail": getattr(settings, "GREMIEN_OPARL_CONTACT_EMAIL", ""),
        "contactName": getattr(settings, "GREMIEN_OPARL_CONTACT_NAME", ""),
        "created": when(times["created"]),
        "modified": when(times["modified"]),
    }
    return {key: value for key, value in data.items() if value not in EMPTY}

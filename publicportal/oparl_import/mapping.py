"""From a foreign OParl object to the fields of our model.

One function per type: ``(data, context, resolver, existing) → fields`` where
``fields`` maps model attribute names (``location_id`` for a foreign key) to
the values to store, or a :class:`Skip` with the reason the object cannot be
stored. References are resolved through ``resolver`` (original id → our
primary key); one that resolves to nothing is left empty and counted.

The mapping is the inverse of what our own API emits (``meetingState``,
``result``, consultation ``role``, membership ``role``, ``paperType`` and
``organizationType``/``classification`` come back as the values they were
made from), so that importing our own API yields the same public data.
Everything else is a decision for foreign data; ``docs/decisions.md`` records
the reasons.
"""

import datetime as dt
import mimetypes
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.utils.html import escape

from publicportal.visibility import AGENDA_PUBLISHED_STATES

from .schema import (
    AgendaItem,
    Body,
    Consultation,
    File,
    Meeting,
    Membership,
    Organization,
    Paper,
)
from .values import (
    boolean,
    date_value,
    datetime_value,
    digits_key,
    email_value,
    integer,
    line,
    ref,
    refs,
    text,
    texts,
    truncate,
    url_value,
)


@dataclass(frozen=True)
class Skip:
    """The object is not stored; ``reason`` is a code of :mod:`.report`."""

    reason: str


class Resolver(Protocol):
    body: Body
    now: dt.datetime

    def resolve(
        self, target: str, external_id: str | None, label: str | None
    ) -> int | None:
        """Our primary key of the ``target`` object with ``external_id``;
        ``None`` (and counted under ``label``) if there is none."""

    def organization_name(self, external_id: str) -> str: ...


def common(data: dict) -> dict:
    """Fields every OParl object has. ``created`` only when the source has it:
    the source's creation time is kept, ours is only the fallback."""
    fields = {
        "keywords": texts(data, "keyword", 200),
        "license": url_value(data, "license", 500),
    }
    created = datetime_value(data, "created")
    if created is not None:
        fields["created"] = created
    return fields


def _end(start, end):
    """An end before its start is dropped (the models refuse it)."""
    return end if start is None or end is None or end >= start else None


def _tail(external_id: str) -> str:
    return external_id.rstrip("/").rsplit("/", 1)[-1][:40]


# --- gremien ---------------------------------------------------------------

BODY_CLASSIFICATION_WORDS = (
    ("zweckverband", Body.Classification.ASSOCIATION),
    ("stadt", Body.Classification.CITY),
    ("gemeinde", Body.Classification.MUNICIPALITY),
    ("markt", Body.Classification.MUNICIPALITY),
    ("kreis", Body.Classification.DISTRICT),
)


def body_classification(classification: str, name: str) -> str:
    """Our classification from the source's word, else from the name
    (``Stadt Jülich``, ``Landkreis …``); unknown words become ``Sonstige``."""
    for value in Body.Classification.values:
        if classification.lower() == value.lower():
            return value
    for word in (classification, name):
        for needle, value in BODY_CLASSIFICATION_WORDS:
            if needle in word.lower():
                return value
    return (
        Body.Classification.OTHER
        if classification
        else Body.Classification.MUNICIPALITY
    )


def body_name(data: dict) -> str:
    return (
        text(data, "name", 255)
        or text(data, "shortName", 255)
        or text(data, "contactName", 255)
        or _tail(data.get("id", ""))
    )


def map_body(data, context, resolver, existing) -> dict:
    name = body_name(data)
    return {
        "name": name,
        "short_name": text(data, "shortName", 100),
        "ags": digits_key(data.get("ags"), 8),
        "rgs": digits_key(data.get("rgs"), 12),
        "website": url_value(data, "website", 200),
        "contact_email": email_value(data, "contactEmail"),
        "contact_name": text(data, "contactName", 255),
        "classification": body_classification(text(data, "classification"), name),
        "equivalent": [
            value
            for value in texts(data, "equivalent")
            if value.startswith(("http://", "https://"))
        ],
        "license_valid_since": datetime_value(data, "licenseValidSince"),
        "oparl_since": datetime_value(data, "oparlSince"),
        "location_id": resolver.resolve(
            "Location", ref(data, "location"), "Body.location"
        ),
        **common(data),
    }


def map_location(data, context, resolver, existing) -> dict:
    geojson = data.get("geojson")
    return {
        "body_id": resolver.body.pk,
        "description": line(data, "description", 500),
        "street_address": line(data, "streetAddress", 255),
        "room": line(data, "room", 255),
        "postal_code": text(data, "postalCode", 10),
        "sub_locality": line(data, "subLocality", 255),
        "locality": line(data, "locality", 255),
        "geojson": geojson if isinstance(geojson, dict) and geojson else None,
        **common(data),
    }


def map_legislative_term(data, context, resolver, existing) -> dict | Skip:
    start = date_value(data, "startDate")
    if start is None:
        return Skip("term_without_start")
    end = _end(start, date_value(data, "endDate"))
    name = line(data, "name", 255) or (
        f"Wahlperiode {start.year}–{end.year}"
        if end
        else f"Wahlperiode ab {start.year}"
    )
    return {
        "body_id": resolver.body.pk,
        "name": name,
        "start_date": start,
        "end_date": end,
        **common(data),
    }


Kind = Organization.Kind
#: organizationType values other than "Gremium", lower case → kind.
ORGANIZATION_TYPES = {
    "fraktion": Kind.FRACTION,
    "partei": Kind.PARTY,
    "verwaltungsbereich": Kind.DEPARTMENT,
    "verwaltung": Kind.DEPARTMENT,
    "dienststelle": Kind.DEPARTMENT,
    "dienststellen": Kind.DEPARTMENT,
    "externes gremium": Kind.EXTERNAL,
    "institution": Kind.EXTERNAL,
    "sonstiges": Kind.OTHER,
}
#: Words of a committee's classification or name, checked in this order.
COMMITTEE_WORDS = (
    ("hauptorgan", Kind.COUNCIL),
    ("unterausschuss", Kind.SUBCOMMITTEE),
    ("bezirksvertretung", Kind.DISTRICT_COUNCIL),
    ("bezirksausschuss", Kind.DISTRICT_COUNCIL),
    ("ortsbeirat", Kind.DISTRICT_COUNCIL),
    ("ortschaftsrat", Kind.DISTRICT_COUNCIL),
    ("stadtbezirksrat", Kind.DISTRICT_COUNCIL),
    ("beirat", Kind.ADVISORY_BOARD),
    ("ausschuss", Kind.COMMITTEE),
    ("kommission", Kind.COMMITTEE),
    ("kreistag", Kind.COUNCIL),
    ("gemeinderat", Kind.COUNCIL),
    ("stadtrat", Kind.COUNCIL),
    ("stadtverordnetenversammlung", Kind.COUNCIL),
    ("gemeindevertretung", Kind.COUNCIL),
    ("rat der", Kind.COUNCIL),
    ("bürgerschaft", Kind.COUNCIL),
    ("fraktion", Kind.FRACTION),
)


def organization_kind(organization_type: str, classification: str, name: str) -> str:
    """Our kind from ``organizationType``, refined by ``classification`` and
    name. Our own API's pairs (``Gremium``/``Ausschuss`` …) map back exactly."""
    for kind, label in Organization.DEFAULT_CLASSIFICATIONS.items():
        if (
            classification == label
            and organization_type.lower() == Organization.OPARL_TYPES[kind].lower()
        ):
            return kind
    found = ORGANIZATION_TYPES.get(organization_type.lower())
    if found is not None:
        return found
    for value in (classification, name):
        for word, kind in COMMITTEE_WORDS:
            if word in value.lower():
                return kind
    if name.strip().lower() == "rat" or name.lower().startswith("rat "):
        return Kind.COUNCIL
    if organization_type.lower() == "gremium":
        return Kind.COMMITTEE
    return Kind.OTHER


def map_organization(data, context, resolver, existing) -> dict:
    name = (
        line(data, "name", 255)
        or line(data, "shortName", 255)
        or line(data, "classification", 255)
        or _tail(data["id"])
    )
    classification = line(data, "classification", 100)
    kind = organization_kind(text(data, "organizationType"), classification, name)
    if classification == Organization.DEFAULT_CLASSIFICATIONS.get(kind):
        classification = ""
    start = date_value(data, "startDate")
    external_body = ref(data, "externalBody") or ""
    return {
        "body_id": resolver.body.pk,
        "name": name,
        "short_name": line(data, "shortName", 50),
        "kind": kind,
        "classification": classification,
        "posts": texts(data, "post", 255),
        "start_date": start,
        "end_date": _end(start, date_value(data, "endDate")),
        "website": url_value(data, "website", 200),
        "location_id": resolver.resolve(
            "Location", ref(data, "location"), "Organization.location"
        ),
        "external_body": external_body
        if external_body.startswith(("http://", "https://"))
        and len(external_body) <= 500
        else "",
        **common(data),
    }


FORMS_OF_ADDRESS = {"herr", "frau", "hr.", "fr.", "herrn"}
NAME_AFFIXES = {"von", "van", "de", "der", "den", "zu", "vom", "zum", "ten", "ter"}
_TITLE = re.compile(r"^(dr|prof|dipl|mag|ing|med|jur|rer|phil)\b[.\-]", re.IGNORECASE)


def _name_words(data: dict) -> list[str]:
    """The words of ``name`` without form of address and academic titles;
    ``Huppertz, Peter`` is read as ``Peter Huppertz``."""
    name = line(data, "name")
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        name = f"{given} {family}"
    titles = {title.lower() for title in texts(data, "title")}
    skip = FORMS_OF_ADDRESS | titles | {line(data, "formOfAddress").lower()}
    return [
        word
        for word in name.split()
        if word.lower() not in skip and not _TITLE.match(word)
    ]


def _without(words: list[str], part: str, *, at_end: bool) -> list[str]:
    part_words = part.split()
    size = len(part_words)
    if at_end and words[-size:] == part_words:
        return words[:-size]
    if not at_end and words[:size] == part_words:
        return words[size:]
    return [word for word in words if word not in part_words]


def person_names(data: dict) -> tuple[str, str]:
    """Given and family name; split from ``name`` where the parts are
    missing (``Herr Dr. Peter von Huppertz`` → ``Peter``, ``von Huppertz``)."""
    given = line(data, "givenName", 150)
    family = line(data, "familyName", 150)
    if given and family:
        return given, family
    words = _name_words(data)
    if not words:
        return given, family or _tail(data["id"])
    if family:
        return truncate(" ".join(_without(words, family, at_end=True)), 150), family
    if given:
        rest = _without(words, given, at_end=False)
        return given, truncate(" ".join(rest) or words[-1], 150)
    split = len(words) - 1
    while split > 1 and words[split - 1].lower() in NAME_AFFIXES:
        split -= 1
    return (
        truncate(" ".join(words[:split]), 150),
        truncate(" ".join(words[split:]), 150),
    )


GENDERS = {
    "male": "male",
    "männlich": "male",
    "m": "male",
    "female": "female",
    "weiblich": "female",
    "w": "female",
    "f": "female",
}


def map_person(data, context, resolver, existing) -> dict:
    given, family = person_names(data)
    gender = text(data, "gender").lower()
    # Contact data that the source published is public here as well.
    return {
        "body_id": resolver.body.pk,
        "given_name": given,
        "family_name": family,
        "form_of_address": line(data, "formOfAddress", 50),
        "title": texts(data, "title", 50),
        "affix": line(data, "affix", 50),
        "gender": GENDERS.get(gender, "other" if gender not in ("", "unknown") else ""),
        "phone": texts(data, "phone", 100),
        "email": texts(data, "email", 254),
        "location_id": resolver.resolve(
            "Location", ref(data, "location"), "Person.location"
        ),
        "status": texts(data, "status", 255),
        "life": text(data, "life"),
        "life_source": line(data, "lifeSource", 255),
        "phone_public": True,
        "email_public": True,
        "location_public": True,
        "life_public": True,
        **common(data),
    }


MembershipKind = Membership.Kind
#: The German role our own API emits for a membership without one.
DEFAULT_MEMBERSHIP_ROLES = {
    MembershipKind.MEMBER: "Mitglied",
    MembershipKind.DEPUTY: "Stellvertretendes Mitglied",
    MembershipKind.CITIZEN_MEMBER: "Sachkundige/r Bürger/in",
    MembershipKind.ADVISORY: "Beratendes Mitglied",
}
_DEPUTY = re.compile(r"stell?v|vertret", re.IGNORECASE)
#: A deputy of an office is a member holding that office, not a deputy member.
_OFFICE = re.compile(
    r"vorsitz|vorsteher|bürgermeister|landrat|präsident|sprecher|leiter|"
    r"schriftführer|obmann|obfrau",
    re.IGNORECASE,
)


def membership_kind(role: str) -> str:
    """Sachkundige/r Bürger/in → citizen member, Stellvertreter (but not a
    deputy chair) → deputy, beratend → advisory, else member. Never staff:
    imported memberships were public at the source."""
    if _DEPUTY.search(role) and not _OFFICE.search(role):
        return MembershipKind.DEPUTY
    if "sachkundig" in role.lower():
        return MembershipKind.CITIZEN_MEMBER
    if "beratend" in role.lower():
        return MembershipKind.ADVISORY
    return MembershipKind.MEMBER


def map_membership(data, context, resolver, existing) -> dict | Skip:
    person = resolver.resolve(
        "Person", ref(data, "person") or context.get("person"), "Membership.person"
    )
    if person is None:
        return Skip("membership_without_person")
    organization = resolver.resolve(
        "Organization", ref(data, "organization"), "Membership.organization"
    )
    if organization is None:
        return Skip("membership_without_organization")
    role = line(data, "role", 150)
    kind = membership_kind(role)
    if role == DEFAULT_MEMBERSHIP_ROLES.get(kind):
        role = ""
    start = date_value(data, "startDate")
    return {
        "person_id": person,
        "organization_id": organization,
        "kind": kind,
        "role": role,
        "voting_right": boolean(data, "votingRight", True),
        "start_date": start,
        "end_date": _end(start, date_value(data, "endDate")),
        "on_behalf_of_id": resolver.resolve(
            "Organization", ref(data, "onBehalfOf"), "Membership.onBehalfOf"
        ),
        **common(data),
    }


# --- sessions --------------------------------------------------------------

MEETING_STATES = {label.lower(): state for state, label in Meeting.OPARL_STATES.items()}
#: States whose minutes the source may already have published with the meeting.
HELD_OR_EARLIER = (
    Meeting.State.INVITED,
    Meeting.State.RUNNING,
    Meeting.State.HELD,
    Meeting.State.MINUTES_DRAFTED,
    Meeting.State.MINUTES_SIGNED,
)


def meeting_state(data: dict, context: dict, start: dt.datetime, now) -> str:
    """Our state: the source's ``meetingState`` where it is one of ours
    (round trip), else from what the source shows. A source that publishes
    minutes (protocol files, resolution texts) of a meeting in the past has
    published them: ``published``."""
    state = MEETING_STATES.get(line(data, "meetingState").lower())
    if boolean(data, "cancelled", False):
        return Meeting.State.CANCELLED
    has_minutes = bool(
        data.get("resultsProtocol")
        or data.get("verbatimProtocol")
        or context.get("minutes")
    )
    if state is not None:
        if state in HELD_OR_EARLIER and start <= now and has_minutes:
            return Meeting.State.PUBLISHED
        return state
    if start <= now:
        return Meeting.State.PUBLISHED
    if data.get("agendaItem") or data.get("invitation"):
        return Meeting.State.INVITED
    return Meeting.State.PLANNED


def map_meeting(data, context, resolver, existing) -> dict | Skip:
    start = datetime_value(data, "start")
    if start is None:
        return Skip("meeting_without_start")
    state = meeting_state(data, context, start, resolver.now)
    invitation_sent_at = None
    if state in AGENDA_PUBLISHED_STATES or state == Meeting.State.CANCELLED:
        # The agenda was published: the invitation went out (when exactly,
        # the source does not say; its creation time or the start).
        created = datetime_value(data, "created")
        invitation_sent_at = (
            existing.invitation_sent_at
            if existing is not None and existing.invitation_sent_at
            else created
            if created is not None and created <= start
            else start
        )
    organizations = refs(data, "organization")
    name = line(data, "name", 500) or (
        resolver.organization_name(organizations[0]) if organizations else ""
    )
    return {
        "body_id": resolver.body.pk,
        "name": name or "Sitzung",
        "start": start,
        "end": _end(start, datetime_value(data, "end")),
        "location_id": resolver.resolve(
            "Location", ref(data, "location"), "Meeting.location"
        ),
        "state": state,
        "invitation_sent_at": invitation_sent_at,
        "public": True,
        **common(data),
    }


RESULTS = {label.lower(): result for result, label in AgendaItem.OPARL_RESULTS.items()}


def resolution_html(value: str) -> str:
    """Plain text as rich text: one paragraph per line."""
    lines = [part.strip() for part in value.replace("\r", "").split("\n")]
    return "".join(f"<p>{escape(part)}</p>" for part in lines if part)


def map_agenda_item(data, context, resolver, existing) -> dict | Skip:
    meeting = resolver.resolve(
        "Meeting", ref(data, "meeting") or context.get("meeting"), "AgendaItem.meeting"
    )
    if meeting is None:
        return Skip("agenda_item_without_meeting")
    order = integer(data, "order")
    if order is None or order < 0:
        order = context.get("position", 0)
    wording = line(data, "result", 500)
    result = RESULTS.get(wording.lower(), "")
    start = datetime_value(data, "start")
    number = line(data, "number", 20)
    return {
        "meeting_id": meeting,
        "number": number,
        "order": order,
        "name": line(data, "name", 500) or number or "Tagesordnungspunkt",
        "public": boolean(data, "public", True),
        "result": result,
        "result_text": "" if result else wording,
        "resolution_text": resolution_html(text(data, "resolutionText")),
        "start": start,
        "end": _end(start, datetime_value(data, "end")),
        **common(data),
    }


CONSULTATION_ROLES = {
    "vorberatung": Consultation.Role.PRELIMINARY,
    "vorberatend": Consultation.Role.PRELIMINARY,
    "entscheidung": Consultation.Role.DECIDING,
    "beschlussfassung": Consultation.Role.DECIDING,
    "beschließend": Consultation.Role.DECIDING,
    "entscheidend": Consultation.Role.DECIDING,
    "kenntnisnahme": Consultation.Role.INFORMATION,
    "zur kenntnis": Consultation.Role.INFORMATION,
    "anhörung": Consultation.Role.HEARING,
}


def map_consultation(data, context, resolver, existing) -> dict | Skip:
    paper = resolver.resolve(
        "Paper", ref(data, "paper") or context.get("paper"), "Consultation.paper"
    )
    if paper is None:
        return Skip("consultation_without_paper")
    return {
        "paper_id": paper,
        "position": context.get("position", 1),
        "meeting_id": resolver.resolve(
            "Meeting", ref(data, "meeting"), "Consultation.meeting"
        ),
        "agenda_item_id": resolver.resolve(
            "AgendaItem", ref(data, "agendaItem"), "Consultation.agendaItem"
        ),
        "role": CONSULTATION_ROLES.get(line(data, "role").lower(), ""),
        "authoritative": boolean(data, "authoritative", False),
        **common(data),
    }


# --- documents -------------------------------------------------------------

PaperTypes = Paper._meta.get_field("paper_type").choices
#: Other names of our paper types (lower case): the same thing, so the
#: original word is not kept.
PAPER_TYPE_SYNONYMS = {
    "beschlussvorlage": "Beschlussvorlage",
    "vorlage": "Beschlussvorlage",
    "verwaltungsvorlage": "Beschlussvorlage",
    "sitzungsvorlage": "Beschlussvorlage",
    "beschlussvorschlag": "Beschlussvorlage",
    "antrag": "Antrag",
    "anfrage": "Anfrage",
    "beantwortung": "Beantwortung",
    "antwort": "Beantwortung",
    "beantwortung einer anfrage": "Beantwortung",
    "mitteilung": "Mitteilung",
    "mitteilungsvorlage": "Mitteilung",
    "informationsvorlage": "Mitteilung",
    "information": "Mitteilung",
    "bekanntgabe": "Mitteilung",
    "mitteilung der verwaltung": "Mitteilung",
    "stellungnahme": "Stellungnahme",
    "bericht": "Bericht",
    "berichtsvorlage": "Bericht",
    "dringlichkeitsvorlage": "Dringlichkeitsvorlage",
    "änderungsantrag": "Änderungsantrag",
}
#: Words of a paper type we have no synonym for → the nearest type; the
#: original word is kept as a keyword.
PAPER_TYPE_WORDS = (
    ("änderung", "Änderungsantrag"),
    ("ergänzungsantrag", "Änderungsantrag"),
    ("dringlich", "Dringlichkeitsvorlage"),
    ("eil", "Dringlichkeitsvorlage"),
    ("antwort", "Beantwortung"),
    ("anfrage", "Anfrage"),
    ("frage", "Anfrage"),
    ("antrag", "Antrag"),
    ("stellungnahme", "Stellungnahme"),
    ("bericht", "Bericht"),
    ("mitteilung", "Mitteilung"),
    ("information", "Mitteilung"),
    ("kenntnis", "Mitteilung"),
)
#: Paper types that are taken note of rather than decided.
NOTED_TYPES = {"Mitteilung", "Bericht", "Beantwortung"}


def paper_type(value: str) -> tuple[str, str]:
    """Our paper type and the original word to keep as a keyword (``""`` if
    the type says the same): ``Mitteilungsvorlage`` → ``Mitteilung``,
    ``Tischvorlage`` → ``Beschlussvorlage`` + keyword ``Tischvorlage``."""
    if not value:
        return Paper._meta.get_field("paper_type").default, ""
    for choice, _label in PaperTypes:
        if value.lower() == choice.lower():
            return choice, ""
    synonym = PAPER_TYPE_SYNONYMS.get(value.lower())
    if synonym:
        return synonym, ""
    for word, choice in PAPER_TYPE_WORDS:
        if word in value.lower():
            return choice, value
    return Paper._meta.get_field("paper_type").default, value


def map_paper(data, context, resolver, existing) -> dict:
    kind, original = paper_type(line(data, "paperType", 100))
    keywords = texts(data, "keyword", 200)
    if original and original not in keywords:
        keywords.append(original)
    created = datetime_value(data, "created")
    day = date_value(data, "date") or (
        created.astimezone(resolver.now.tzinfo).date() if created else None
    )
    if day is None:
        day = existing.date if existing is not None else resolver.now.date()
    released_at = (
        existing.released_at
        if existing is not None and existing.released_at
        else created or dt.datetime.combine(day, dt.time(), tzinfo=resolver.now.tzinfo)
    )
    fields = {
        "body_id": resolver.body.pk,
        "name": line(data, "name", 500) or line(data, "reference", 500) or "Vorlage",
        "date": day,
        "paper_type": kind,
        "public": True,
        "released_at": released_at,
        **common(data),
        "keywords": keywords,
    }
    if existing is None:
        fields["state"] = Paper.State.RELEASED
    return fields


def file_name_of(data: dict) -> str:
    """``fileName``, else the last part of the access URL, else the name."""
    name = line(data, "fileName")
    if not name:
        for key in ("accessUrl", "downloadUrl"):
            path = urlsplit(text(data, key)).path
            candidate = unquote(path.rstrip("/").rsplit("/", 1)[-1]) if path else ""
            if "." in candidate:
                name = candidate
                break
    return truncate(name or line(data, "name") or "datei", 255)


def file_owner(data: dict, context: dict) -> tuple[str, str] | None:
    """The object a file is attached to: where it was embedded, else the
    first of its own ``paper``, ``meeting``, ``agendaItem`` references."""
    owner = context.get("owner")
    if owner:
        return owner[0], owner[1]
    for key, owner_type in (
        ("paper", "Paper"),
        ("meeting", "Meeting"),
        ("agendaItem", "AgendaItem"),
    ):
        found = refs(data, key)
        if found:
            return owner_type, found[0]
    return None


OWNER_FIELDS = {
    "Paper": "paper_id",
    "Meeting": "meeting_id",
    "AgendaItem": "agenda_item_id",
}


def map_file(data, context, resolver, existing) -> dict | Skip:
    owner = file_owner(data, context)
    # A file without its owner is skipped as a whole (counted as such).
    owner_pk = resolver.resolve(owner[0], owner[1], None) if owner else None
    if owner_pk is None:
        return Skip("file_without_owner")
    file_name = file_name_of(data)
    mime_type = (
        line(data, "mimeType", 100)
        or mimetypes.guess_type(file_name)[0]
        or "application/octet-stream"
    )
    fields = {
        "body_id": resolver.body.pk,
        "name": line(data, "name", 500) or file_name,
        "file_name": file_name,
        "mime_type": mime_type,
        "date": date_value(data, "date"),
        "role": context.get("role") or File.Role.ATTACHMENT,
        "order": context.get("position", 0),
        "restricted": False,
        "external_service_url": url_value(data, "externalServiceUrl", 500),
        "file_license": url_value(data, "fileLicense", 500),
        "source_url": url_value(data, "accessUrl") or url_value(data, "downloadUrl"),
        **dict.fromkeys(OWNER_FIELDS.values()),
        OWNER_FIELDS[owner[0]]: owner_pk,
        **common(data),
    }
    has_content = existing is not None and bool(existing.content)
    if not has_content:
        # Without content the source's figures stand; with it, ours.
        fields["size"] = max(integer(data, "size") or 0, 0)
        fields["sha1"] = text(data, "sha1Checksum", 40).lower()
        fields["sha512"] = text(data, "sha512Checksum", 128).lower()
    if text(data, "text") or not has_content:
        # The text extracted from downloaded content stays unless the
        # source states one.
        fields["text"] = text(data, "text")
    return fields


MAPPERS = {
    "Body": map_body,
    "Location": map_location,
    "LegislativeTerm": map_legislative_term,
    "Organization": map_organization,
    "Person": map_person,
    "Membership": map_membership,
    "Meeting": map_meeting,
    "AgendaItem": map_agenda_item,
    "Paper": map_paper,
    "Consultation": map_consultation,
    "File": map_file,
}

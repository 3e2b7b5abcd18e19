"""The full-text index of the portal: one :class:`SearchEntry` per public object.

Only objects in the querysets of :mod:`publicportal.visibility` get an entry;
an object that stops being public loses it. Entries are written with
``bulk_create`` (upsert on ``kind, object_id``); on PostgreSQL their
``search_vector`` is computed in SQL (one UPDATE per batch) and searched
directly (:mod:`publicportal.search.postgres`), elsewhere they are handed to
the search backends with ``add_bulk`` (Elasticsearch/OpenSearch always, on
every database); they are removed with ``QuerySet.delete()``, whose
``post_delete`` signals make Wagtail's search remove the index documents
(``remove_object``) and whose generic relation removes the database backend's
rows. Entries are never ``save()``d one by one: Wagtail's auto-update
(``insert_or_update_object``) only adds, it never removes an object that left
the index (see ``ARCHITECTURE.md``).

- :func:`index_objects` recomputes the entries of some objects of one kind;
- :func:`index_related` names the objects whose entries depend on a changed
  object (a meeting: its agenda items and files …);
- :func:`index_rebuild` recomputes everything, in batches.
"""

import datetime as dt
import html
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry

from documents.models import File, Paper
from gremien.models import Body, Membership, Organization, Person
from sessions.models import AgendaItem, Consultation, Meeting

from . import visibility
from .models import SearchEntry
from .search import is_database_backend, uses_postgres

logger = logging.getLogger(__name__)

Kind = SearchEntry.Kind
#: Objects computed and written per round trip.
BATCH_SIZE = 2000
#: Extracted text of one file kept in the index (PostgreSQL's tsvector
#: holds at most 1 MB; the first pages carry what people search for).
MAX_FILE_TEXT = 200_000
UPDATE_FIELDS = ["body", "title", "text", "date", "year", "organization"]


# --- text helpers ----------------------------------------------------------

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")


def plain_text(value: str | None) -> str:
    """Rich text as plain text: tags removed, entities decoded, spaces folded.
    A regular expression, not an HTML parser: the input is the editor's own
    well-formed HTML, the output only feeds the index (shown escaped), and a
    rebuild strips hundreds of thousands of texts."""
    if not value:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()


def _join(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


def _local_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def _entry(kind: str, object_id: int, body_id: int, title: str, text: str = "",
           date=None, organization_id=None) -> SearchEntry:  # fmt: skip
    date = _local_date(date)
    return SearchEntry(
        kind=kind,
        object_id=object_id,
        body_id=body_id,
        title=(title or "")[:500],
        text=text,
        date=date,
        year=date.year if date else None,
        organization_id=organization_id,
    )


# --- primary organizations -------------------------------------------------


def _meeting_organizations(meeting_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """``meeting id -> [(organization id, name), …]`` of public organizations."""
    through = Meeting.organizations.through
    rows = (
        through.objects.filter(
            meeting_id__in=list(meeting_ids),
            organization__in=visibility.public_organizations(),
        )
        .order_by("meeting_id", "organization__name")
        .values_list("meeting_id", "organization_id", "organization__name")
    )
    result = defaultdict(list)
    for meeting_id, organization_id, name in rows:
        result[meeting_id].append((organization_id, name))
    return result


def _paper_organizations(paper_ids: Iterable[int]) -> dict[int, int]:
    """``paper id -> organization id``: the deciding body of its public
    consultation path, else the first organization consulted."""
    rows = (
        visibility.public_consultations()
        .filter(
            paper_id__in=list(paper_ids),
            organizations__in=visibility.public_organizations(),
        )
        .order_by("paper_id", "position")
        .values_list("paper_id", "role", "organizations")
    )
    result: dict[int, int] = {}
    deciding: set[int] = set()
    for paper_id, role, organization_id in rows:
        if paper_id in deciding:
            continue
        if role == Consultation.Role.DECIDING:
            result[paper_id] = organization_id
            deciding.add(paper_id)
        else:
            result.setdefault(paper_id, organization_id)
    return result


# --- one builder per kind --------------------------------------------------


def _papers(queryset: QuerySet) -> list[SearchEntry]:
    rows = list(
        queryset.values(
            "pk", "body_id", "name", "reference", "date",
            "facts", "proposal", "financial_impact",
        )
    )  # fmt: skip
    organizations = _paper_organizations(row["pk"] for row in rows)
    return [
        _entry(
            Kind.PAPER,
            row["pk"],
            row["body_id"],
            row["name"],
            _join(
                row["reference"],
                plain_text(row["facts"]),
                plain_text(row["proposal"]),
                plain_text(row["financial_impact"]),
            ),
            row["date"],
            organizations.get(row["pk"]),
        )
        for row in rows
    ]


def _meetings(queryset: QuerySet) -> list[SearchEntry]:
    rows = list(
        queryset.values(
            "pk", "body_id", "name", "start",
            "location__description", "location__street_address",
            "location__locality",
        )
    )  # fmt: skip
    organizations = _meeting_organizations(row["pk"] for row in rows)
    entries = []
    for row in rows:
        orgs = organizations.get(row["pk"], [])
        text = _join(
            ", ".join(name for _pk, name in orgs),
            row["location__description"],
            row["location__street_address"],
            row["location__locality"],
        )
        first = orgs[0][0] if orgs else None
        entries.append(
            _entry(
                Kind.MEETING,
                row["pk"],
                row["body_id"],
                row["name"],
                text,
                row["start"],
                first,
            )  # fmt: skip
        )
    return entries


def _agenda_items(queryset: QuerySet) -> list[SearchEntry]:
    rows = list(
        queryset.values(
            "pk", "number", "name", "resolution_text", "meeting_id",
            "meeting__body_id", "meeting__name", "meeting__start",
            "meeting__state", "meeting__public", "meeting__deleted_at",
        )
    )  # fmt: skip
    organizations = _meeting_organizations({row["meeting_id"] for row in rows})
    references = dict(
        visibility.public_consultations()
        .filter(agenda_item_id__in=[row["pk"] for row in rows])
        .values_list("agenda_item_id", "paper__reference")
    )
    entries = []
    for row in rows:
        meeting = SimpleNamespace(
            public=row["meeting__public"],
            deleted_at=row["meeting__deleted_at"],
            state=row["meeting__state"],
        )
        resolution = (
            plain_text(row["resolution_text"])
            if visibility.minutes_published(meeting)
            else ""
        )
        orgs = organizations.get(row["meeting_id"], [])
        text = _join(
            f"TOP {row['number']}" if row["number"] else "",
            references.get(row["pk"]),
            row["meeting__name"],
            resolution,
        )
        entries.append(
            _entry(
                Kind.AGENDA_ITEM,
                row["pk"],
                row["meeting__body_id"],
                row["name"],
                text,
                row["meeting__start"],
                orgs[0][0] if orgs else None,
            )  # fmt: skip
        )
    return entries


def _organizations(queryset: QuerySet) -> list[SearchEntry]:
    rows = queryset.values(
        "pk", "body_id", "name", "short_name", "classification", "start_date"
    )
    return [
        _entry(
            Kind.ORGANIZATION,
            row["pk"],
            row["body_id"],
            row["name"],
            _join(row["short_name"], row["classification"]),
            None,
            row["pk"],
        )
        for row in rows
    ]


def _persons(queryset: QuerySet) -> list[SearchEntry]:
    rows = list(
        queryset.values(
            "pk", "body_id", "title", "given_name", "affix", "family_name", "status"
        )
    )
    memberships = (
        visibility.public_memberships()
        .filter(person_id__in=[row["pk"] for row in rows], end_date__isnull=True)
        .order_by("person_id", "organization__name")
        .values_list("person_id", "organization_id")
    )
    organization = {}
    for person_id, organization_id in memberships:
        organization.setdefault(person_id, organization_id)
    entries = []
    for row in rows:
        name = " ".join(
            part
            for part in (
                *(row["title"] or []),
                row["given_name"],
                row["affix"],
                row["family_name"],
            )
            if part
        )
        status = ", ".join(row["status"] or [])
        entries.append(
            _entry(
                Kind.PERSON,
                row["pk"],
                row["body_id"],
                name,
                status,
                None,
                organization.get(row["pk"]),
            )  # fmt: skip
        )
    return entries


def _files(queryset: QuerySet) -> list[SearchEntry]:
    rows = list(
        queryset.values(
            "pk", "body_id", "name", "file_name", "text", "date", "created",
            "paper_id", "paper__date", "meeting_id", "meeting__start",
            "agenda_item__meeting_id", "agenda_item__meeting__start",
        )
    )  # fmt: skip
    papers = _paper_organizations({r["paper_id"] for r in rows if r["paper_id"]})
    meeting_ids = {r["meeting_id"] or r["agenda_item__meeting_id"] for r in rows}
    meetings = _meeting_organizations(meeting_ids - {None})
    entries = []
    for row in rows:
        meeting_id = row["meeting_id"] or row["agenda_item__meeting_id"]
        if row["paper_id"]:
            organization = papers.get(row["paper_id"])
        else:
            orgs = meetings.get(meeting_id, [])
            organization = orgs[0][0] if orgs else None
        date = (
            row["date"]
            or row["paper__date"]
            or row["meeting__start"]
            or row["agenda_item__meeting__start"]
            or row["created"]
        )
        text = _join(row["file_name"], (row["text"] or "")[:MAX_FILE_TEXT])
        entries.append(
            _entry(
                Kind.FILE,
                row["pk"],
                row["body_id"],
                row["name"] or row["file_name"],
                text,
                date,
                organization,
            )  # fmt: skip
        )
    return entries


@dataclass(frozen=True)
class KindSpec:
    model: type[Model]
    public: Callable[[Body | None], QuerySet]
    build: Callable[[QuerySet], list[SearchEntry]]


def _public_agenda_items(body=None) -> QuerySet:
    queryset = visibility.public_agenda_items()
    return queryset.filter(meeting__body=body) if body is not None else queryset


KINDS: dict[str, KindSpec] = {
    Kind.PAPER: KindSpec(Paper, visibility.public_papers, _papers),
    Kind.MEETING: KindSpec(Meeting, visibility.public_meetings, _meetings),
    Kind.AGENDA_ITEM: KindSpec(AgendaItem, _public_agenda_items, _agenda_items),
    Kind.ORGANIZATION: KindSpec(
        Organization, visibility.public_organizations, _organizations
    ),
    Kind.PERSON: KindSpec(Person, visibility.public_persons, _persons),
    Kind.FILE: KindSpec(File, visibility.public_files, _files),
}
MODEL_KINDS = {spec.model: kind for kind, spec in KINDS.items()}


# --- writing ---------------------------------------------------------------


def _backends():
    return list(get_search_backends(with_auto_update=True))


#: ``SearchEntry.search_vector`` on PostgreSQL (kept in step with migration
#: ``publicportal/0002``): title weight A, text weight B, ``german``.
VECTOR_SQL = """
UPDATE publicportal_searchentry SET search_vector =
    setweight(to_tsvector('german'::regconfig, title), 'A')
    || setweight(to_tsvector('german'::regconfig, left(text, 100000)), 'B')
WHERE id = ANY(%s)
"""


def _write_vectors(ids: list[int]) -> None:
    if connection.vendor == "postgresql" and ids:
        with connection.cursor() as cursor:
            cursor.execute(VECTOR_SQL, [ids])


def _write(entries: list[SearchEntry], *, fresh: bool = False) -> None:
    """Upsert ``entries``, write their ``search_vector`` (PostgreSQL) and add
    them to every search backend the portal searches through.

    On PostgreSQL the portal searches ``search_vector`` itself
    (:mod:`publicportal.search.postgres`), so Wagtail's database backend is
    not written: its rows of these entries are dropped instead (left from
    before the fast path). Elasticsearch/OpenSearch are always written.
    ``fresh``: the database backend's rows of these entries are dropped
    before ``add_bulk``, so the SQLite backend inserts in bulk instead of
    updating row by row."""
    if not entries:
        return
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=UPDATE_FIELDS,
    )
    if any(entry.pk is None for entry in entries):
        # A database that does not return ids of upserted rows.
        ids = dict(
            SearchEntry.objects.filter(
                kind=entries[0].kind, object_id__in=[e.object_id for e in entries]
            ).values_list("object_id", "pk")
        )
        for entry in entries:
            entry.pk = ids[entry.object_id]
    _write_vectors([entry.pk for entry in entries])
    for backend in _backends():
        replaced = uses_postgres(backend)
        if (fresh or replaced) and is_database_backend(backend):
            IndexEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(SearchEntry),
                object_id__in=[str(entry.pk) for entry in entries],
            )._raw_delete(IndexEntry.objects.db)
        if not replaced:
            backend.add_bulk(SearchEntry, entries)


def _remove(queryset: QuerySet) -> int:
    """Delete entries. ``delete()`` sends ``post_delete`` per entry, on which
    Wagtail's search removes the document from every auto-updated backend."""
    count, _detail = queryset.delete()
    return count


def index_objects(kind: str, ids: Iterable[int]) -> None:
    """Recompute the entries of the objects ``ids`` of ``kind``: written if
    the object is public, deleted otherwise (also when it no longer exists)."""
    spec = KINDS[kind]
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            entries = spec.build(spec.public(None).filter(pk__in=chunk))
            public = {entry.object_id for entry in entries}
            _remove(
                SearchEntry.objects.filter(
                    kind=kind, object_id__in=[pk for pk in chunk if pk not in public]
                )
            )
            _write(entries)


# --- what depends on what ------------------------------------------------


def _ids(queryset: QuerySet) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def related_targets(source: str, ids: Iterable[int]) -> dict[str, set[int]]:
    """The entries (``kind -> ids``) to recompute when objects of ``source``
    (a kind, ``"consultation"`` or ``"membership"``) with ``ids`` changed.
    Default managers on purpose: an object that just became non-public must
    be found to lose its entry."""
    ids = set(ids)
    targets: dict[str, set[int]] = defaultdict(set)
    if not ids:
        return targets
    if source in KINDS:
        targets[source] |= ids
    if source == Kind.MEETING:
        targets[Kind.AGENDA_ITEM] |= _ids(AgendaItem.objects.filter(meeting__in=ids))
        targets[Kind.FILE] |= _ids(File.objects.filter(meeting__in=ids))
        targets[Kind.FILE] |= _ids(File.objects.filter(agenda_item__meeting__in=ids))
    elif source == Kind.PAPER:
        targets[Kind.FILE] |= _ids(File.objects.filter(paper__in=ids))
        targets[Kind.AGENDA_ITEM] |= set(
            Consultation.objects.filter(paper__in=ids, agenda_item__isnull=False)
            .values_list("agenda_item_id", flat=True)
        )  # fmt: skip
    elif source == Kind.AGENDA_ITEM:
        children = _ids(AgendaItem.objects.filter(parent__in=ids))
        targets[Kind.AGENDA_ITEM] |= children
        targets[Kind.FILE] |= _ids(File.objects.filter(agenda_item__in=ids | children))
    elif source == "consultation":
        rows = Consultation.objects.filter(pk__in=ids).values_list(
            "paper_id", "agenda_item_id"
        )
        for paper_id, item_id in rows:
            targets[Kind.PAPER].add(paper_id)
            if item_id:
                targets[Kind.AGENDA_ITEM].add(item_id)
        papers = targets[Kind.PAPER]
        targets[Kind.AGENDA_ITEM] |= set(
            Consultation.objects.filter(paper__in=papers, agenda_item__isnull=False)
            .values_list("agenda_item_id", flat=True)
        )  # fmt: skip
    elif source == "membership":
        targets[Kind.PERSON] |= set(
            Membership.objects.filter(pk__in=ids).values_list("person_id", flat=True)
        )
    elif source == Kind.ORGANIZATION:
        targets[Kind.MEETING] |= _ids(Meeting.objects.filter(organizations__in=ids))
        targets[Kind.PERSON] |= set(
            Membership.objects.filter(organization__in=ids).values_list(
                "person_id", flat=True
            )
        )
    return targets


SOURCES = {
    **{spec.model: kind for kind, spec in KINDS.items()},
    Consultation: "consultation",
    Membership: "membership",
}


def index_related(obj: Model) -> dict[str, set[int]]:
    """The entries (``kind -> ids``) that depend on ``obj``, itself included."""
    return related_targets(SOURCES[type(obj)], [obj.pk])


def index_changes(changes: dict[str, Iterable[int]]) -> dict[str, int]:
    """Recompute everything that depends on ``changes`` (``source -> ids``);
    returns the number of objects recomputed per kind."""
    targets: dict[str, set[int]] = defaultdict(set)
    for source, ids in changes.items():
        for kind, kind_ids in related_targets(source, ids).items():
            targets[kind] |= kind_ids
    for kind, ids in targets.items():
        index_objects(kind, ids)
    return {kind: len(ids) for kind, ids in targets.items()}


# --- full rebuild ------------------------------------------------------------


def index_rebuild(
    body: Body | None = None, *, log: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Recompute every entry (of ``body``, or of all bodies) in batches and
    delete the entries of objects that are no longer public. Returns the
    number of entries per kind; ``log`` receives one line per kind with its
    timing."""
    log = log or logger.info
    counts = {}
    scope = (
        SearchEntry.objects.all()
        if body is None
        else SearchEntry.objects.filter(body=body)
    )
    if body is None:
        _remove(scope.exclude(body__in=visibility.public_bodies()))
    for kind, spec in KINDS.items():
        started = time.perf_counter()
        public = spec.public(body)
        ids = list(public.order_by("pk").values_list("pk", flat=True))
        removed = _remove(
            scope.filter(kind=kind).exclude(object_id__in=public.values("pk"))
        )
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            with transaction.atomic():
                _write(spec.build(spec.public(None).filter(pk__in=chunk)), fresh=True)
        counts[kind] = len(ids)
        seconds = time.perf_counter() - started
        log(f"{kind:<14} {len(ids):>8} entries, {removed:>6} removed, {seconds:7.1f} s")
    analyze()
    return counts


def analyze() -> None:
    """Refresh the planner statistics of the index tables. SQLite without
    statistics runs the full-text match once per index row instead of once
    per query (10x slower on the small demo, worse on larger ones)."""
    tables = [SearchEntry._meta.db_table, IndexEntry._meta.db_table]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

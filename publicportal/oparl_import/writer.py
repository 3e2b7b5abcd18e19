"""Writing the staged objects into the council models.

Types are written in dependency order (:data:`.schema.WRITE_ORDER`), each in
chunks of staged records, one transaction per chunk: the existing objects of
the chunk are looked up by original id in one query, new ones are created
with ``bulk_create``, changed ones updated with ``bulk_update`` (only when a
field differs, so ``modified`` stays on unchanged objects), and the outcome
is noted on the staged record (an interrupted write continues after the last
chunk). References between objects of one type and many-to-many relations
are set afterwards for all objects at once, then the meetings' addresses and
the papers' states.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from documents.services import (
    REFERENCE_PATTERN,
    format_reference,
    reference_numbers_for_import,
)
from documents.tasks import file_extract_text
from sessions.slugs import meeting_slug_base, unique_slug

from .crawl import is_tombstone
from .files import Download, FileFetcher, store, wants_content
from .mapping import MAPPERS, NOTED_TYPES, Skip
from .models import ImportRecord, ImportRun
from .schema import (
    MANY_TO_MANY,
    MODELS,
    SELF_REFERENCES,
    WRITE_ORDER,
    Consultation,
    File,
    Meeting,
    Organization,
    Paper,
)
from .values import datetime_value, line, ref, refs

CHUNK = 500
#: Parked positions: an object that has to make room for another one in a
#: unique slot (agenda position, consultation step) waits here until its own
#: record moves it to its final place.
PARK = 1_000_000_000
WRITTEN = ("new", "updated", "unchanged")
#: Paper states the importer derives; others were set here by hand (withdrawn)
#: and stay.
DERIVED_PAPER_STATES = (
    Paper.State.RELEASED,
    Paper.State.IN_CONSULTATION,
    Paper.State.DECIDED,
    Paper.State.NOTED,
)


@dataclass
class Entry:
    record: ImportRecord
    obj: object
    status: str  # new, updated, unchanged
    changed: set[str] = field(default_factory=set)

    def change(self, name: str, value) -> None:
        if getattr(self.obj, name) != value:
            setattr(self.obj, name, value)
            self.changed.add(name)
            if self.status == "unchanged":
                self.status = "updated"


@dataclass
class Slot:
    """A unique constraint among living objects that an update can violate
    on its way (two agenda items swapping places)."""

    fields: tuple[str, ...]
    holds: Callable[[object], bool]
    park: dict
    #: Filter of the objects that may hold a slot, given the slot keys.
    occupants: Callable[[list[tuple]], Q]
    #: What to do with a second object wanting a taken slot (source error).
    duplicate: Callable[["Writer", Entry, dict], None]


def _next_free(position_field: str, parent_field: str):
    def move(writer: "Writer", entry: Entry, wanted: dict) -> None:
        parent = getattr(entry.obj, parent_field)
        taken = [key[1] for key in wanted if key[0] == parent]
        entry.change(position_field, max(taken, default=0) + 1)

    return move


def _drop_item(writer: "Writer", entry: Entry, wanted: dict) -> None:
    writer.count("agenda_item_taken")
    entry.change("agenda_item_id", None)


def _demote_file(writer: "Writer", entry: Entry, wanted: dict) -> None:
    writer.count("file_role_taken")
    entry.change("role", File.Role.ATTACHMENT)


def _file_owner_key(obj) -> tuple:
    return (obj.paper_id, obj.meeting_id, obj.agenda_item_id, obj.role)


SLOTS = {
    "AgendaItem": (
        Slot(
            ("meeting_id", "order"),
            holds=lambda obj: True,
            park={"order": F("pk") + PARK},
            occupants=lambda keys: Q(meeting_id__in={key[0] for key in keys}),
            duplicate=_next_free("order", "meeting_id"),
        ),
    ),
    "Consultation": (
        Slot(
            ("paper_id", "position"),
            holds=lambda obj: True,
            park={"position": F("pk") + PARK},
            occupants=lambda keys: Q(paper_id__in={key[0] for key in keys}),
            duplicate=_next_free("position", "paper_id"),
        ),
        Slot(
            ("agenda_item_id",),
            holds=lambda obj: obj.agenda_item_id is not None,
            park={"agenda_item": None},
            occupants=lambda keys: Q(agenda_item_id__in={key[0] for key in keys}),
            duplicate=_drop_item,
        ),
    ),
    "File": (
        Slot(
            ("paper_id", "meeting_id", "agenda_item_id", "role"),
            holds=lambda obj: obj.role in File.SINGLE_ROLES,
            park={"role": File.Role.ATTACHMENT},
            occupants=lambda keys: (
                Q(role__in=File.SINGLE_ROLES)
                & (
                    Q(paper_id__in={key[0] for key in keys if key[0]})
                    | Q(meeting_id__in={key[1] for key in keys if key[1]})
                    | Q(agenda_item_id__in={key[2] for key in keys if key[2]})
                )
            ),
            duplicate=_demote_file,
        ),
    ),
}


class Writer:
    """Writes one run's staged records into ``body``; also the resolver the
    mapping functions use (original id → primary key)."""

    def __init__(
        self,
        *,
        run: ImportRun,
        body,
        write_body: bool = True,
        fetcher: FileFetcher | None = None,
        on_progress: Callable[[int], None] = lambda n: None,
    ):
        self.run = run
        self.body = body
        self.write_body = write_body
        self.fetcher = fetcher
        self.on_progress = on_progress
        self.now = timezone.localtime()
        self._pks: dict[str, dict[str, int]] = {}
        self._organization_names: dict[str, str] | None = None
        self._paper_numbers: tuple[set, set] | None = None
        self.reasons: Counter = Counter()
        self._deferred = False
        self.deferred_reasons: Counter = Counter()

    # --- resolver -------------------------------------------------------

    def pk_map(self, type_name: str) -> dict[str, int]:
        if type_name not in self._pks:
            model = MODELS[type_name]
            self._pks[type_name] = dict(
                model.objects.for_bodies([self.body.pk])
                .exclude(external_id="")
                .values_list("external_id", "pk")
            )
        return self._pks[type_name]

    def known(self, type_name: str) -> set[str]:
        return set(self.pk_map(type_name))

    def count(self, reason: str, amount: int = 1) -> None:
        (self.deferred_reasons if self._deferred else self.reasons)[reason] += amount

    def resolve(self, target: str, external_id: str | None, label: str | None):
        if not external_id:
            return None
        pk = self.pk_map(target).get(external_id)
        if pk is None and label:
            self.count(f"dangling|{label}")
        return pk

    def organization_name(self, external_id: str) -> str:
        if self._organization_names is None:
            self._organization_names = dict(
                Organization.objects.filter(body=self.body)
                .exclude(external_id="")
                .values_list("external_id", "name")
            )
        return self._organization_names.get(external_id, "")

    # --- the whole write --------------------------------------------------

    def pending(self) -> int:
        return (
            ImportRecord.objects.filter(run=self.run, outcome="")
            .exclude(missing=True)
            .count()
        )

    def write(self) -> None:
        ImportRecord.objects.filter(run=self.run, missing=True).update(
            outcome="missing"
        )
        for type_name in WRITE_ORDER:
            self.write_type(type_name)
        self._deferred = True
        for type_name in WRITE_ORDER:
            self.set_references(type_name)
        with transaction.atomic():
            self.meeting_slugs()
            self.paper_states()
            run = ImportRun.objects.select_for_update().get(pk=self.run.pk)
            run.reasons = {**run.reasons, "_deferred": dict(self.deferred_reasons)}
            run.save(update_fields=["reasons"])
            self.run.reasons = run.reasons

    def _chunks(self, type_name: str, outcomes=("",)):
        last = 0
        while True:
            records = list(
                ImportRecord.objects.filter(
                    run=self.run, type=type_name, outcome__in=outcomes, pk__gt=last
                ).order_by("pk")[:CHUNK]
            )
            if not records:
                return
            last = records[-1].pk
            yield records

    def write_type(self, type_name: str) -> None:
        for records in self._chunks(type_name):
            with transaction.atomic():
                self.reasons = Counter()
                self.write_chunk(type_name, records)
                self._save_reasons()
            self.on_progress(len(records))

    def _save_reasons(self) -> None:
        if not self.reasons:
            return
        run = ImportRun.objects.select_for_update().get(pk=self.run.pk)
        counts = Counter({k: v for k, v in run.reasons.items() if k != "_deferred"})
        counts.update(self.reasons)
        run.reasons = {**dict(counts), "_deferred": run.reasons.get("_deferred", {})}
        run.save(update_fields=["reasons"])
        self.run.reasons = run.reasons

    # --- one chunk --------------------------------------------------------

    def _existing(self, type_name: str, ids: list[str]) -> dict:
        if type_name == "Body":
            return dict.fromkeys(ids, self.body)
        model = MODELS[type_name]
        return {
            obj.external_id: obj
            for obj in model.objects.for_bodies([self.body.pk]).filter(
                external_id__in=ids
            )
        }

    def write_chunk(self, type_name: str, records: list[ImportRecord]) -> None:
        model = MODELS[type_name]
        existing = self._existing(type_name, [r.external_id for r in records])
        entries: list[Entry] = []
        deletions: list[object] = []
        outcomes: dict[int, str] = {}
        for record in records:
            obj = existing.get(record.external_id)
            if is_tombstone(record.data):
                outcomes[record.pk] = self._delete(record, obj, deletions)
                continue
            if type_name == "Body" and not self.write_body:
                outcomes[record.pk] = "new" if self.run.body_created else "unchanged"
                continue
            if record.context.get("other_owners"):
                self.count("file_several_owners", record.context["other_owners"])
            fields = MAPPERS[type_name](record.data, record.context, self, obj)
            if isinstance(fields, Skip):
                outcomes[record.pk] = f"skipped:{fields.reason}"
                continue
            if obj is None:
                obj = model(external_id=record.external_id, **fields)
                entries.append(Entry(record, obj, "new"))
                continue
            entry = Entry(record, obj, "unchanged")
            if obj.deleted_at is not None:
                entry.change("deleted_at", None)
            for name, value in fields.items():
                entry.change(name, value)
            entries.append(entry)
        if type_name == "Paper":
            self._paper_references(entries)
        if type_name == "File" and self.fetcher is not None:
            self._file_contents(entries)
        if deletions:
            model.objects.bulk_update(deletions, ["deleted_at", "modified"])
        self._free_slots(type_name, entries)
        self._save(type_name, model, entries)
        for entry in entries:
            status = entry.status
            if type_name == "Body" and self.run.body_created:
                status = "new"
            outcomes[entry.record.pk] = status
        _set_outcomes(outcomes)

    def _delete(self, record: ImportRecord, obj, deletions: list) -> str:
        """A tombstone: soft-delete the object (its deletion time is the
        tombstone's ``modified``)."""
        if obj is None:
            return "skipped:tombstone_unknown"
        if obj.deleted_at is not None:
            return "unchanged"
        if isinstance(obj, type(self.body)):
            return "skipped:body_deleted"
        obj.deleted_at = datetime_value(record.data, "modified") or self.now
        obj.modified = self.now
        deletions.append(obj)
        return "deleted"

    def _save(self, type_name: str, model, entries: list[Entry]) -> None:
        updates = [e for e in entries if e.status == "updated"]
        creates = [e for e in entries if e.status == "new"]
        if updates:
            names = set().union(*(e.changed for e in updates)) | {"modified"}
            for entry in updates:
                entry.obj.modified = self.now
            model.objects.bulk_update(
                [e.obj for e in updates], sorted(names), batch_size=CHUNK
            )
        if creates:
            model.objects.bulk_create([e.obj for e in creates], batch_size=CHUNK)
            pks = self.pk_map(type_name)
            for entry in creates:
                pks[entry.record.external_id] = entry.obj.pk
        if type_name == "Organization" and self._organization_names is not None:
            for entry in updates + creates:
                self._organization_names[entry.obj.external_id] = entry.obj.name
        if type_name == "File":
            with_content = [e.obj.pk for e in entries if "content" in e.changed]
            if with_content:
                transaction.on_commit(lambda: _extract_texts(with_content))

    # --- unique slots -------------------------------------------------------

    def _free_slots(self, type_name: str, entries: list[Entry]) -> None:
        model = MODELS[type_name]
        for slot in SLOTS.get(type_name, ()):
            wanted: dict[tuple, Entry] = {}
            # Objects that stay where they are keep their place; newcomers
            # to a taken place (a source error) move aside.
            ordered = sorted(
                entries, key=lambda e: (e.status == "new", bool(e.changed))
            )
            for entry in ordered:
                if not slot.holds(entry.obj):
                    continue
                key = tuple(getattr(entry.obj, name) for name in slot.fields)
                if key in wanted:
                    slot.duplicate(self, entry, wanted)
                    if not slot.holds(entry.obj):
                        continue
                    key = tuple(getattr(entry.obj, name) for name in slot.fields)
                wanted[key] = entry
            if not wanted:
                continue
            holders = model.objects.filter(
                slot.occupants(list(wanted)), deleted_at__isnull=True
            ).only("pk", *slot.fields)
            parked = [
                obj.pk
                for obj in holders
                if slot.holds(obj)
                and (key := tuple(getattr(obj, name) for name in slot.fields)) in wanted
                and wanted[key].obj.pk != obj.pk
            ]
            if parked:
                model.objects.filter(pk__in=parked).update(
                    **slot.park, modified=self.now
                )

    # --- papers: reference numbers ------------------------------------------

    def _numbers(self) -> tuple[set, set]:
        if self._paper_numbers is None:
            rows = Paper.objects.filter(body=self.body).values_list(
                "reference", "reference_year", "reference_number"
            )
            self._paper_numbers = (
                {row[0] for row in rows},
                {(row[1], row[2]) for row in rows},
            )
        return self._paper_numbers

    def _unique_reference(self, reference: str) -> str:
        used, _numbers = self._numbers()
        candidate, number = reference[:50], 2
        while candidate in used:
            suffix = f" ({number})"
            candidate = reference[: 50 - len(suffix)] + suffix
            number += 1
        return candidate

    def _paper_references(self, entries: list[Entry]) -> None:
        """The source's reference is kept; new papers get a running number
        of their own (the source's if it is in our form and free)."""
        used, numbers = self._numbers()
        keep: dict[int, list[int]] = defaultdict(list)
        allocate: dict[int, list[tuple[Entry, str]]] = defaultdict(list)
        for entry in entries:
            source = line(entry.record.data, "reference", 50)
            paper = entry.obj
            if entry.status != "new":
                if source and source != paper.reference:
                    used.discard(paper.reference)
                    entry.change("reference", self._unique_reference(source))
                    used.add(paper.reference)
                continue
            match = REFERENCE_PATTERN.match(source) if source else None
            if match and source not in used:
                year, number = int(match["year"]), int(match["number"])
                if (year, number) not in numbers:
                    paper.reference = source
                    paper.reference_year, paper.reference_number = year, number
                    keep[year].append(number)
                    used.add(source)
                    numbers.add((year, number))
                    continue
            allocate[paper.date.year].append((entry, source))
        for year in sorted(set(keep) | set(allocate)):
            handed_out = reference_numbers_for_import(
                body=self.body, year=year, keep=keep[year], count=len(allocate[year])
            )
            for (entry, source), number in zip(allocate[year], handed_out, strict=True):
                paper = entry.obj
                paper.reference_year, paper.reference_number = year, number
                paper.reference = self._unique_reference(
                    source or format_reference(body=self.body, year=year, number=number)
                )
                used.add(paper.reference)
                numbers.add((year, number))

    # --- files: contents ------------------------------------------------------

    def _file_contents(self, entries: list[Entry]) -> None:
        downloads = [
            Download(entry.obj, entry.record.data)
            for entry in entries
            if wants_content(entry.obj, entry.record.data)
        ]
        by_file = {id(entry.obj): entry for entry in entries}
        for download in self.fetcher.fetch(downloads):
            if download.content is not None:
                changed = store(download)
                entry = by_file[id(download.file)]
                entry.changed.update(changed)
                if changed and entry.status == "unchanged":
                    entry.status = "updated"
            if download.reason:
                self.count(download.reason)

    # --- references set after all objects exist -------------------------------

    def set_references(self, type_name: str) -> None:
        if type_name not in SELF_REFERENCES and type_name not in MANY_TO_MANY:
            return
        for records in self._chunks(type_name, WRITTEN):
            with transaction.atomic():
                self._references_chunk(type_name, records)

    def _references_chunk(self, type_name: str, records: list[ImportRecord]) -> None:
        model = MODELS[type_name]
        pks = self.pk_map(type_name)
        objects = {
            r.external_id: pks[r.external_id] for r in records if r.external_id in pks
        }
        changed: set[int] = set()
        for attname, prop in SELF_REFERENCES.get(type_name, ()):
            current = dict(
                model.objects.filter(pk__in=objects.values()).values_list("pk", attname)
            )
            fixes = []
            for record in records:
                pk = objects.get(record.external_id)
                if pk is None:
                    continue
                want = self.resolve(
                    type_name, ref(record.data, prop), f"{type_name}.{prop}"
                )
                want = None if want == pk else want
                if current.get(pk) != want:
                    fixes.append(model(pk=pk, **{attname: want}))
                    changed.add(pk)
            model.objects.bulk_update(fixes, [attname], batch_size=CHUNK)
        for field_name, prop, target in MANY_TO_MANY.get(type_name, ()):
            changed |= self._many_to_many(
                type_name, records, objects, field_name, prop, target
            )
        if type_name == "Paper":
            self._subordinated(records, objects)
        if changed:
            model.objects.filter(pk__in=changed).update(modified=self.now)
            touched = [
                r
                for r in records
                if objects.get(r.external_id) in changed and r.outcome == "unchanged"
            ]
            _set_outcomes({record.pk: "updated" for record in touched})

    def _many_to_many(self, type_name, records, objects, field_name, prop, target):
        model = MODELS[type_name]
        relation = model._meta.get_field(field_name)
        through = relation.remote_field.through
        source = relation.m2m_field_name() + "_id"
        destination = relation.m2m_reverse_field_name() + "_id"
        symmetrical = (
            relation.remote_field.symmetrical and relation.related_model is model
        )
        current: dict[int, dict[int, int]] = defaultdict(dict)
        for row_pk, src, dst in through.objects.filter(
            **{f"{source}__in": list(objects.values())}
        ).values_list("pk", source, destination):
            current[src][dst] = row_pk
        adds, removes, changed = [], [], set()
        for record in records:
            pk = objects.get(record.external_id)
            if pk is None:
                continue
            wanted = []
            for target_id in refs(record.data, prop):
                found = self.resolve(target, target_id, f"{type_name}.{prop}")
                itself = target == type_name and found == pk
                if found is not None and not itself and found not in wanted:
                    wanted.append(found)
            have = current.get(pk, {})
            new = [dst for dst in wanted if dst not in have]
            adds += [through(**{source: pk, destination: dst}) for dst in new]
            if symmetrical:
                adds += [through(**{source: dst, destination: pk}) for dst in new]
            else:
                removes += [row for dst, row in have.items() if dst not in wanted]
            if new or (not symmetrical and set(have) - set(wanted)):
                changed.add(pk)
        through.objects.filter(pk__in=removes).delete()
        through.objects.bulk_create(adds, batch_size=CHUNK, ignore_conflicts=True)
        return changed

    def _subordinated(self, records, objects) -> None:
        """``subordinatedPaper`` is the other side of ``superordinatedPaper``:
        added where missing (the subordinated paper's own list decides removal)."""
        relation = Paper._meta.get_field("superordinated_papers")
        through = relation.remote_field.through
        pairs = set()
        for record in records:
            pk = objects.get(record.external_id)
            for target_id in refs(record.data, "subordinatedPaper"):
                sub = self.resolve("Paper", target_id, "Paper.subordinatedPaper")
                if pk is not None and sub is not None and sub != pk:
                    pairs.add((sub, pk))
        if pairs:
            through.objects.bulk_create(
                [through(from_paper_id=s, to_paper_id=p) for s, p in sorted(pairs)],
                ignore_conflicts=True,
            )

    # --- derived: meeting addresses, paper states ----------------------------

    def meeting_slugs(self) -> None:
        """Every imported meeting gets its readable address once, as a
        planned one does (date and first organization)."""
        meetings = list(
            Meeting.objects.filter(body=self.body, slug="")
            .exclude(external_id="")
            .only("pk", "start", "name")
        )
        if not meetings:
            return
        taken = set(
            Meeting.objects.filter(body=self.body)
            .exclude(slug="")
            .values_list("slug", flat=True)
        )
        through = Meeting.organizations.through
        first: dict[int, str] = {}
        for meeting_id, name in (
            through.objects.filter(meeting_id__in=[m.pk for m in meetings])
            .order_by("-pk")
            .values_list("meeting_id", "organization__name")
        ):
            first[meeting_id] = name
        for meeting in meetings:
            base = meeting_slug_base(meeting, first.get(meeting.pk) or meeting.name)
            meeting.slug = unique_slug(base, taken)
            taken.add(meeting.slug)
        Meeting.objects.bulk_update(meetings, ["slug"], batch_size=CHUNK)

    def paper_states(self) -> None:
        """Released, in consultation (a meeting ahead), decided or noted (all
        meetings held): what the consultation path shows."""
        papers = set()
        pks = self.pk_map("Paper")
        for type_name, external_id, data, context in ImportRecord.objects.filter(
            run=self.run, type__in=("Paper", "Consultation"), outcome__in=WRITTEN
        ).values_list("type", "external_id", "data", "context"):
            paper_id = (
                external_id
                if type_name == "Paper"
                else ref(data, "paper") or context.get("paper")
            )
            if paper_id in pks:
                papers.add(pks[paper_id])
        papers = sorted(papers)
        for start in range(0, len(papers), CHUNK):
            self._paper_states(papers[start : start + CHUNK])

    def _paper_states(self, chunk: list[int]) -> None:
        steps: dict[int, list[tuple]] = defaultdict(list)
        for paper_id, start, state, deleted in Consultation.objects.filter(
            paper_id__in=chunk, deleted_at__isnull=True
        ).values_list(
            "paper_id", "meeting__start", "meeting__state", "meeting__deleted_at"
        ):
            steps[paper_id].append((start, state, deleted))
        fixes: dict[str, list[int]] = defaultdict(list)
        for paper in Paper.objects.filter(
            pk__in=chunk, state__in=DERIVED_PAPER_STATES
        ).only("pk", "state", "paper_type"):
            want = paper_state(paper.paper_type, steps.get(paper.pk, []), self.now)
            if want != paper.state:
                fixes[want].append(paper.pk)
        for state, pks in fixes.items():
            Paper.objects.filter(pk__in=pks).update(state=state, modified=self.now)
        if fixes:
            changed = {pk for pks in fixes.values() for pk in pks}
            ids = [e for e, pk in self.pk_map("Paper").items() if pk in changed]
            ImportRecord.objects.filter(
                run=self.run, type="Paper", external_id__in=ids, outcome="unchanged"
            ).update(outcome="updated")


def paper_state(paper_type: str, steps: list[tuple], now: dt.datetime) -> str:
    """``steps``: (meeting start, meeting state, meeting deleted) per
    consultation."""
    if not steps:
        return Paper.State.RELEASED
    held = [
        start
        for start, state, deleted in steps
        if start is not None and deleted is None and state != Meeting.State.CANCELLED
    ]
    if not held or any(start > now for start in held):
        return Paper.State.IN_CONSULTATION
    return Paper.State.NOTED if paper_type in NOTED_TYPES else Paper.State.DECIDED


def _set_outcomes(outcomes: dict[int, str]) -> None:
    """One UPDATE per outcome (far cheaper than a CASE per record)."""
    by_outcome: dict[str, list[int]] = defaultdict(list)
    for pk, outcome in outcomes.items():
        by_outcome[outcome].append(pk)
    for outcome, pks in by_outcome.items():
        ImportRecord.objects.filter(pk__in=pks).update(outcome=outcome)


def _extract_texts(file_ids: list[int]) -> None:
    for file_id in file_ids:
        file_extract_text.enqueue(file_id)

"""Writes the demo installation, one body per transaction, with bulk inserts.

Services (``paper_create``, ``file_attach``) would take a row lock, validate,
write an audit-log entry and store each upload per row; at 50,000 papers that
is far too slow. The seeder writes the same rows those services would write
and leaves ``ReferenceCounter`` where ``paper_create`` continues from. Memory
stays bounded because nothing of one body is kept once it is written.
"""

import datetime
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import reset_queries, transaction
from tqdm import tqdm

from documents.models import File, Paper, ReferenceCounter
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from sessions.models import AgendaItem, Consultation, Meeting
from sessions.slugs import meeting_slug_base, unique_slug

from . import files, people
from .agenda import AgendaBuilder
from .papers import PaperPlanner, paper_state
from .schedule import BERLIN, MINUTES_DELAY, plan_meetings
from .spec import DEPARTMENTS, TERMS, BodySpec, Scale, body_specs

BATCH = 1000


def _bulk(model, rows) -> list:
    """bulk_create in batches; the query log is dropped after each call, since
    with DEBUG=True Django keeps the SQL of every insert (megabytes each)."""
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    reset_queries()
    return created


@dataclass
class SeededBody:
    spec: BodySpec
    body: Body
    council_members: list = field(default_factory=list)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def _rgs(ags: str) -> str:
    """Regional key: the AGS with a four-digit association number inserted."""
    association = "0000" if ags.endswith("000") else "5" + ags[5:]
    return ags[:5] + association + ags[5:]


class Seeder:
    def __init__(
        self,
        *,
        scale: Scale,
        rng_for: Callable[[str], random.Random],
        progress: bool = False,
    ):
        self.scale = scale
        self.rng_for = rng_for
        self.progress = progress
        self.blobs = files.BlobStore()

    def run(self) -> list[SeededBody]:
        specs = body_specs(self.scale, self.rng_for("bodies"))
        seeded: list[SeededBody] = []
        kreis = None
        with tqdm(
            total=len(specs),
            unit=" Körperschaften",
            file=sys.stderr,
            disable=not self.progress,
            desc="Demodaten",
        ) as bar:
            for spec in specs:
                result = self.seed_body(spec, superordinate=kreis)
                if spec.classification == Body.Classification.DISTRICT:
                    kreis = result.body
                seeded.append(result)
                bar.set_postfix_str(spec.short_name)
                bar.update()
        return seeded

    @transaction.atomic
    def seed_body(self, spec: BodySpec, *, superordinate: Body | None) -> SeededBody:
        rng = self.rng_for(spec.slug)
        created = _at(TERMS[0][1])
        body = self._body(spec, superordinate, created)
        rooms = self._locations(spec, body, rng, created)
        for name, start, end in TERMS:
            LegislativeTerm.objects.create(
                body=body, name=name, start_date=start, end_date=end, created=created
            )
        plans = people.seat_plan(spec, rng)
        orgs = self._organizations(spec, body, rooms, created)
        fractions = self._fractions(spec, body, plans, created)
        departments = self._departments(body, created)
        roster = people.RosterBuilder(
            rng=rng,
            spec=spec,
            body=body,
            orgs=orgs,
            fractions=fractions,
            departments=list(departments.values()),
            plans=plans,
            created=created,
        )
        roster.build()
        self._write_roster(roster)
        meetings = plan_meetings(
            rng=rng, spec=spec, body=body, orgs=orgs, rooms=rooms, scale=self.scale
        )
        self._write_meetings(meetings)
        paper_plans, items = self._papers(
            spec, body, rng, orgs, fractions, departments, roster, meetings
        )
        self._write_files(spec, body, rng, paper_plans, meetings, items)
        self.blobs.forget_body(body.pk)
        return SeededBody(spec, body, roster.current_council_members)

    # structure -------------------------------------------------------------------

    def _body(self, spec, superordinate, created) -> Body:
        return Body.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            slug=spec.slug,
            classification=spec.classification,
            website=f"https://www.{spec.domain}/",
            ags=spec.ags,
            rgs=_rgs(spec.ags),
            contact_email=f"sitzungsdienst@{spec.domain}",
            contact_name="Sitzungsdienst",
            paper_reference_prefix=spec.reference_prefix,
            superordinate_body=superordinate,
            license="https://creativecommons.org/licenses/by/4.0/",
            created=created,
        )

    def _locations(self, spec, body, rng, created) -> dict[str, Location]:
        hall = Location.objects.create(
            body=body,
            description=spec.town_hall,
            street_address=spec.street,
            postal_code=spec.postal_code,
            locality=spec.locality,
            created=created,
        )
        body.location = hall
        body.save(update_fields=["location", "modified"])
        rooms = {}
        for org_spec in spec.organizations:
            if org_spec.room in rooms:
                continue
            if org_spec.room.startswith("Bürgerhaus"):
                rooms[org_spec.room] = Location.objects.create(
                    body=body,
                    description=org_spec.room,
                    room="Großer Saal",
                    street_address=f"{rng.choice(['Kirchstraße', 'Schulstraße'])} "
                    f"{rng.randint(2, 40)}",
                    postal_code=spec.postal_code,
                    sub_locality=org_spec.room.split(" ", 1)[1],
                    locality=spec.locality,
                    created=created,
                )
            else:
                rooms[org_spec.room] = Location.objects.create(
                    body=body,
                    description=spec.town_hall,
                    room=org_spec.room,
                    street_address=spec.street,
                    postal_code=spec.postal_code,
                    locality=spec.locality,
                    created=created,
                )
        return rooms

    def _organizations(self, spec, body, rooms, created) -> dict[str, Organization]:
        orgs: dict[str, Organization] = {}
        for org_spec in spec.organizations:
            orgs[org_spec.key] = Organization.objects.create(
                body=body,
                name=org_spec.name,
                short_name=org_spec.short_name,
                kind=org_spec.kind,
                sub_organization_of=orgs.get(org_spec.parent),
                posts=list(org_spec.posts),
                start_date=org_spec.start,
                end_date=org_spec.end,
                location=rooms[org_spec.room],
                created=created,
            )
        return orgs

    def _fractions(self, spec, body, plans, created) -> dict[str, Organization]:
        lifetimes = people.fraction_lifetimes(plans)
        fractions = {}
        for party in people.parties(spec):
            if party.key not in lifetimes:
                continue
            start, end = lifetimes[party.key]
            fractions[party.key] = Organization.objects.create(
                body=body,
                name=party.fraction_name,
                short_name=party.short_name,
                kind=Organization.Kind.FRACTION,
                start_date=start,
                end_date=end,
                posts=["Fraktionsvorsitz", "stellv. Fraktionsvorsitz", "Mitglied"],
                created=created,
            )
        return fractions

    def _departments(self, body, created) -> dict[str, Organization]:
        return {
            key: Organization.objects.create(
                body=body,
                name=name,
                short_name=short,
                kind=Organization.Kind.DEPARTMENT,
                posts=["Fachbereichsleitung", "Sachbearbeitung"],
                created=created,
            )
            for key, name, short in DEPARTMENTS
        }

    def _write_roster(self, roster: people.RosterBuilder) -> None:
        _bulk(Person, roster.persons)
        _bulk(Membership, roster.memberships)
        _bulk(Membership, roster.deputy_memberships)

    def _write_meetings(self, meetings) -> None:
        taken: set[str] = set()
        for planned in meetings:
            base = meeting_slug_base(planned.meeting, planned.org.name)
            planned.meeting.slug = unique_slug(base, taken)
            taken.add(planned.meeting.slug)
        _bulk(Meeting, [p.meeting for p in meetings])
        through = Meeting.organizations.through
        _bulk(
            through,
            [
                through(meeting_id=p.meeting.pk, organization_id=p.org.pk)
                for p in meetings
            ],
        )

    # papers, agendas, consultations ---------------------------------------------------

    def _papers(self, spec, body, rng, orgs, fractions, departments, roster, meetings):
        fraction_members: dict[int, list] = {}
        for membership in roster.memberships:
            if membership.organization.kind == Organization.Kind.FRACTION:
                fraction_members.setdefault(membership.organization.pk, []).append(
                    membership
                )
        planner = PaperPlanner(
            rng=rng,
            spec=spec,
            body=body,
            orgs=orgs,
            fractions=list(fractions.values()),
            fraction_members=fraction_members,
            departments=departments,
            meetings=meetings,
        )
        plans = planner.plan(self.scale.papers_per_body)
        for plan in plans:
            for step in plan.steps:
                if step.planned is not None:
                    step.planned.entries.append((plan, step))
        voting_sizes = {s.key: s.size for s in spec.organizations}
        voting_sizes["council"] = spec.council_seats + 1
        items = AgendaBuilder(rng=rng, voting_sizes=voting_sizes).build(meetings)
        for plan in plans:
            plan.paper.state = paper_state(plan)
            plan.paper.released_at = datetime.datetime.combine(
                plan.paper.date, datetime.time(10), tzinfo=BERLIN
            )
        _bulk(Paper, [p.paper for p in plans])
        self._paper_relations(plans)
        _bulk(AgendaItem, items)
        self._consultations(plans)
        self._reference_counters(body, plans)
        return plans, items

    def _paper_relations(self, plans) -> None:
        for field_name, attr in (
            ("originator_organizations", "fraction"),
            ("originator_persons", "person"),
            ("under_direction_of", "department"),
        ):
            m2m = Paper._meta.get_field(field_name)
            through = m2m.remote_field.through
            target = m2m.m2m_reverse_field_name() + "_id"
            rows = [
                through(paper_id=p.paper.pk, **{target: getattr(p, attr).pk})
                for p in plans
                if getattr(p, attr) is not None
            ]
            _bulk(through, rows)

    def _consultations(self, plans) -> None:
        consultations, orgs = [], []
        for plan in plans:
            for position, step in enumerate(plan.steps, start=1):
                consultations.append(
                    Consultation(
                        paper=plan.paper,
                        position=position,
                        meeting=step.planned.meeting if step.planned else None,
                        agenda_item=step.agenda_item,
                        role=step.role,
                        authoritative=step.authoritative,
                        created=plan.paper.created,
                    )
                )
                orgs.append(step.org)
        _bulk(Consultation, consultations)
        through = Consultation.organizations.through
        _bulk(
            through,
            [
                through(consultation_id=c.pk, organization_id=o.pk)
                for c, o in zip(consultations, orgs, strict=True)
            ],
        )

    def _reference_counters(self, body, plans) -> None:
        last: dict[int, int] = {}
        for plan in plans:
            year = plan.paper.reference_year
            last[year] = max(last.get(year, 0), plan.paper.reference_number)
        for year, number in sorted(last.items()):
            ReferenceCounter.objects.update_or_create(
                body=body, year=year, defaults={"last_number": number}
            )

    # files ------------------------------------------------------------------------

    def _write_files(self, spec, body, rng, plans, meetings, items) -> None:
        pending: list[File] = []

        def add(blob: files.Blob, **fields) -> None:
            pending.append(files.file_row(blob, body=body, **fields))
            if len(pending) >= BATCH:
                _bulk(File, pending)
                pending.clear()

        self._paper_files(spec, body, rng, plans, add)
        self._meeting_files(spec, body, meetings, items, add)
        _bulk(File, pending)

    def _paper_files(self, spec, body, rng, plans, add) -> None:
        """A main PDF per paper (from a pool at large scale) and 0-2 attachments
        drawn from a per-body pool of distinct attachment PDFs."""
        attachments = [
            files.attachment_document(i, spec=spec)
            for i in range(self.scale.attachment_pool)
        ]
        pool = self.scale.main_pdf_pool
        # separate pools: a public paper must never show a non-public one's text
        pools: dict[bool, list] = {True: [], False: []}
        used = {True: 0, False: 0}
        for plan in plans:
            paper = plan.paper
            docs, index = pools[paper.public], used[paper.public]
            used[paper.public] += 1
            if pool is None:
                rendered = files.paper_document(plan, spec=spec)
            elif index < pool:
                rendered = files.paper_document(plan, spec=spec)
                docs.append(rendered)
            else:
                rendered = docs[index % pool]
            stem = paper.reference.replace("/", "_")
            add(
                self.blobs.put(body.pk, rendered),
                name=f"{paper.paper_type} {paper.reference}",
                file_name=f"{stem}.pdf",
                role=File.Role.MAIN,
                date=paper.date,
                paper=paper,
            )
            low, high = self.scale.attachments_per_paper
            for number in range(1, rng.randint(low, high) + 1):
                kind, restricted, rendered = rng.choice(attachments)
                add(
                    self.blobs.put(body.pk, rendered),
                    name=f"Anlage {number} – {kind}",
                    file_name=f"{stem}_Anlage_{number}.pdf",
                    role=File.Role.ATTACHMENT,
                    date=paper.date,
                    order=number,
                    restricted=restricted,
                    paper=paper,
                )

    def _meeting_files(self, spec, body, meetings, items, add) -> None:
        """Invitation for every meeting with an agenda; minutes two weeks after
        a held meeting."""
        items_by_meeting: dict[int, list[AgendaItem]] = {}
        for item in items:
            items_by_meeting.setdefault(item.meeting.pk, []).append(item)
        for planned in meetings:
            if not planned.has_agenda:
                continue
            meeting = planned.meeting
            agenda = items_by_meeting.get(meeting.pk, [])
            stem = f"{planned.spec.short_name}_{planned.day:%Y-%m-%d}".replace(" ", "_")
            invitation = files.invitation_document(planned, agenda, spec=spec)
            add(
                self.blobs.put(body.pk, invitation),
                name=f"Einladung {meeting.name}",
                file_name=f"Einladung_{stem}.pdf",
                role=File.Role.INVITATION,
                date=planned.day - datetime.timedelta(days=14),
                meeting=meeting,
            )
            minutes_day = planned.day + MINUTES_DELAY
            if meeting.state == Meeting.State.PUBLISHED:
                minutes = files.minutes_document(planned, agenda, spec=spec)
                add(
                    self.blobs.put(body.pk, minutes),
                    name=f"Niederschrift {meeting.name}",
                    file_name=f"Niederschrift_{stem}.pdf",
                    role=File.Role.RESULTS_PROTOCOL,
                    date=minutes_day,
                    meeting=meeting,
                )

"""Papers of one body and their consultation paths through the meeting calendar.

A paper's path is derived from its subject area (a building plan goes through
the district council, the planning committee and the main committee to the
council). Each step is placed on the first meeting of its organization that
leaves enough time after the previous step; steps beyond the invited meetings
stay unscheduled (``meeting`` empty), as in a real, ongoing procedure.
"""

import bisect
import datetime
import random
from dataclasses import dataclass, field

from documents.models import Paper, PaperType
from documents.services import format_reference
from gremien.models import Organization, Person
from sessions.models import AgendaItem, Consultation, Meeting

from . import texts
from .schedule import BERLIN, PlannedMeeting
from .spec import DEMO_TODAY, BodySpec

Role = Consultation.Role
AREA_COMMITTEE = {
    "bau": "bau",
    "finanzen": "hfa",
    "schule": "schule",
    "umwelt": "umwelt",
    "sozial": "sozial",
    "liegenschaften": "hfa",
    "personal": "hfa",
    "vergabe": "hfa",
}
AREA_DEPARTMENT = {
    "bau": "dept_bau",
    "finanzen": "dept_fin",
    "schule": "dept_bildung",
    "umwelt": "dept_umwelt",
    "sozial": "dept_soz",
    "liegenschaften": "dept_bau",
    "personal": "dept_zentral",
    "vergabe": "dept_fin",
}
FIRST_PERIOD = datetime.date(2023, 11, 20)
#: time the administration needs between a paper's date and its first meeting
LEAD_TIME = datetime.timedelta(days=10)


@dataclass
class Step:
    org_key: str
    org: Organization
    role: str
    authoritative: bool = False
    planned: PlannedMeeting | None = None
    agenda_item: AgendaItem | None = None


@dataclass
class PaperPlan:
    paper: Paper
    kind: str  # resolution, nonpublic, motion, inquiry, communication
    area: str
    steps: list[Step] = field(default_factory=list)
    department: Organization | None = None
    fraction: Organization | None = None
    person: Person | None = None


class PaperPlanner:
    def __init__(
        self,
        *,
        rng: random.Random,
        spec: BodySpec,
        body,
        orgs: dict[str, Organization],
        fractions: list[Organization],
        fraction_members: dict[int, list],
        departments: dict[str, Organization],
        meetings: list[PlannedMeeting],
    ):
        self.rng = rng
        self.spec = spec
        self.body = body
        self.orgs = orgs
        self.fractions = fractions
        self.fraction_members = fraction_members
        self.departments = departments
        self.calendar: dict[str, tuple[list[datetime.date], list[PlannedMeeting]]] = {}
        for planned in meetings:
            if planned.meeting.state == Meeting.State.CANCELLED:
                continue
            days, entries = self.calendar.setdefault(planned.org_key, ([], []))
            days.append(planned.day)
            entries.append(planned)

    # dates and numbers ---------------------------------------------------------

    def plan(self, count: int) -> list[PaperPlan]:
        span = (DEMO_TODAY - FIRST_PERIOD).days - 5
        days = sorted(
            FIRST_PERIOD + datetime.timedelta(days=self.rng.randrange(span))
            for _ in range(count)
        )
        numbers: dict[int, int] = {}
        plans = []
        for day in days:
            numbers[day.year] = numbers.get(day.year, 0) + 1
            plans.append(self._paper(day, numbers[day.year]))
        return plans

    def _paper(self, day: datetime.date, number: int) -> PaperPlan:
        roll = self.rng.random()
        if roll < 0.44:
            plan = self._resolution(day, texts.RESOLUTIONS, "resolution")
        elif roll < 0.52:
            plan = self._resolution(day, texts.NON_PUBLIC, "nonpublic")
        elif roll < 0.66:
            plan = self._motion(day)
        elif roll < 0.78:
            plan = self._inquiry(day)
        else:
            plan = self._communication(day)
        paper = plan.paper
        paper.reference_year = day.year
        paper.reference_number = number
        paper.reference = format_reference(body=self.body, year=day.year, number=number)
        paper.date = day
        paper.body = self.body
        paper.created = datetime.datetime(
            day.year, day.month, day.day, 9, 0, tzinfo=BERLIN
        )
        self._schedule(plan, day)
        return plan

    # paper kinds ----------------------------------------------------------------

    def _council_label(self) -> str:
        return self.orgs["council"].name

    def _values(self, day):
        council = self._council_label()
        if council.startswith("Rat der"):
            council = "Rat"
        return texts.slots(self.rng, spec=self.spec, day=day, council=council)

    def _resolution(self, day, topics, kind) -> PaperPlan:
        rng = self.rng
        topic = rng.choice(topics)
        values = self._values(day)
        facts = texts.facts_for(rng, topic.area, values, rng.randint(3, 5))
        financial = (
            texts.paragraphs(
                f"Die erforderlichen Mittel sind im Haushalt {day.year} mit "
                f"{values['amount']} veranschlagt."
            )
            if rng.random() < 0.6
            else texts.paragraphs("Keine.")
        )
        paper = Paper(
            name=topic.title.format(**values),
            paper_type=PaperType.RESOLUTION_PROPOSAL,
            public=topic.public,
            facts=texts.paragraphs(*facts),
            proposal=texts.paragraphs(topic.proposal.format(**values)),
            financial_impact=financial,
        )
        plan = PaperPlan(paper, kind, topic.area)
        plan.department = self.departments[AREA_DEPARTMENT[topic.area]]
        plan.steps = self._resolution_path(topic.area)
        return plan

    def _resolution_path(self, area: str) -> list[Step]:
        rng = self.rng
        keys: list[tuple[str, str]] = []
        districts = [key for key in self.orgs if key.startswith("bv")]
        if area == "bau" and districts and rng.random() < 0.6:
            keys.append((rng.choice(districts), Role.HEARING))
        if area == "sozial" and "beirat" in self.orgs and rng.random() < 0.3:
            keys.append(("beirat", Role.HEARING))
        if area == "liegenschaften" and self._non_public_sub():
            keys.append(("sub", Role.PRELIMINARY))
        committee = AREA_COMMITTEE[area]
        keys.append((committee, Role.PRELIMINARY))
        if committee != "hfa" and area in ("bau", "schule", "finanzen"):
            keys.append(("hfa", Role.PRELIMINARY))
        keys.append(("council", Role.DECIDING))
        return self._steps(keys)

    def _non_public_sub(self) -> bool:
        sub = self.orgs.get("sub")
        return sub is not None and sub.name == "Unterausschuss Liegenschaften"

    def _steps(self, keys) -> list[Step]:
        steps = [Step(key, self.orgs[key], role) for key, role in keys]
        if steps[-1].role == Role.DECIDING:
            steps[-1].authoritative = True
        return steps

    def _active_fraction(self, day) -> Organization:
        active = [f for f in self.fractions if f.is_active_on(day)]
        return self.rng.choice(active)

    def _motion(self, day) -> PaperPlan:
        rng = self.rng
        area, subject, action = rng.choice(texts.MOTIONS)
        values = self._values(day)
        fraction = self._active_fraction(day)
        subject = subject.format(**values)
        paper = Paper(
            name=f"Antrag der {fraction.name}: {subject}",
            paper_type=PaperType.MOTION,
            facts=texts.paragraphs(
                f"Die {fraction.name} beantragt, der {values['council']} möge "
                "beschließen:",
                f"Die Verwaltung wird beauftragt, {action.format(**values)}.",
                "Begründung:",
                *rng.sample(texts.REASONS, k=2),
            ),
            proposal=texts.paragraphs(
                f"Die Verwaltung wird beauftragt, {action.format(**values)}."
            ),
        )
        plan = PaperPlan(paper, "motion", area, fraction=fraction)
        committee = AREA_COMMITTEE[area]
        roll = rng.random()
        if roll < 0.4:
            plan.steps = self._steps([(committee, Role.DECIDING)])
        elif roll < 0.8:
            plan.steps = self._steps(
                [(committee, Role.PRELIMINARY), ("council", Role.DECIDING)]
            )
        else:
            plan.steps = self._steps([("council", Role.DECIDING)])
        return plan

    def _inquiry(self, day) -> PaperPlan:
        rng = self.rng
        area, subject = rng.choice(texts.INQUIRIES)
        values = self._values(day)
        fraction = self._active_fraction(day)
        members = [
            m for m in self.fraction_members.get(fraction.pk, []) if m.is_active_on(day)
        ]
        person = rng.choice(members).person if members else None
        questions = rng.sample(texts.QUESTIONS, k=3)
        paper = Paper(
            name=f"Anfrage der {fraction.name}: {subject.format(**values)}",
            paper_type=PaperType.INQUIRY,
            facts=texts.paragraphs(
                f"Die {fraction.name} bittet die Verwaltung um die Beantwortung "
                "folgender Fragen:"
            )
            + "<ol>"
            + "".join(f"<li>{q}</li>" for q in questions)
            + "</ol>",
        )
        plan = PaperPlan(paper, "inquiry", area, fraction=fraction, person=person)
        target = "council" if rng.random() < 0.3 else AREA_COMMITTEE[area]
        plan.steps = self._steps([(target, Role.INFORMATION)])
        return plan

    def _communication(self, day) -> PaperPlan:
        rng = self.rng
        area, subject = rng.choice(texts.COMMUNICATIONS)
        values = self._values(day)
        facts = texts.facts_for(rng, area, values, rng.randint(2, 4))
        paper = Paper(
            name=subject.format(**values),
            paper_type=PaperType.COMMUNICATION,
            facts=texts.paragraphs(*facts),
            proposal=texts.paragraphs("Die Mitteilung wird zur Kenntnis genommen."),
        )
        plan = PaperPlan(paper, "communication", area)
        plan.department = self.departments[AREA_DEPARTMENT[area]]
        minor = [k for k in ("beirat", "sub", "sub2") if k in self.orgs]
        first = AREA_COMMITTEE[area]
        if minor and rng.random() < 0.15:
            first = rng.choice(minor)
        keys = [(first, Role.INFORMATION)]
        if rng.random() < 0.3:
            keys.append(("council", Role.INFORMATION))
        plan.steps = self._steps(keys)
        return plan

    # scheduling ---------------------------------------------------------------

    def _schedule(self, plan: PaperPlan, day: datetime.date) -> None:
        earliest = day + LEAD_TIME
        for step in plan.steps:
            planned = self._next_meeting(step.org_key, earliest)
            if planned is None or not planned.has_agenda:
                return
            step.planned = planned
            earliest = planned.day + datetime.timedelta(days=1)

    def _next_meeting(self, org_key, earliest) -> PlannedMeeting | None:
        days, entries = self.calendar.get(org_key, ([], []))
        index = bisect.bisect_left(days, earliest)
        return entries[index] if index < len(entries) else None


def paper_state(plan: PaperPlan) -> str:
    """The state a paper has reached after the results of its held meetings."""
    Result = AgendaItem.Result
    held = [
        s for s in plan.steps if s.planned is not None and s.planned.meeting.was_held
    ]
    if not held:
        scheduled = any(s.planned is not None for s in plan.steps)
        return Paper.State.IN_CONSULTATION if scheduled else Paper.State.RELEASED
    last = held[-1].agenda_item.result if held[-1].agenda_item else ""
    if last == Result.WITHDRAWN:
        return Paper.State.WITHDRAWN
    if len(held) < len(plan.steps) or last == Result.DEFERRED:
        return Paper.State.IN_CONSULTATION
    if plan.steps[-1].role == Role.INFORMATION:
        return Paper.State.NOTED
    return Paper.State.DECIDED

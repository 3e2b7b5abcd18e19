"""Agendas of held and invited meetings, with results for the held ones.

Numbering follows common German practice: ``Ö 1``, ``Ö 4.1`` in the public
part, ``N 1`` in the non-public part. Non-public papers appear only on
non-public items, so nothing about them reaches a public agenda.
"""

import random
from dataclasses import dataclass, field

from sessions.models import AgendaItem, Consultation, Meeting

from .schedule import BERLIN, PlannedMeeting, constituent_day
from .texts import paragraphs

Result = AgendaItem.Result
Role = Consultation.Role

OPENING = (
    "Eröffnung der Sitzung, Feststellung der ordnungsgemäßen Einladung "
    "und der Beschlussfähigkeit"
)
CONSTITUENT_ITEMS = [
    "Einführung und Verpflichtung der neu gewählten Mitglieder",
    "Wahl der Stellvertretungen der Verwaltungsleitung",
    "Bildung der Ausschüsse und Festlegung der Zahl ihrer Mitglieder",
    "Wahl der Mitglieder der Ausschüsse",
]


@dataclass
class _Section:
    prefix: str
    public: bool
    items: list = field(default_factory=list)  # (number, name, result, text, step)
    count: int = 0

    def add(self, name, *, result="", text="", step=None, children=()):
        self.count += 1
        number = f"{self.prefix} {self.count}"
        self.items.append((number, name, result, text, step))
        for index, (child_name, child_result, child_text, child_step) in enumerate(
            children, start=1
        ):
            self.items.append(
                (f"{number}.{index}", child_name, child_result, child_text, child_step)
            )


def _article(org_name: str) -> str:
    return "Die" if org_name.startswith("Bezirksvertretung") else "Der"


class AgendaBuilder:
    def __init__(self, *, rng: random.Random, voting_sizes: dict[str, int]):
        self.rng = rng
        self.voting_sizes = voting_sizes

    def build(self, meetings: list[PlannedMeeting]) -> list[AgendaItem]:
        items: list[AgendaItem] = []
        last_held = {}
        for planned in meetings:
            if planned.has_agenda:
                items.extend(self._agenda(planned, last_held.get(planned.org_key)))
            if planned.meeting.was_held:
                last_held[planned.org_key] = planned.day
        return items

    # structure ------------------------------------------------------------------

    def _agenda(self, planned: PlannedMeeting, previous) -> list[AgendaItem]:
        meeting = planned.meeting
        held = meeting.was_held
        public = _Section("Ö", True) if meeting.public else None
        closed = _Section("N", False)
        main = public or closed
        org_name = planned.org.name
        main.add(OPENING, text=self._opening(planned) if held else "")
        if planned.org_key == "council" and planned.day == constituent_day():
            for name in CONSTITUENT_ITEMS:
                main.add(name, result=Result.ACCEPTED if held else "")
        if planned.org.kind in ("council", "district_council"):
            main.add(
                "Einwohnerfragestunde",
                text=self._question_time() if held else "",
            )
        if previous is not None:
            main.add(
                f"Genehmigung der Niederschrift über die Sitzung vom "
                f"{previous:%d.%m.%Y}",
                result=Result.ACCEPTED if held else "",
                text=paragraphs("Die Niederschrift wird genehmigt.") if held else "",
            )
        entries = planned.entries
        open_entries = [e for e in entries if e[0].paper.public]
        closed_entries = [e for e in entries if not e[0].paper.public]
        by_kind = {}
        for plan, step in open_entries:
            by_kind.setdefault(plan.kind, []).append((plan, step))
        main.add(
            "Mitteilungen der Verwaltung",
            result=Result.NOTED if held else "",
            children=[
                self._child(plan, step, held, org_name)
                for plan, step in by_kind.get("communication", [])
            ],
        )
        for kind in ("resolution", "motion"):
            for plan, step in by_kind.get(kind, []):
                result, text = self._outcome(plan, step, held, org_name)
                main.add(plan.paper.name, result=result, text=text, step=step)
        main.add(
            "Anfragen",
            children=[
                self._child(plan, step, held, org_name)
                for plan, step in by_kind.get("inquiry", [])
            ],
        )
        if public is not None and (
            closed_entries or planned.spec.rhythm in ("council", "hfa")
        ):
            closed.add(
                "Mitteilungen der Verwaltung", result=Result.NOTED if held else ""
            )
        for plan, step in closed_entries:
            result, text = self._outcome(plan, step, held, org_name)
            closed.add(plan.paper.name, result=result, text=text, step=step)
        if public is not None and closed.count:
            closed.add("Anfragen")
        sections = [public, closed] if public is not None else [closed]
        return self._items(meeting, [s for s in sections if s is not None])

    def _child(self, plan, step, held, org_name):
        result, text = self._outcome(plan, step, held, org_name)
        return (plan.paper.name, result, text, step)

    def _items(self, meeting: Meeting, sections) -> list[AgendaItem]:
        items = []
        order = 0
        for section in sections:
            for number, name, result, text, step in section.items:
                order += 1
                item = AgendaItem(
                    meeting=meeting,
                    number=number,
                    order=order,
                    name=name,
                    public=section.public,
                    result=result,
                    resolution_text=text,
                    created=meeting.created,
                )
                if step is not None:
                    step.agenda_item = item
                items.append(item)
        return items

    # texts ------------------------------------------------------------------------

    def _opening(self, planned: PlannedMeeting) -> str:
        start = planned.meeting.start.astimezone(BERLIN)
        return paragraphs(
            f"Die Sitzung wird um {start:%H:%M} Uhr eröffnet. Die ordnungsgemäße "
            "Einladung und die Beschlussfähigkeit werden festgestellt."
        )

    def _question_time(self) -> str:
        if self.rng.random() < 0.6:
            return paragraphs("Es werden keine Fragen gestellt.")
        return paragraphs(
            "Eine Einwohnerin fragt nach dem Zeitplan für die Sanierung der "
            "Gehwege in ihrem Wohngebiet. Die Verwaltung sagt eine schriftliche "
            "Antwort zu."
        )

    def _votes(self, org_key: str, accepted: bool) -> str:
        rng = self.rng
        size = self.voting_sizes.get(org_key, 11)
        present = size - rng.randint(0, min(4, size // 4))
        if accepted and rng.random() < 0.55:
            return "einstimmig"
        majority = present // 2 + 1
        yes = (
            rng.randint(majority, present) if accepted else rng.randint(0, majority - 1)
        )
        rest = present - yes
        no = rng.randint(0, rest)
        return f"{yes} Ja-Stimmen, {no} Nein-Stimmen, {rest - no} Enthaltungen"

    def _outcome(self, plan, step, held: bool, org_name: str) -> tuple[str, str]:
        if not held:
            return "", ""
        rng = self.rng
        org = f"{_article(org_name)} {org_name}"
        proposal = plan.paper.proposal
        if step.role == Role.INFORMATION:
            if plan.kind == "inquiry":
                return Result.NOTED, paragraphs(
                    "Die Verwaltung beantwortet die Anfrage in der Sitzung; die "
                    "Antwort wird der Niederschrift als Anlage beigefügt."
                )
            return Result.NOTED, paragraphs(f"{org} nimmt die Mitteilung zur Kenntnis.")
        if step.role == Role.HEARING:
            return Result.RECOMMENDED, paragraphs(
                f"{org} nimmt die Vorlage zur Kenntnis und empfiehlt, wie "
                "vorgeschlagen zu beschließen."
            )
        if step.role == Role.PRELIMINARY:
            amended = rng.random() < 0.1
            votes = self._votes(step.org_key, True)
            intro = (
                f"{org} empfiehlt mit der Maßgabe, die Frist um drei Monate zu "
                "verlängern, wie folgt zu beschließen:"
                if amended
                else f"{org} empfiehlt, wie folgt zu beschließen:"
            )
            return (
                Result.ACCEPTED_AMENDED if amended else Result.RECOMMENDED,
                paragraphs(intro)
                + proposal
                + paragraphs(f"Abstimmungsergebnis: {votes}"),
            )
        return self._decision(plan, step, org, proposal)

    def _decision(self, plan, step, org, proposal) -> tuple[str, str]:
        roll = self.rng.random()
        if plan.kind == "motion":
            outcomes = [
                (0.5, Result.ACCEPTED),
                (0.6, Result.ACCEPTED_AMENDED),
                (0.9, Result.REJECTED),
                (0.95, Result.DEFERRED),
                (1.0, Result.WITHDRAWN),
            ]
        else:
            outcomes = [
                (0.82, Result.ACCEPTED),
                (0.9, Result.ACCEPTED_AMENDED),
                (0.93, Result.REJECTED),
                (1.0, Result.DEFERRED),
            ]
        result = next(r for limit, r in outcomes if roll < limit)
        if result == Result.DEFERRED:
            return result, paragraphs(
                "Die Beratung wird auf die nächste Sitzung vertagt."
            )
        if result == Result.WITHDRAWN:
            return result, paragraphs(
                "Der Antrag wird von der antragstellenden Fraktion zurückgezogen."
            )
        accepted = result != Result.REJECTED
        votes = paragraphs(
            f"Abstimmungsergebnis: {self._votes(step.org_key, accepted)}"
        )
        if result == Result.REJECTED:
            return result, paragraphs("Der Beschlussvorschlag wird abgelehnt.") + votes
        if result == Result.ACCEPTED_AMENDED:
            return result, (
                paragraphs(f"{org} beschließt mit folgender Änderung:")
                + proposal
                + paragraphs(
                    "Die Verwaltung berichtet nach sechs Monaten über die Umsetzung."
                )
                + votes
            )
        return result, paragraphs(f"{org} beschließt:") + proposal + votes

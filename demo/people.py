"""Persons and memberships of one body: councils, fractions, committees, deputies.

Seats follow the election arithmetic German councils use (Sainte-Laguë for the
council, d'Hondt for committee seats per fraction). Every membership period is
clipped to its organization's lifetime, which ``Membership.clean`` enforces.
"""

import datetime
import random
from dataclasses import dataclass, field

from gremien.models import Membership, Organization, Person

from .spec import TERMS, BodySpec
from .vocabulary import (
    FAMILY_NAMES,
    FEMALE_GIVEN_NAMES,
    MALE_GIVEN_NAMES,
    NOBLE_FAMILY_NAMES,
)

Kind = Membership.Kind


@dataclass(frozen=True)
class Party:
    key: str
    fraction_name: str
    short_name: str
    share: float


def parties(spec: BodySpec) -> list[Party]:
    return [
        Party("cdu", "CDU-Fraktion", "CDU", 0.31),
        Party("spd", "SPD-Fraktion", "SPD", 0.24),
        Party("gruene", "Fraktion BÜNDNIS 90/DIE GRÜNEN", "GRÜNE", 0.15),
        Party("wg", *spec.voters_group, 0.08),
        Party("fdp", "FDP-Fraktion", "FDP", 0.07),
        Party("linke", "Fraktion DIE LINKE", "LINKE", 0.05),
        Party("volt", "Volt-Fraktion", "Volt", 0.025),
    ]


def highest_averages(
    weights: list[tuple[str, float]], seats: int, *, first_divisor: float
) -> dict[str, int]:
    """Sainte-Laguë (``first_divisor`` 0.5) or d'Hondt (1.0); ties go to the
    earlier entry so the result never depends on dictionary or set order."""
    result = {key: 0 for key, _ in weights}
    for _ in range(seats):
        key = max(
            weights,
            key=lambda kw: kw[1] / (result[kw[0]] + first_divisor),
        )[0]
        result[key] += 1
    return result


def seat_plan(spec: BodySpec, rng: random.Random) -> list[dict[str, int]]:
    """Council seats per party key, one dict per legislative term."""
    plans = []
    shares = {
        p.key: max(0.005, rng.gauss(p.share, p.share * 0.2)) for p in parties(spec)
    }
    for term_index in range(len(TERMS)):
        if term_index:
            shares = {
                key: max(0.005, share * rng.gauss(1.6 if key == "volt" else 1.0, 0.15))
                for key, share in shares.items()
            }
        plans.append(
            highest_averages(
                list(shares.items()), spec.council_seats, first_divisor=0.5
            )
        )
    return plans


def fraction_lifetimes(
    plans: list[dict[str, int]],
) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    """Parties with at least two seats form a fraction; its lifetime spans the
    terms in which they do."""
    lifetimes = {}
    for key in plans[0]:
        terms = [i for i, plan in enumerate(plans) if plan[key] >= 2]
        if not terms:
            continue
        start = TERMS[terms[0]][1]
        end = None if terms[-1] == len(TERMS) - 1 else TERMS[terms[-1]][2]
        lifetimes[key] = (start, end)
    return lifetimes


def _ascii(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return "".join(c for c in text.lower() if c.isalnum() or c == "-")


PROFESSIONS = [
    ("Lehrerin", "Lehrer"),
    ("Verwaltungsfachwirtin", "Verwaltungsfachwirt"),
    ("Landwirtin", "Landwirt"),
    ("Rechtsanwältin", "Rechtsanwalt"),
    ("Ingenieurin", "Ingenieur"),
    ("Krankenpflegerin", "Krankenpfleger"),
    ("Unternehmerin", "Unternehmer"),
    ("Bankkauffrau", "Bankkaufmann"),
    ("Sozialarbeiterin", "Sozialarbeiter"),
    ("Rentnerin", "Rentner"),
    ("Handwerksmeisterin", "Handwerksmeister"),
    ("Studentin", "Student"),
]


@dataclass
class Period:
    person: Person
    start: datetime.date
    end: datetime.date | None
    membership: Membership | None = None


@dataclass
class Seat:
    party: str
    periods: list[Period] = field(default_factory=list)


class RosterBuilder:
    """Builds unsaved ``Person`` and ``Membership`` objects for one body.

    ``memberships`` reference the persons, ``deputy_memberships`` reference
    ``memberships`` (``deputy_of``): save in that order.
    """

    def __init__(
        self,
        *,
        rng: random.Random,
        spec: BodySpec,
        body,
        orgs: dict[str, Organization],
        fractions: dict[str, Organization],
        departments: list[Organization],
        plans: list[dict[str, int]],
        created: datetime.datetime,
    ):
        self.rng = rng
        self.spec = spec
        self.body = body
        self.orgs = orgs
        self.fractions = fractions
        self.departments = departments
        self.plans = plans
        self.created = created
        self.persons: list[Person] = []
        self.memberships: list[Membership] = []
        self.deputy_memberships: list[Membership] = []
        self.current_council_members: list[Person] = []
        self.staff_persons: dict[str, list[Person]] = {}

    # persons ---------------------------------------------------------------

    def person(self, *, female: bool | None = None, senior: bool = False) -> Person:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.42
        given = rng.choice(FEMALE_GIVEN_NAMES if female else MALE_GIVEN_NAMES)
        affix, family = "", rng.choice(FAMILY_NAMES)
        if rng.random() < 0.012:
            affix, family = "von", rng.choice(NOBLE_FAMILY_NAMES)
        roll = rng.random()
        title = ["Prof. Dr."] if roll < 0.01 else ["Dr."] if roll < 0.08 else []
        born = rng.randint(1944, 1962) if senior else rng.randint(1955, 2001)
        profession = rng.choice(PROFESSIONS)[0 if female else 1]
        email = f"{_ascii(given)}.{_ascii(family)}@{self.spec.domain}"
        person = Person(
            body=self.body,
            form_of_address="Frau" if female else "Herr",
            title=title,
            given_name=given,
            affix=affix,
            family_name=family,
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            email=[email],
            phone=(
                [f"{self.spec.area_code} {rng.randint(10000, 989999)}"]
                if rng.random() < 0.7
                else []
            ),
            email_public=rng.random() < 0.3,
            phone_public=rng.random() < 0.1,
            life=(
                f"Geboren {born} in {self.spec.locality}, {profession}."
                if rng.random() < 0.5
                else ""
            ),
            created=self.created,
        )
        self.persons.append(person)
        return person

    # memberships -----------------------------------------------------------

    def membership(
        self,
        org: Organization,
        period: Period,
        *,
        kind: str = Kind.MEMBER,
        role: str = "Mitglied",
        fraction: Organization | None = None,
        deputy_of: Membership | None = None,
        voting_right: bool = True,
    ) -> Membership | None:
        """A membership clipped to the organization's lifetime, or None if the
        period lies entirely outside it."""
        start = max(period.start, org.start_date) if org.start_date else period.start
        end = period.end
        if org.end_date and (end is None or end > org.end_date):
            end = org.end_date
        if end is not None and end < start:
            return None
        membership = Membership(
            person=period.person,
            organization=org,
            kind=kind,
            role=role,
            voting_right=voting_right,
            start_date=start,
            end_date=end,
            on_behalf_of=fraction,
            deputy_of=deputy_of,
            created=self.created,
        )
        target = self.deputy_memberships if deputy_of else self.memberships
        target.append(membership)
        return membership

    def _gendered(self, person: Person, pair: tuple[str, str]) -> str:
        return pair[0] if person.gender == Person.Gender.FEMALE else pair[1]

    # building --------------------------------------------------------------

    def build(self) -> None:
        previous: list[Seat] = []
        mayor = None
        for term_index, (_name, start, end) in enumerate(TERMS):
            current = end if term_index < len(TERMS) - 1 else None
            mayor = self._mayor(mayor, term_index, start, current)
            seats = self._council(previous, term_index, start, current)
            self._deputy_mayors(seats)
            self._fraction_members(seats, term_index)
            if "beirat" in self.orgs:
                self._advisory_board(self.orgs["beirat"], start, current)
            for key, org in self.orgs.items():
                if org.kind in (
                    Organization.Kind.COMMITTEE,
                    Organization.Kind.SUBCOMMITTEE,
                ):
                    self._committee(key, org, seats, start, current, term_index, mayor)
                elif org.kind == Organization.Kind.DISTRICT_COUNCIL:
                    self._district_council(org, term_index, start, current)
            previous = seats
        self.current_council_members = [
            seat.periods[-1].person for seat in previous if seat.periods[-1].end is None
        ]
        self._departments()

    def _mayor(self, previous, term_index, start, end) -> Period:
        rng = self.rng
        if previous is not None and rng.random() < 0.6:
            person = previous.person
        else:
            person = self.person()
        period = Period(person, start, end)
        role = self._gendered(person, self.spec.head_title)
        period.membership = self.membership(self.orgs["council"], period, role=role)
        if previous is not None and previous.person is not person:
            previous.person.status = [
                f"{self._gendered(previous.person, self.spec.head_title)} a. D."
            ]
        person.status = [role]
        return period

    def _council(self, previous: list[Seat], term_index, start, end) -> list[Seat]:
        rng = self.rng
        plan = self.plans[term_index]
        veterans: dict[str, list[Person]] = {}
        for seat in previous:
            last = seat.periods[-1]
            if rng.random() < 0.65:
                veterans.setdefault(seat.party, []).append(last.person)
        seats = []
        member_role = (
            "Kreistagsmitglied"
            if self.orgs["council"].name == "Kreistag"
            else "Ratsmitglied"
        )
        for party, count in plan.items():
            pool = veterans.get(party, [])
            for _ in range(count):
                person = pool.pop(0) if pool else self.person()
                seat = Seat(party, [Period(person, start, end)])
                if end is not None and rng.random() < 0.1:
                    self._replace_mid_term(seat, start, end)
                seats.append(seat)
        for seat in seats:
            fraction = self._fraction(seat.party, term_index)
            for period in seat.periods:
                period.membership = self.membership(
                    self.orgs["council"], period, role=member_role, fraction=fraction
                )
        return seats

    def _replace_mid_term(self, seat: Seat, start, end) -> None:
        """A member resigns (moves away, takes office elsewhere); the next
        candidate of the party's list takes the seat the day after."""
        span = (end - start).days
        leave = start + datetime.timedelta(days=self.rng.randint(120, span - 120))
        first = seat.periods[0]
        first.end = leave
        seat.periods.append(
            Period(self.person(), leave + datetime.timedelta(days=1), end)
        )

    def _fraction(self, party: str, term_index: int) -> Organization | None:
        if self.plans[term_index][party] < 2:
            return None
        return self.fractions.get(party)

    def _deputy_mayors(self, seats: list[Seat]) -> None:
        by_party: dict[str, list[Seat]] = {}
        for seat in seats:
            by_party.setdefault(seat.party, []).append(seat)
        ranked = sorted(by_party.items(), key=lambda kv: -len(kv[1]))
        head = self.spec.head_title
        for rank, (_party, party_seats) in enumerate(ranked[:2], start=1):
            membership = party_seats[-1].periods[-1].membership
            if membership is not None:
                membership.role = f"{rank}. stellv. " + self._gendered(
                    membership.person, head
                )

    def _fraction_members(self, seats: list[Seat], term_index: int) -> None:
        position: dict[str, int] = {}
        for seat in seats:
            fraction = self._fraction(seat.party, term_index)
            if fraction is None:
                continue
            index = position.get(seat.party, 0)
            position[seat.party] = index + 1
            role = {0: "Fraktionsvorsitz", 1: "stellv. Fraktionsvorsitz"}.get(
                index, "Mitglied"
            )
            for period in seat.periods:
                self.membership(fraction, period, role=role)

    def _committee_seats(self, seats: list[Seat], size: int, term_index: int):
        weights = []
        for party, count in self.plans[term_index].items():
            if self._fraction(party, term_index) is not None:
                weights.append((party, float(count)))
        return highest_averages(weights, size, first_divisor=1.0)

    def _committee(self, key, org, seats, start, end, term_index, mayor) -> None:
        """Committee seats per fraction (d'Hondt); a fraction's first seat is a
        council member (chairs must be), others are often sachkundige Bürger."""
        rng = self.rng
        if org.end_date and org.end_date < start:
            return
        if org.start_date and end and org.start_date > end:
            return
        by_party: dict[str, list[Seat]] = {}
        for seat in seats:
            by_party.setdefault(seat.party, []).append(seat)
        only_council = key == "hfa"  # the main committee seats council members only
        size = self._org_size(org)
        seat_counts = self._committee_seats(seats, size, term_index)
        ranked = sorted(seat_counts.items(), key=lambda kv: -kv[1])
        chair_roles = {}
        if only_council and mayor is not None:
            self.membership(org, mayor, role="Vorsitz")
            chair_roles[ranked[0][0]] = "stellv. Vorsitz"
        else:
            chair_roles[ranked[0][0]] = "Vorsitz"
            if len(ranked) > 1:
                chair_roles[ranked[1][0]] = "stellv. Vorsitz"
        for party, count in seat_counts.items():
            fraction = self._fraction(party, term_index)
            candidates = list(by_party.get(party, []))
            rng.shuffle(candidates)
            for index in range(count):
                council_seat = candidates.pop() if candidates else None
                if council_seat is not None and (
                    only_council or index == 0 or rng.random() < 0.7
                ):
                    periods = council_seat.periods
                    kind = Kind.MEMBER
                else:
                    periods = [Period(self.person(), start, end)]
                    if end is not None and rng.random() < 0.08:
                        self._replace_mid_term(Seat(party, periods), start, end)
                    kind = Kind.CITIZEN_MEMBER
                chairs_allowed = index == 0 and kind == Kind.MEMBER
                role = (
                    chair_roles.pop(party, "Mitglied") if chairs_allowed else "Mitglied"
                )
                if kind == Kind.CITIZEN_MEMBER and role == "Mitglied":
                    role = self._gendered(
                        periods[0].person,
                        ("sachkundige Bürgerin", "sachkundiger Bürger"),
                    )
                deputy = (
                    self.person()
                    if rng.random() < 0.5 or not candidates
                    else candidates[-1].periods[0].person
                )
                for period in periods:
                    member = self.membership(
                        org, period, kind=kind, role=role, fraction=fraction
                    )
                    if member is not None:
                        self.membership(
                            org,
                            Period(deputy, member.start_date, member.end_date),
                            kind=Kind.DEPUTY,
                            role="Stellvertretung",
                            fraction=fraction,
                            deputy_of=member,
                        )
        if "Soziales" in org.name:
            self._advisory_member(org, start, end)

    def _org_size(self, org: Organization) -> int:
        for spec in self.spec.organizations:
            if spec.name == org.name:
                return spec.size
        return 11

    def _advisory_member(self, org, start, end) -> None:
        board = self.orgs.get("beirat")
        chairs = [
            m
            for m in self.memberships
            if m.organization is board and m.role == "Vorsitz" and m.end_date == end
        ]
        if chairs:
            self.membership(
                org,
                Period(chairs[-1].person, start, end),
                kind=Kind.ADVISORY,
                role="beratendes Mitglied (Seniorenbeirat)",
                voting_right=False,
            )

    def _district_council(self, org, term_index, start, end) -> None:
        weights = [
            (party, float(count))
            for party, count in self.plans[term_index].items()
            if count
        ]
        seat_counts = highest_averages(weights, self._org_size(org), first_divisor=1.0)
        ranked = sorted(seat_counts.items(), key=lambda kv: -kv[1])
        chair_roles = {ranked[0][0]: ("Bezirksbürgermeisterin", "Bezirksbürgermeister")}
        chair_roles[ranked[1][0]] = (
            "stellv. Bezirksbürgermeisterin",
            "stellv. Bezirksbürgermeister",
        )
        for party, count in seat_counts.items():
            for index in range(count):
                person = self.person()
                pair = chair_roles.pop(party, None) if index == 0 else None
                role = self._gendered(person, pair) if pair else "Mitglied"
                self.membership(
                    org,
                    Period(person, start, end),
                    role=role,
                    fraction=self._fraction(party, term_index),
                )

    def _advisory_board(self, org, start, end) -> None:
        for index in range(self._org_size(org)):
            role = {0: "Vorsitz", 1: "stellv. Vorsitz"}.get(index, "Mitglied")
            self.membership(
                org, Period(self.person(senior=True), start, end), role=role
            )

    def _departments(self) -> None:
        rng = self.rng
        for department in self.departments:
            staff = []
            head = self.person()
            joined = datetime.date(rng.randint(2008, 2020), rng.randint(1, 12), 1)
            if rng.random() < 0.2:
                leave = datetime.date(2025, rng.randint(1, 12), 1)
                self.membership(
                    department,
                    Period(head, joined, leave - datetime.timedelta(days=1)),
                    kind=Kind.STAFF,
                    role="Fachbereichsleitung",
                    voting_right=False,
                )
                head.status = ["Fachbereichsleitung a. D."]
                head = self.person()
                joined = leave
            head.status = [f"Fachbereichsleitung {department.short_name}"]
            self.membership(
                department,
                Period(head, joined, None),
                kind=Kind.STAFF,
                role="Fachbereichsleitung",
                voting_right=False,
            )
            staff.append(head)
            for _ in range(rng.randint(1, 2)):
                clerk = self.person()
                self.membership(
                    department,
                    Period(clerk, datetime.date(rng.randint(2012, 2022), 4, 1), None),
                    kind=Kind.STAFF,
                    role="Sachbearbeitung",
                    voting_right=False,
                )
                staff.append(clerk)
            self.staff_persons[department.short_name] = staff

"""What the demo installation consists of: scales, bodies, organization templates.

Everything here is static data or derived from the random generator handed in;
nothing reads the clock. All dates hang off the two legislative terms and the
fixed demo "today" (``DEMO_TODAY``), so a seed always yields the same data.
"""

import datetime
import random
from dataclasses import dataclass, field

from gremien.models import Body, Organization

from .vocabulary import EXTRA_TOWN_STEMS, EXTRA_TOWN_SUFFIXES

Kind = Organization.Kind

#: The day the demo data treats as "today": meetings before it were held,
#: meetings up to three weeks after it are invited, later ones only planned.
DEMO_TODAY = datetime.date(2026, 11, 20)
TERMS = (
    ("Wahlperiode 2021–2026", datetime.date(2021, 11, 1), datetime.date(2026, 10, 31)),
    ("Wahlperiode 2026–2031", datetime.date(2026, 11, 1), datetime.date(2031, 10, 31)),
)
MEETING_YEARS = (2024, 2025, 2026)
DATA_START = TERMS[0][1]
INVITATION_HORIZON = datetime.timedelta(days=21)


@dataclass(frozen=True)
class Scale:
    name: str
    extra_bodies: int
    papers_per_body: int
    #: meetings per year by rhythm (see ``OrgSpec.rhythm``)
    meetings_per_year: dict[str, int]
    attachments_per_paper: tuple[int, int]
    #: distinct attachment PDFs per body, reused by many File rows
    attachment_pool: int
    #: every paper gets its own main PDF (small) or one of a pool (large)
    main_pdf_pool: int | None


SCALES = {
    "small": Scale(
        name="small",
        extra_bodies=0,
        papers_per_body=110,
        meetings_per_year={"council": 4, "hfa": 3, "committee": 2, "minor": 1},
        attachments_per_paper=(0, 2),
        attachment_pool=12,
        main_pdf_pool=None,
    ),
    "large": Scale(
        name="large",
        extra_bodies=29,
        papers_per_body=1620,
        meetings_per_year={"council": 10, "hfa": 8, "committee": 7, "minor": 4},
        attachments_per_paper=(0, 2),
        attachment_pool=40,
        main_pdf_pool=60,
    ),
}


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    short_name: str
    kind: str
    #: genitive phrase for meeting names: "12. Sitzung des Schulausschusses"
    genitive: str = ""
    rhythm: str = "committee"
    size: int = 0
    parent: str = ""
    start: datetime.date | None = DATA_START
    end: datetime.date | None = None
    public_meetings: bool = True
    room: str = "Sitzungssaal"
    hour: int = 17
    minute: int = 0
    posts: tuple[str, ...] = ("Vorsitz", "stellv. Vorsitz", "Mitglied")


@dataclass(frozen=True)
class BodySpec:
    slug: str
    name: str
    short_name: str
    classification: str
    ags: str
    reference_prefix: str
    council_name: str
    council_genitive: str
    council_seats: int
    head_title: tuple[str, str]  # (female, male): Bürgermeisterin, Bürgermeister
    town_hall: str
    street: str
    postal_code: str
    locality: str
    area_code: str
    river: str
    voters_group: tuple[str, str]  # (fraction name, short name) of the local list
    districts: tuple[str, ...] = ()
    organizations: list[OrgSpec] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return f"{self.slug}.example"


DEPARTMENTS = (
    ("dept_zentral", "Fachbereich 1 – Zentrale Dienste und Personal", "FB 1"),
    ("dept_fin", "Fachbereich 2 – Finanzen und Beteiligungen", "FB 2"),
    ("dept_bildung", "Fachbereich 3 – Bildung, Jugend und Sport", "FB 3"),
    ("dept_soz", "Fachbereich 4 – Soziales und Integration", "FB 4"),
    ("dept_bau", "Fachbereich 5 – Planen und Bauen", "FB 5"),
    ("dept_umwelt", "Fachbereich 6 – Umwelt und Klimaschutz", "FB 6"),
)


def _organizations(spec: BodySpec, *, committee_size: int) -> list[OrgSpec]:
    is_kreis = spec.classification == Body.Classification.DISTRICT
    orgs = [
        OrgSpec(
            "council",
            spec.council_name,
            "KT" if is_kreis else "Rat",
            Kind.COUNCIL,
            genitive=spec.council_genitive,
            rhythm="council",
            room="Sitzungssaal des Kreistages" if is_kreis else "Ratssaal",
            hour=15 if is_kreis else 17,
            posts=(*spec.head_title, "stellv. Vorsitz", "Mitglied"),
        ),
        OrgSpec(
            "hfa",
            "Kreisausschuss" if is_kreis else "Haupt- und Finanzausschuss",
            "KA" if is_kreis else "HFA",
            Kind.COMMITTEE,
            genitive="des Kreisausschusses"
            if is_kreis
            else "des Haupt- und Finanzausschusses",
            rhythm="hfa",
            size=committee_size,
        ),
        OrgSpec(
            "bau",
            "Ausschuss für Planung, Bau und Mobilität"
            if is_kreis
            else "Ausschuss für Planung und Bau",
            "PBM" if is_kreis else "PBA",
            Kind.COMMITTEE,
            genitive="des Ausschusses für Planung, Bau und Mobilität"
            if is_kreis
            else "des Ausschusses für Planung und Bau",
            size=committee_size,
            minute=30,
        ),
        OrgSpec(
            "schule",
            "Schulausschuss",
            "SchA",
            Kind.COMMITTEE,
            genitive="des Schulausschusses",
            size=committee_size,
        ),
        OrgSpec(
            "umwelt",
            "Ausschuss für Umwelt und Klimaschutz",
            "UKA",
            Kind.COMMITTEE,
            genitive="des Ausschusses für Umwelt und Klimaschutz",
            size=committee_size,
            minute=30,
        ),
        OrgSpec(
            "sozial",
            "Ausschuss für Soziales, Senioren und Integration",
            "SozA",
            Kind.COMMITTEE,
            genitive="des Ausschusses für Soziales, Senioren und Integration",
            size=committee_size,
        ),
        OrgSpec(
            "beirat",
            "Kreisseniorenbeirat" if is_kreis else "Seniorenbeirat",
            "SB",
            Kind.ADVISORY_BOARD,
            genitive="des Kreisseniorenbeirates"
            if is_kreis
            else "des Seniorenbeirates",
            rhythm="minor",
            size=9,
            room="Besprechungsraum",
            hour=10,
            posts=("Vorsitz", "stellv. Vorsitz", "Mitglied"),
        ),
    ]
    orgs.extend(_special_organizations(spec, committee_size=committee_size))
    return orgs


def _special_organizations(spec: BodySpec, *, committee_size: int) -> list[OrgSpec]:
    """Sub-committees (one ends with the first term, one starts in the second),
    the district councils of a town."""
    term1_end, term2_start = TERMS[0][2], TERMS[1][1]
    if spec.classification == Body.Classification.DISTRICT:
        return [
            OrgSpec(
                "sub",
                "Unterausschuss Rettungsdienst",
                "UA RD",
                Kind.SUBCOMMITTEE,
                genitive="des Unterausschusses Rettungsdienst",
                rhythm="minor",
                size=7,
                parent="sozial",
                room="Besprechungsraum",
            ),
        ]
    if spec.classification == Body.Classification.MUNICIPALITY:
        return [
            OrgSpec(
                "sub",
                "Unterausschuss Liegenschaften",
                "UA Lg",
                Kind.SUBCOMMITTEE,
                genitive="des Unterausschusses Liegenschaften",
                rhythm="minor",
                size=5,
                parent="hfa",
                public_meetings=False,
                room="Besprechungsraum",
                hour=18,
            ),
        ]
    orgs = [
        OrgSpec(
            "sub",
            "Unterausschuss Schulentwicklungsplanung",
            "UA SEP",
            Kind.SUBCOMMITTEE,
            genitive="des Unterausschusses Schulentwicklungsplanung",
            rhythm="minor",
            size=7,
            parent="schule",
            start=datetime.date(2022, 3, 1),
            end=term1_end,
            room="Besprechungsraum",
        ),
        OrgSpec(
            "sub2",
            "Unterausschuss Mobilität",
            "UA Mob",
            Kind.SUBCOMMITTEE,
            genitive="des Unterausschusses Mobilität",
            rhythm="minor",
            size=7,
            parent="bau",
            start=term2_start + datetime.timedelta(days=14),
            room="Besprechungsraum",
        ),
    ]
    for index, district in enumerate(spec.districts, start=1):
        orgs.append(
            OrgSpec(
                f"bv{index}",
                f"Bezirksvertretung {district}",
                f"BV {district.rsplit('-', 1)[-1]}",
                Kind.DISTRICT_COUNCIL,
                genitive=f"der Bezirksvertretung {district}",
                rhythm="committee",
                size=15,
                room=f"Bürgerhaus {district.rsplit('-', 1)[-1]}",
                posts=(
                    "Bezirksbürgermeister/in",
                    "stellv. Bezirksbürgermeister/in",
                    "Mitglied",
                ),
            )
        )
    return orgs


def _named_bodies() -> list[BodySpec]:
    kreis = BodySpec(
        slug="auenwald",
        name="Landkreis Auenwald",
        short_name="Auenwald",
        classification=Body.Classification.DISTRICT,
        ags="05978000",
        reference_prefix="DS",
        council_name="Kreistag",
        council_genitive="des Kreistages des Landkreises Auenwald",
        council_seats=54,
        head_title=("Landrätin", "Landrat"),
        town_hall="Kreishaus Auenwald",
        street="Kreishausplatz 1",
        postal_code="59471",
        locality="Lindenfeld",
        area_code="02941",
        river="die Aue",
        voters_group=("Fraktion FREIE WÄHLER", "FW"),
    )
    stadt = BodySpec(
        slug="lindenfeld",
        name="Stadt Lindenfeld",
        short_name="Lindenfeld",
        classification=Body.Classification.CITY,
        ags="05978024",
        reference_prefix="VO",
        council_name="Rat der Stadt Lindenfeld",
        council_genitive="des Rates der Stadt Lindenfeld",
        council_seats=44,
        head_title=("Bürgermeisterin", "Bürgermeister"),
        town_hall="Rathaus Lindenfeld",
        street="Marktplatz 1",
        postal_code="59471",
        locality="Lindenfeld",
        area_code="02941",
        river="den Lindenbach",
        voters_group=("UWG-Fraktion", "UWG"),
        districts=("Lindenfeld-Nord", "Lindenfeld-Süd"),
    )
    gemeinde = BodySpec(
        slug="birkenbach",
        name="Gemeinde Birkenbach",
        short_name="Birkenbach",
        classification=Body.Classification.MUNICIPALITY,
        ags="05978008",
        reference_prefix="VO",
        council_name="Gemeinderat",
        council_genitive="des Gemeinderates der Gemeinde Birkenbach",
        council_seats=26,
        head_title=("Bürgermeisterin", "Bürgermeister"),
        town_hall="Rathaus Birkenbach",
        street="Kirchplatz 3",
        postal_code="59519",
        locality="Birkenbach",
        area_code="02945",
        river="den Birkenbach",
        voters_group=("Fraktion Wählergemeinschaft Birkenbach", "WGB"),
    )
    sizes = {"auenwald": 17, "lindenfeld": 15, "birkenbach": 11}
    for spec in (kreis, stadt, gemeinde):
        spec.organizations.extend(_organizations(spec, committee_size=sizes[spec.slug]))
    return [kreis, stadt, gemeinde]


def _extra_body(index: int, rng: random.Random, used: list[str]) -> BodySpec:
    while True:
        short = rng.choice(EXTRA_TOWN_STEMS) + rng.choice(EXTRA_TOWN_SUFFIXES)
        if short not in used and short not in ("Lindenfeld", "Birkenbach"):
            used.append(short)
            break
    is_town = index % 3 == 0
    classification = (
        Body.Classification.CITY if is_town else Body.Classification.MUNICIPALITY
    )
    prefix = "Stadt" if is_town else "Gemeinde"
    slug = (
        short.lower()
        .replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
    )
    council = "Rat der Stadt " + short if is_town else "Gemeinderat"
    spec = BodySpec(
        slug=slug,
        name=f"{prefix} {short}",
        short_name=short,
        classification=classification,
        ags=f"05978{12 + 4 * index:03d}",
        reference_prefix="VO",
        council_name=council,
        council_genitive=(
            f"des Rates der Stadt {short}"
            if is_town
            else f"des Gemeinderates der Gemeinde {short}"
        ),
        council_seats=rng.choice([26, 28, 32, 34, 38, 40]),
        head_title=("Bürgermeisterin", "Bürgermeister"),
        town_hall=f"Rathaus {short}",
        street=rng.choice(["Marktplatz 1", "Rathausplatz 2", "Hauptstraße 15"]),
        postal_code=f"59{rng.randint(400, 599)}",
        locality=short,
        area_code=f"029{rng.randint(21, 58)}",
        river=rng.choice(["die Aue", "den Mühlenbach", "die Lippe", "den Ahsebach"]),
        voters_group=(f"Fraktion Bürgerliste {short}", "BL"),
        districts=(f"{short}-Nord", f"{short}-Süd") if is_town else (),
    )
    spec.organizations.extend(
        _organizations(spec, committee_size=15 if is_town else 11)
    )
    return spec


def body_specs(scale: Scale, rng: random.Random) -> list[BodySpec]:
    specs = _named_bodies()
    used: list[str] = []
    specs.extend(_extra_body(i, rng, used) for i in range(scale.extra_bodies))
    return specs

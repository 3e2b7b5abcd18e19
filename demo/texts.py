# ruff: noqa: E501 - one template sentence per line reads better than split strings
"""Titles and rich texts of papers, generated from templates.

Each template names its subject area; the area decides the consultation path
(see ``demo.papers``). Slots like ``{street}`` are filled per paper by
``slots()``, so titles vary while staying plausible.
"""

import datetime
import random
from dataclasses import dataclass

from .vocabulary import FIELD_NAMES, SCHOOL_PATTERNS, STREETS


@dataclass(frozen=True)
class Topic:
    area: str
    title: str
    proposal: str
    public: bool = True


# fmt: off
RESOLUTIONS = [
    Topic("bau", "Bebauungsplan Nr. {bplan} „{field}“ – Aufstellungsbeschluss",
          "Der {council} beschließt die Aufstellung des Bebauungsplans Nr. {bplan} „{field}“ gemäß § 2 Abs. 1 BauGB. Der räumliche Geltungsbereich ergibt sich aus dem beigefügten Lageplan (Anlage 1)."),
    Topic("bau", "Bebauungsplan Nr. {bplan} „{field}“ – Beschluss über die öffentliche Auslegung",
          "Der {council} beschließt, den Entwurf des Bebauungsplans Nr. {bplan} „{field}“ mit Begründung gemäß § 3 Abs. 2 BauGB für die Dauer eines Monats öffentlich auszulegen."),
    Topic("bau", "Bebauungsplan Nr. {bplan} „{field}“ – Abwägung und Satzungsbeschluss",
          "Der {council} beschließt die Abwägung der eingegangenen Stellungnahmen gemäß Anlage 2 und den Bebauungsplan Nr. {bplan} „{field}“ gemäß § 10 Abs. 1 BauGB als Satzung."),
    Topic("bau", "{fnp}. Änderung des Flächennutzungsplans im Bereich „{field}“",
          "Der {council} beschließt die {fnp}. Änderung des Flächennutzungsplans im Bereich „{field}“ und beauftragt die Verwaltung mit der Durchführung des Verfahrens."),
    Topic("bau", "Sanierung der {street} – Ausbauprogramm und Bürgerbeteiligung",
          "Der {council} stimmt dem Ausbauprogramm für die Sanierung der {street} zu und beauftragt die Verwaltung, die Anliegerinnen und Anlieger in einer Versammlung zu beteiligen."),
    Topic("bau", "Neubau eines Radwegs entlang der {street}",
          "Der {council} beschließt den Neubau eines Radwegs entlang der {street} gemäß der Entwurfsplanung und beauftragt die Verwaltung, Fördermittel zu beantragen."),
    Topic("bau", "Erneuerung der Brücke über {river} im Zuge der {street}",
          "Der {council} beschließt die Erneuerung der Brücke über {river} im Zuge der {street} mit Gesamtkosten von {amount}."),
    Topic("bau", "Fortschreibung des Nahverkehrsplans",
          "Der {council} beschließt die Fortschreibung des Nahverkehrsplans in der vorgelegten Fassung."),
    Topic("finanzen", "Haushaltssatzung und Haushaltsplan für das Haushaltsjahr {next_year}",
          "Der {council} beschließt die Haushaltssatzung mit Haushaltsplan für das Haushaltsjahr {next_year} in der Fassung der Veränderungsliste (Anlage 1)."),
    Topic("finanzen", "Feststellung des Jahresabschlusses {prev_year} und Entlastung",
          "Der {council} stellt den geprüften Jahresabschluss {prev_year} fest und erteilt der Verwaltungsleitung Entlastung."),
    Topic("finanzen", "Überplanmäßige Aufwendungen für die Unterhaltung der Straßenbeleuchtung",
          "Der {council} genehmigt überplanmäßige Aufwendungen in Höhe von {amount} für die Unterhaltung der Straßenbeleuchtung."),
    Topic("finanzen", "Festsetzung der Hebesätze der Grundsteuer ab {next_year}",
          "Der {council} beschließt die Satzung über die Festsetzung der Hebesätze für die Grundsteuer A und B ab dem 01.01.{next_year} gemäß Anlage 1."),
    Topic("finanzen", "{n}. Änderung der Satzung über die Abwassergebühren",
          "Der {council} beschließt die {n}. Änderung der Gebührensatzung für die Abwasserbeseitigung gemäß Anlage 1."),
    Topic("finanzen", "Beteiligungsbericht {prev_year}",
          "Der {council} nimmt den Beteiligungsbericht {prev_year} zustimmend zur Kenntnis."),
    Topic("schule", "Schulentwicklungsplan {year}–{year5}",
          "Der {council} beschließt den Schulentwicklungsplan {year}–{year5} in der vorgelegten Fassung."),
    Topic("schule", "Erweiterung der Offenen Ganztagsschule an der {school}",
          "Der {council} beschließt die Erweiterung der Offenen Ganztagsschule an der {school} um {rooms} Gruppenräume mit Gesamtkosten von {amount}."),
    Topic("schule", "Digitalisierung der Schulen – Beschaffung von Tablets und WLAN-Ausbau",
          "Der {council} stimmt dem Medienentwicklungsplan zu und beauftragt die Verwaltung mit der Beschaffung von {count} Tablets."),
    Topic("schule", "Sanierung der Sporthalle der {school}",
          "Der {council} beschließt die Sanierung der Sporthalle der {school} auf Grundlage der Kostenberechnung in Höhe von {amount}."),
    Topic("umwelt", "Fortschreibung des integrierten Klimaschutzkonzepts",
          "Der {council} beschließt die Fortschreibung des integrierten Klimaschutzkonzepts mit dem Maßnahmenkatalog gemäß Anlage 1."),
    Topic("umwelt", "Kommunale Wärmeplanung – Beschluss zur Durchführung",
          "Der {council} beschließt die Durchführung der kommunalen Wärmeplanung und beauftragt die Verwaltung, die Planungsleistungen auszuschreiben."),
    Topic("umwelt", "Ausbau der Photovoltaik auf kommunalen Dächern – Programm {year}–{year3}",
          "Der {council} beschließt das Programm zum Ausbau der Photovoltaik auf kommunalen Dächern mit einem Investitionsvolumen von {amount}."),
    Topic("umwelt", "Hochwasserschutz an {river_dat} – Maßnahmenkonzept",
          "Der {council} stimmt dem Maßnahmenkonzept zum Hochwasserschutz zu und beauftragt die Verwaltung mit der Entwurfsplanung."),
    Topic("umwelt", "Neufassung der Baumschutzsatzung",
          "Der {council} beschließt die Neufassung der Baumschutzsatzung gemäß Anlage 1."),
    Topic("sozial", "Unterbringung von Geflüchteten – Anmietung zusätzlicher Wohnungen",
          "Der {council} beauftragt die Verwaltung, bis zu {rooms} weitere Wohnungen zur Unterbringung von Geflüchteten anzumieten."),
    Topic("sozial", "Seniorenpolitisches Gesamtkonzept {year}",
          "Der {council} beschließt das Seniorenpolitische Gesamtkonzept {year} als Leitlinie für die weitere Arbeit."),
    Topic("sozial", "Neufassung der Richtlinien zur Förderung der Vereine und Verbände",
          "Der {council} beschließt die Richtlinien zur Förderung der Vereine und Verbände in der Fassung der Anlage 1 mit Wirkung zum 01.01.{next_year}."),
    Topic("sozial", "Einrichtung eines Quartierstreffs in der {street}",
          "Der {council} beschließt die Einrichtung eines Quartierstreffs in der {street} und stellt hierfür jährlich {amount} bereit."),
    Topic("sozial", "Fortschreibung des kommunalen Integrationskonzepts",
          "Der {council} beschließt die Fortschreibung des kommunalen Integrationskonzepts."),
]

NON_PUBLIC = [
    Topic("liegenschaften", "Grundstücksangelegenheit: Verkauf einer Teilfläche des Flurstücks {parcel}, Flur {flur}, Gemarkung {town}",
          "Der {council} stimmt dem Verkauf der Teilfläche zu einem Kaufpreis von {amount} an die in der Vorlage genannte Käuferin zu.", public=False),
    Topic("liegenschaften", "Grundstücksangelegenheit: Erwerb von Flächen für das Baugebiet „{field}“",
          "Der {council} stimmt dem Erwerb der in Anlage 1 bezeichneten Flächen zu den genannten Konditionen zu.", public=False),
    Topic("personal", "Personalangelegenheit: Besetzung der Stelle der Leitung des {dept}",
          "Der {council} stimmt der Besetzung der Stelle mit der in der Vorlage genannten Person zu.", public=False),
    Topic("vergabe", "Vergabe der Bauleistungen für die Sanierung der {school}",
          "Der {council} beschließt, den Auftrag an den wirtschaftlichsten Bieter zu einem Angebotspreis von {amount} zu vergeben.", public=False),
    Topic("vergabe", "Vertragsangelegenheit: Neuabschluss des Konzessionsvertrags Strom",
          "Der {council} stimmt dem Abschluss des Konzessionsvertrags mit dem in der Vorlage genannten Unternehmen zu.", public=False),
    Topic("finanzen", "Stundung von Gewerbesteuerforderungen",
          "Der {council} stimmt der Stundung der Forderungen gemäß den in der Vorlage genannten Bedingungen zu.", public=False),
]

MOTIONS = [
    ("finanzen", "Einführung eines Bürgerhaushalts", "ein Konzept für die Einführung eines Bürgerhaushalts ab dem Haushaltsjahr {next_year} vorzulegen"),
    ("schule", "Kostenloses Mittagessen an Grundschulen", "zu prüfen, wie ein kostenloses Mittagessen an allen Grundschulen finanziert werden kann"),
    ("umwelt", "Einrichtung öffentlicher Trinkwasserbrunnen", "an mindestens drei zentralen Plätzen öffentliche Trinkwasserbrunnen einzurichten"),
    ("bau", "Tempo 30 vor Schulen und Kindertageseinrichtungen", "bei der Straßenverkehrsbehörde Tempo 30 vor allen Schulen und Kindertageseinrichtungen zu beantragen"),
    ("bau", "Zusätzliche Fahrradbügel in der Innenstadt", "im Bereich der {street} mindestens 50 zusätzliche Fahrradbügel aufzustellen"),
    ("finanzen", "Livestream der Ratssitzungen", "die technischen und rechtlichen Voraussetzungen für einen Livestream der öffentlichen Sitzungen zu schaffen"),
    ("umwelt", "Blühwiesen statt Rasenflächen", "geeignete städtische Rasenflächen in insektenfreundliche Blühwiesen umzuwandeln"),
    ("bau", "Mehr Sitzbänke entlang der {street}", "entlang der {street} in regelmäßigen Abständen Sitzbänke aufzustellen"),
    ("bau", "Bessere Beleuchtung am Bahnhof", "die Beleuchtung der Wege zum Bahnhof zu verbessern"),
    ("sozial", "Einrichtung eines Bürgerbusses", "gemeinsam mit einem Förderverein die Einrichtung eines Bürgerbusses vorzubereiten"),
    ("sozial", "Schaffung eines Jugendparlaments", "eine Satzung für ein Jugendparlament zu erarbeiten"),
    ("umwelt", "Baumpflanzprogramm „1000 Bäume“", "ein Programm zur Pflanzung von 1000 zusätzlichen Straßenbäumen bis {year5} vorzulegen"),
    ("schule", "Schulwegsicherung an der {school}", "ein Konzept zur Sicherung der Schulwege an der {school} vorzulegen"),
    ("sozial", "Barrierefreier Umbau der Bushaltestellen", "einen Zeitplan für den barrierefreien Umbau aller Bushaltestellen vorzulegen"),
    ("umwelt", "Insektenfreundliche Straßenbeleuchtung", "bei der Umrüstung der Straßenbeleuchtung ausschließlich insektenfreundliche Leuchtmittel zu verwenden"),
    ("finanzen", "Verzicht auf eine Erhöhung der Grundsteuer", "im Haushaltsentwurf {next_year} auf eine Erhöhung der Grundsteuer zu verzichten"),
    ("bau", "Bauland für junge Familien", "Vorschläge für die Ausweisung von Bauland für junge Familien vorzulegen"),
    ("sozial", "Öffentliche Toiletten in der Innenstadt", "ein Konzept „Nette Toilette“ mit der örtlichen Gastronomie umzusetzen"),
    ("schule", "CO2-Ampeln in allen Klassenräumen", "alle Klassenräume mit CO2-Ampeln auszustatten"),
]

INQUIRIES = [
    ("bau", "Sachstand Breitbandausbau in den Außenbereichen"),
    ("bau", "Zustand der Brücken"),
    ("schule", "Unterrichtsausfall und Raumsituation an der {school}"),
    ("finanzen", "Wartezeiten im Bürgerbüro"),
    ("bau", "Kostenentwicklung bei der Sanierung der {street}"),
    ("umwelt", "Umsetzung des Radverkehrskonzepts"),
    ("finanzen", "Leerstand von Ladenlokalen in der Innenstadt"),
    ("sozial", "Entwicklung der Zahl der Kita-Plätze"),
    ("finanzen", "Personalsituation bei der Freiwilligen Feuerwehr"),
    ("finanzen", "Stand der Digitalisierung der Verwaltung"),
    ("umwelt", "Pflege der Grünflächen an der {street}"),
]

COMMUNICATIONS = [
    ("finanzen", "Bericht zum Haushaltsvollzug zum {quarter}"),
    ("bau", "Sachstandsbericht Breitbandausbau"),
    ("bau", "Baustellenübersicht {year}"),
    ("sozial", "Bericht über die Unterbringung von Geflüchteten"),
    ("bau", "Ergebnisse der Verkehrszählung {year}"),
    ("schule", "Anmeldezahlen der Schulen für das Schuljahr {year}/{yy}"),
    ("sozial", "Jahresbericht des Seniorenbeirates {prev_year}"),
    ("umwelt", "Bericht zur Luftqualität {prev_year}"),
    ("umwelt", "Förderbescheid für das Klimaschutzmanagement"),
    ("finanzen", "Ergebnis der Steuerschätzung und Auswirkungen auf den Haushalt"),
]

FACTS = {
    "bau": [
        "Der Geltungsbereich umfasst eine Fläche von rund {hectares} ha und wird derzeit überwiegend landwirtschaftlich genutzt.",
        "Ziel der Planung ist die Schaffung von Wohnbauflächen für etwa {units} Wohneinheiten, davon mindestens 30 % im geförderten Wohnungsbau.",
        "Die Erschließung soll über die {street} erfolgen; ein Verkehrsgutachten liegt vor und kommt zu dem Ergebnis, dass der zusätzliche Verkehr leistungsfähig abgewickelt werden kann.",
        "Im Rahmen der frühzeitigen Beteiligung der Öffentlichkeit gingen {count} Stellungnahmen ein, die in der Abwägungstabelle (Anlage 2) dargestellt sind.",
        "Die Belange des Artenschutzes wurden in einer Artenschutzprüfung untersucht; erhebliche Beeinträchtigungen sind nicht zu erwarten.",
        "Die Fahrbahn weist auf einer Länge von {meters} m erhebliche Schäden auf; eine Sanierung ist nach Einschätzung des Fachbereichs unaufschiebbar.",
        "Die Maßnahme ist im Radverkehrskonzept als Priorität A eingestuft und kann mit bis zu 75 % aus Landesmitteln gefördert werden.",
        "Die Bauzeit wird auf etwa {months} Monate geschätzt; während der Arbeiten ist eine halbseitige Sperrung erforderlich.",
    ],
    "finanzen": [
        "Der Entwurf weist im Ergebnisplan Erträge von {amount} und Aufwendungen von {amount2} aus.",
        "Der Fehlbetrag kann durch eine Entnahme aus der Ausgleichsrücklage gedeckt werden; ein Haushaltssicherungskonzept ist nicht erforderlich.",
        "Die Steigerung ist im Wesentlichen auf höhere Personal- und Energiekosten sowie auf gestiegene Umlagen zurückzuführen.",
        "Die Verwaltung hat die Hebesätze der Nachbarkommunen vergleichend ausgewertet (Anlage 1).",
        "Die Rechnungsprüfung hat den Abschluss geprüft und einen uneingeschränkten Bestätigungsvermerk erteilt.",
        "Die Deckung erfolgt durch Minderaufwendungen bei der Unterhaltung der Gebäude.",
        "Die Liquidität ist gesichert; Kredite zur Liquiditätssicherung wurden im laufenden Jahr nicht in Anspruch genommen.",
    ],
    "schule": [
        "Die Schülerzahlen an der {school} sind in den letzten Jahren deutlich gestiegen; zum Schuljahr {year}/{yy} werden {count} Anmeldungen erwartet.",
        "Ab dem Schuljahr 2026/27 besteht schrittweise ein Rechtsanspruch auf Ganztagsbetreuung im Grundschulalter.",
        "Für die Erweiterung werden zusätzlich {rooms} Gruppen- und Mehrzweckräume benötigt.",
        "Die Schulkonferenz der {school} hat der Planung einstimmig zugestimmt.",
        "Die Mittel aus dem Digitalpakt Schule wurden vollständig abgerufen; für Ersatzbeschaffungen stehen keine Fördermittel mehr zur Verfügung.",
        "Die Sporthalle wird außerhalb der Schulzeiten von {count} Vereinen genutzt; während der Bauzeit wird eine Ersatzlösung organisiert.",
    ],
    "umwelt": [
        "Mit der Fortschreibung sollen die Treibhausgasemissionen bis 2035 um 65 % gegenüber 1990 gesenkt werden.",
        "Auf {count} kommunalen Dächern ist eine Photovoltaikanlage technisch und statisch möglich.",
        "Nach dem Wärmeplanungsgesetz ist die kommunale Wärmeplanung bis zum 30.06.2028 abzuschließen.",
        "Beim Starkregenereignis im Sommer {prev_year} kam es an {river_dat} zu Überflutungen von Kellern und Straßen.",
        "Die Maßnahmen werden vom Klimaschutzmanagement begleitet, dessen Stelle zu 90 % gefördert wird.",
        "Die Unterhaltung der Grünflächen erfolgt künftig nach einem ökologischen Pflegekonzept.",
    ],
    "sozial": [
        "Derzeit sind {count} geflüchtete Menschen untergebracht, davon rund ein Drittel in angemieteten Wohnungen.",
        "Der Anteil der über 65-Jährigen an der Bevölkerung wird bis 2035 voraussichtlich auf 28 % steigen.",
        "Das Konzept wurde unter Beteiligung des Seniorenbeirates und der Wohlfahrtsverbände erarbeitet.",
        "Die bisherigen Förderrichtlinien stammen aus dem Jahr 2009 und bedürfen einer Überarbeitung.",
        "Der Quartierstreff soll an fünf Tagen in der Woche geöffnet sein und von einem freien Träger betrieben werden.",
    ],
    "liegenschaften": [
        "Die Kaufinteressentin beabsichtigt, auf der Fläche einen Handwerksbetrieb mit {units} Arbeitsplätzen anzusiedeln.",
        "Der Kaufpreis entspricht dem Bodenrichtwert zuzüglich eines Zuschlags für die Erschließung.",
        "Ein Wertgutachten des Gutachterausschusses liegt vor (Anlage 1).",
    ],
    "personal": [
        "Auf die Ausschreibung gingen {count} Bewerbungen ein; {rooms} Personen wurden zu Auswahlgesprächen eingeladen.",
        "Die Auswahlkommission empfiehlt einstimmig die in der Vorlage genannte Bewerberin.",
    ],
    "vergabe": [
        "Die Leistungen wurden öffentlich ausgeschrieben; es gingen {rooms} wertbare Angebote ein.",
        "Das wirtschaftlichste Angebot liegt um 6 % unter der Kostenberechnung.",
    ],
}
GENERAL_FACTS = [
    "Weitere Einzelheiten ergeben sich aus den beigefügten Anlagen.",
    "Die Angelegenheit wurde im Verwaltungsvorstand abgestimmt.",
    "Die Gleichstellungsbeauftragte wurde beteiligt und hat keine Bedenken geäußert.",
    "Die Verwaltung empfiehlt, dem Beschlussvorschlag zu folgen.",
]
REASONS = [
    "Viele Bürgerinnen und Bürger haben sich in den vergangenen Monaten mit diesem Anliegen an uns gewandt.",
    "Andere Kommunen haben mit vergleichbaren Maßnahmen gute Erfahrungen gemacht.",
    "Die Kosten sind überschaubar und können im laufenden Haushalt gedeckt werden.",
    "Die Maßnahme trägt zur Lebensqualität in allen Ortsteilen bei.",
    "Eine frühzeitige Entscheidung ermöglicht es, Fördermittel des Landes zu nutzen.",
]
QUESTIONS = [
    "Wie ist der aktuelle Sachstand?",
    "Welche Kosten sind bisher entstanden, und welche werden noch erwartet?",
    "Bis wann ist mit einem Abschluss zu rechnen?",
    "Welche Fördermittel wurden beantragt oder bewilligt?",
    "Wie werden die Bürgerinnen und Bürger informiert?",
    "Welche Alternativen hat die Verwaltung geprüft?",
]
# fmt: on


def euro(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " €"


def slots(rng: random.Random, *, spec, day: datetime.date, council: str) -> dict:
    """Values for every placeholder a template may use."""
    year = day.year
    river = spec.river
    return {
        "council": council,
        "body": spec.name,
        "town": spec.short_name,
        "field": rng.choice(FIELD_NAMES),
        "bplan": rng.randint(12, 148),
        "fnp": rng.randint(18, 96),
        "n": rng.randint(2, 14),
        "street": rng.choice(STREETS),
        "school": rng.choice(SCHOOL_PATTERNS).format(
            town=spec.short_name, place=rng.choice(["Nord", "Süd", "am Markt"])
        ),
        "river": river,
        "river_dat": river.replace("den ", "dem ").replace("die ", "der "),
        "year": year,
        "next_year": year + 1,
        "prev_year": year - 1,
        "year3": year + 3,
        "year5": year + 5,
        "yy": f"{(year + 1) % 100:02d}",
        "quarter": f"{rng.choice(['31.03.', '30.06.', '30.09.'])}{year}",
        "amount": euro(rng.randrange(45_000, 4_800_000, 500)),
        "amount2": euro(rng.randrange(45_000_000, 180_000_000, 1000)),
        "hectares": f"{rng.randint(8, 95) / 10:.1f}".replace(".", ","),
        "units": rng.randint(12, 240),
        "count": rng.randint(4, 60),
        "rooms": rng.randint(2, 8),
        "meters": rng.randrange(250, 2400, 10),
        "months": rng.randint(4, 18),
        "parcel": f"{rng.randint(12, 480)}/{rng.randint(1, 9)}",
        "flur": rng.randint(1, 24),
        "dept": rng.choice(
            ["Fachbereichs Finanzen", "Fachbereichs Planen und Bauen", "Bauhofs"]
        ),
    }


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def facts_for(rng: random.Random, area: str, values: dict, count: int) -> list[str]:
    pool = FACTS.get(area, []) + GENERAL_FACTS[:2]
    chosen = rng.sample(pool, k=min(count, len(pool)))
    return [sentence.format(**values) for sentence in chosen]

"""Word lists for German demo data. Invented, but shaped like real council data.

Lists, never sets: iteration order must not depend on hash randomisation,
or the same seed would not produce the same data.
"""

# fmt: off
FEMALE_GIVEN_NAMES = [
    "Anna", "Maria", "Ursula", "Monika", "Petra", "Sabine", "Andrea", "Claudia",
    "Susanne", "Birgit", "Stefanie", "Nicole", "Katrin", "Julia", "Sandra",
    "Christina", "Martina", "Heike", "Karin", "Gabriele", "Renate", "Elke",
    "Brigitte", "Ingrid", "Silke", "Anja", "Melanie", "Tanja", "Kerstin",
    "Simone", "Daniela", "Nadine", "Laura", "Lena", "Sarah", "Lisa",
    "Katharina", "Franziska", "Johanna", "Marie", "Sophie", "Hannah", "Leonie",
    "Miriam", "Svenja", "Jana", "Annika", "Carina", "Hildegard", "Dagmar",
    "Ulrike", "Bettina", "Doris", "Angelika", "Gisela", "Jutta", "Cornelia",
    "Marion", "Elif", "Aylin", "Natalia", "Agnieszka", "Jördis", "Mareike",
]

MALE_GIVEN_NAMES = [
    "Thomas", "Michael", "Andreas", "Stefan", "Peter", "Klaus", "Jürgen",
    "Wolfgang", "Frank", "Markus", "Christian", "Matthias", "Martin", "Uwe",
    "Bernd", "Ralf", "Jörg", "Dirk", "Sven", "Tobias", "Jan", "Florian",
    "Alexander", "Daniel", "Sebastian", "Philipp", "Lukas", "Jonas", "Felix",
    "Maximilian", "Heinz", "Günter", "Manfred", "Dieter", "Hans-Peter",
    "Karl-Heinz", "Hermann", "Werner", "Helmut", "Rainer", "Norbert", "Volker",
    "Holger", "Carsten", "Torsten", "Björn", "Marco", "Kai", "Timo", "Niklas",
    "Moritz", "Benedikt", "Mehmet", "Emre", "Piotr", "Johannes", "Georg",
    "Ulrich", "Reinhard", "Bernhard", "Heiner", "Till",
]

FAMILY_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter",
    "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz",
    "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs",
    "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler",
    "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
    "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
    "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel",
    "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich",
    "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann",
    "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Brinkmann", "Hülsmann",
    "Overbeck", "Terhorst", "Kemper", "Wessels", "Hüsken", "Böckmann",
    "Niehaus", "Tenhagen", "Rüther", "Plaßmann", "Kortmann", "Lohmann",
    "Heitkamp", "Brüggemann", "Yilmaz", "Kaya", "Demir", "Nowak",
    "Kowalczyk", "Schlüter", "Többen", "Gerdes", "Janssen", "Hagemann",
    "Steinkamp", "Rosendahl", "Dreier", "Ostendorf", "Wiegmann", "Beckmann",
]

NOBLE_FAMILY_NAMES = ["Berg", "Stein", "Loe", "Ketteler", "Bodelschwingh"]

FIELD_NAMES = [
    "Am Mühlenbach", "Auf der Heide", "Im Wiesengrund", "Lindenhof",
    "Gewerbegebiet Nord", "Am Sportplatz", "Hinter den Gärten", "Alte Ziegelei",
    "Kirchfeld", "Am Schlossteich", "Sonnenhang", "Ehemaliges Bahnhofsgelände",
    "Auf dem Kamp", "Eschenhof", "Rosenau", "An der Windmühle", "Zur Aue",
    "Quartier Alte Post", "Brinkfeld", "Am Hohen Ufer", "Westlich der Ringstraße",
    "Dorfmitte", "Im Vogelsang", "Heidekamp", "Gewerbepark Süd",
]

STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Kirchstraße",
    "Lindenallee", "Mühlenweg", "Ringstraße", "Wiesenweg", "Bergstraße",
    "Feldstraße", "Dorfstraße", "Poststraße", "Birkenallee", "Eichendorffstraße",
    "Goethestraße", "Schillerstraße", "Friedhofsweg", "Weseler Straße",
    "Am Markt", "Industriestraße", "Parkstraße", "Brückenstraße", "Auestraße",
]

SCHOOL_PATTERNS = [
    "Grundschule {place}", "Gesamtschule {town}", "Gymnasium {town}",
    "Realschule an der Aue", "Grundschule am Lindenhof", "Sekundarschule {town}",
    "Förderschule am Park", "Grundschule Sonnenhang",
]

EXTRA_TOWN_STEMS = [
    "Eichen", "Buchen", "Erlen", "Weiden", "Ahorn", "Tannen", "Rosen", "Holder",
    "Ulmen", "Espen", "Linden", "Mühl", "Brück", "Stein", "Wiesen",
    "Kirch", "Sonnen", "Hoh", "Wald", "Feld", "Berg", "Moor", "Heide", "Quell",
    "Schilf", "Fichten", "Lerchen", "Falken", "Kranich",
]
EXTRA_TOWN_SUFFIXES = [
    "hausen", "dorf", "rode", "heim", "au", "ingen", "stedt", "beck", "hagen",
    "feld", "horst", "brück", "kamp", "born", "tal", "berg", "weiler",
]
# fmt: on

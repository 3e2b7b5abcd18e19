import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q

from demo.fingerprint import fingerprint
from demo.portals import create_demo_portals
from demo.seeder import Seeder
from demo.spec import DEMO_TODAY, SCALES
from demo.users import DEMO_PASSWORD, create_demo_users
from documents.models import File, Paper
from gremien.models import Body, Membership, Organization, Person
from sessions.models import AgendaItem, Consultation, Meeting

SHOWN_LOGINS = 10


class Command(BaseCommand):
    help = (
        "Fill an empty database with German demo data: the Landkreis Auenwald, "
        "the Stadt Lindenfeld and the Gemeinde Birkenbach with two legislative "
        "terms, committees, fractions, persons, three years of meetings, papers "
        "with consultation paths and PDF files; plus demo logins (admin, "
        f"sitzungsdienst-<slug>, mitglied-<slug>; password {DEMO_PASSWORD}). "
        "The same --seed always gives the same data; 'today' in the data is "
        f"{DEMO_TODAY:%d.%m.%Y}. Refuses to run when the database already has "
        "bodies (to start over: manage.py flush --no-input); with --if-empty it "
        "then does nothing and succeeds, which is what 'make run' uses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: 3 bodies, a few hundred papers, seconds. large: 32 "
            "bodies, >50,000 papers, >100,000 files, minutes (benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) if the database already has bodies.",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="Port of the demo portals' addresses (default 8000, as make run).",
        )
        parser.add_argument(
            "--fingerprint",
            action="store_true",
            help="Print a digest of the data to compare two runs.",
        )

    def handle(self, *args, scale, seed, if_empty, fingerprint: bool, **options):
        if Body.objects.exists():
            if if_empty:
                self.stdout.write("Die Datenbank enthält bereits Daten; nichts zu tun.")
                return
            raise CommandError(
                "Die Datenbank enthält bereits Körperschaften. Demodaten werden nur "
                "in eine leere Datenbank geschrieben (neu beginnen: manage.py flush "
                "--no-input)."
            )
        started = time.perf_counter()
        seeder = Seeder(
            scale=SCALES[scale],
            rng_for=lambda key: random.Random(f"{seed}:{key}"),
            progress=scale == "large" and options["verbosity"] > 0,
        )
        seeded = seeder.run()
        logins = create_demo_users(seeded)
        portals = create_demo_portals([s.body for s in seeded], port=options["port"])
        self._build_search_index(options["verbosity"])
        self._queue_session_packs()
        self._summary(time.perf_counter() - started, seeder, logins)
        self.stdout.write("Öffentliche Portale:")
        for address, name in portals[:SHOWN_LOGINS]:
            self.stdout.write(f"  {address:<40} {name}")
        if fingerprint:
            self._fingerprint()

    def _build_search_index(self, verbosity: int) -> None:
        """The seeder writes in bulk, which sends no signals: build the portal's
        search index in one go. Freshly bulk-loaded tables have no planner
        statistics yet (PostgreSQL's autovacuum comes later); without them the
        visibility queries take minutes instead of milliseconds."""
        from django.db import connection

        from publicportal.indexing import index_rebuild

        started = time.perf_counter()
        if connection.vendor in ("postgresql", "sqlite"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log = self.stdout.write if verbosity > 1 else (lambda _line: None)
        counts = index_rebuild(log=log)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Suchindex: {sum(counts.values())} Einträge in {seconds:.1f} s"
        )

    def _queue_session_packs(self, per_body: int = 2) -> None:
        """The seeder's bulk writes send no signals, so no session pack is
        queued: queue the packs of each body's next invited meetings (the
        task worker of ``make run`` builds them in the background)."""
        from django.utils import timezone

        from sessions.packs.service import auto_build_enabled, request_builds

        if not auto_build_enabled():
            return
        upcoming = Meeting.objects.filter(
            start__gte=timezone.now(), invitation_sent_at__isnull=False
        ).exclude(state=Meeting.State.CANCELLED)
        chosen = []
        for body in Body.objects.all():
            chosen += upcoming.filter(body=body).order_by("start")[:per_body]
        with transaction.atomic():
            queued = request_builds(chosen)
        self.stdout.write(f"Sitzungsmappen: {len(queued)} zum Erstellen vorgemerkt")

    def _summary(self, seconds, seeder, logins) -> None:
        papers = Paper.objects.aggregate(
            total=Count("pk"), public=Count("pk", filter=Q(public=True))
        )
        rows = [
            ("Körperschaften", Body.objects.count()),
            ("Gremien, Fraktionen, Fachbereiche", Organization.objects.count()),
            ("Personen", Person.objects.count()),
            ("Mitgliedschaften", Membership.objects.count()),
            ("Sitzungen", Meeting.objects.count()),
            ("Tagesordnungspunkte", AgendaItem.objects.count()),
            ("Vorlagen (davon nichtöffentlich)", f"{papers['total']} "
             f"({papers['total'] - papers['public']})"),
            ("Beratungen", Consultation.objects.count()),
            ("Dateien (verschiedene PDFs)", f"{File.objects.count()} "
             f"({seeder.blobs.written})"),
        ]  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"Demodaten in {seconds:.1f} s angelegt:"))
        for label, value in rows:
            self.stdout.write(f"  {label:<36} {value}")
        self.stdout.write(f"Anmeldungen (Passwort {DEMO_PASSWORD}):")
        for username, description in logins[:SHOWN_LOGINS]:
            self.stdout.write(f"  {username:<28} {description}")
        if len(logins) > SHOWN_LOGINS:
            more = len(logins) - SHOWN_LOGINS
            self.stdout.write(f"  … und {more} weitere sitzungsdienst-<slug>")

    def _fingerprint(self) -> None:
        for section, (count, digest) in fingerprint().items():
            self.stdout.write(f"  fingerprint {section:<14} {count:>8} {digest}")

"""``manage.py portal_create <body> <host name>``: give a body its portal."""

from django.core.management.base import BaseCommand, CommandError

from gremien.models import Body
from publicportal.setup import portal_create


class Command(BaseCommand):
    help = (
        "Legt das öffentliche Portal einer Körperschaft an (Startseite, "
        "Standardseiten, Wagtail-Site für den Hostnamen) oder ändert dessen "
        "Hostnamen."
    )

    def add_arguments(self, parser):
        parser.add_argument("body", help="Kurzname (slug) der Körperschaft")
        parser.add_argument("hostname", help="z. B. ratsinfo.lindenfeld.de")
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument(
            "--default",
            action="store_true",
            help="Dieses Portal beantwortet auch unbekannte Hostnamen.",
        )

    def handle(self, *args, body, hostname, port, default, **options):
        found = Body.objects.alive().filter(slug=body).first()
        if found is None:
            raise CommandError(f"Keine Körperschaft mit dem Kurznamen „{body}“.")
        if not hostname or "/" in hostname or ":" in hostname:
            raise CommandError(
                "Bitte nur den Hostnamen angeben, ohne Schema, Port oder Pfad."
            )
        portal = portal_create(
            body=found, hostname=hostname, port=port, is_default=default
        )
        scheme = "https" if port == 443 else "http"
        suffix = "" if port in (80, 443) else f":{port}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Portal von {found.name}: {scheme}://{hostname}{suffix}/ "
                f"(Seite {portal.pk})"
            )
        )

"""``manage.py portal_reindex [--body SLUG]``: rebuild the portal's search index."""

import time

from django.core.management.base import BaseCommand, CommandError

from gremien.models import Body
from publicportal.indexing import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search entries of the public portal from the visibility "
        "rules: writes every public object, deletes entries of non-public ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", help="Only this body (slug).")

    def handle(self, *args, body=None, **options):
        selected = None
        if body:
            selected = Body.objects.filter(slug=body).first()
            if selected is None:
                raise CommandError(f"No body with slug {body!r}.")
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 0 else (lambda _line: None)
        counts = index_rebuild(selected, log=log)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index: {sum(counts.values())} entries in {seconds:.1f} s."
            )
        )

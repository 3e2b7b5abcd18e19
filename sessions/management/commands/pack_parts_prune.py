"""``manage.py pack_parts_prune``: delete cached session pack parts that no
pack uses any more (run daily, e.g. by cron or a systemd timer)."""

import datetime as dt

from django.core.management.base import BaseCommand

from sessions.packs.service import PRUNE_AFTER, prune_parts


class Command(BaseCommand):
    help = "Delete cached session pack parts that no current pack uses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=PRUNE_AFTER.total_seconds() / 3600,
            help="Keep unused parts younger than this (a build may be writing them).",
        )

    def handle(self, *args, older_than_hours: float, **options):
        deleted = prune_parts(older_than=dt.timedelta(hours=older_than_hours))
        self.stdout.write(f"{deleted} unused parts deleted.")

"""``manage.py live_demo [<body slug>]``: a council meeting that starts in a
quarter of an hour, invited, with a public and a non-public item, to try the
live screens of the demo (chair's console, member's tablet, room display,
public live view).

Demo data only: the invitation is recorded as sent three days ago (a real
invitation could not reach the members in time), as the seeder does for the
meetings it invites.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gremien.models import Body, Organization
from sessions.models import Meeting
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create

ITEMS = (
    ("Einwohnerfragestunde", True),
    ("Bebauungsplan Nr. 47 „Am Mühlbach“ – Satzungsbeschluss", True),
    ("Verkauf des Grundstücks Gemarkung Lindenfeld, Flur 3", False),
)


class Command(BaseCommand):
    help = (
        "Create a council meeting starting in 15 minutes, invited, to try the "
        "live-session screens of the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("body", nargs="?", default="lindenfeld")

    @transaction.atomic
    def handle(self, *args, **options):
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"Keine Körperschaft mit dem Kürzel {options['body']}.")
        council = Organization.objects.filter(
            body=body, kind=Organization.Kind.COUNCIL, deleted_at__isnull=True
        ).first()
        clerk = (
            get_user_model()
            .objects.filter(username=f"sitzungsdienst-{body.slug}")
            .first()
        )
        if council is None or clerk is None:
            raise CommandError(
                "Die Körperschaft hat keinen Rat oder keinen Demo-Sitzungsdienst "
                "(manage.py seed_demo)."
            )
        start = timezone.now() + datetime.timedelta(minutes=15)
        meeting = meeting_create(
            actor=clerk,
            body=body,
            organizations=[council],
            name=f"Sitzung {council.name} (Live-Demo)",
            start=start,
        )
        for name, public in ITEMS:
            agenda_item_add(actor=clerk, meeting=meeting, name=name, public=public)
        Meeting.objects.filter(pk=meeting.pk).update(
            state=Meeting.State.INVITED,
            invitation_sent_at=start - datetime.timedelta(days=3),
        )
        for screen, route in (
            (f"Sitzungsleitung (sitzungsdienst-{body.slug})", "live_staff"),
            (f"Tablet (mitglied-{body.slug})", "live_member"),
            ("Saalanzeige", "live_projector"),
        ):
            self.stdout.write(f"{screen}: {reverse(route, args=[meeting.pk])}")
        self.stdout.write(f"Öffentliche Live-Ansicht: /sitzungen/{meeting.slug}/live/")

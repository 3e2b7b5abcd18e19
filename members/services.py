"""State changes of the member portal: recording visits and opened meetings.

Who: the signed-in user, for themselves only (the views pass
``request.user``); nothing here grants access, which ``sessions.access``
decides before a meeting is opened.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.models import Meeting

from .models import MeetingOpened, PortalVisit

#: A pause this long ends a visit: the next request starts a new one.
VISIT_PAUSE = dt.timedelta(minutes=30)
#: On the very first visit, what happened this long before counts as new.
FIRST_VISIT_WINDOW = dt.timedelta(days=14)


@transaction.atomic
def visit_record(*, user) -> dt.datetime:
    """Note that ``user`` is on the dashboard now; return the moment after
    which changes are new to them (the end of their previous visit).

    Locks the user's visit row."""
    now = timezone.now()
    visit = PortalVisit.objects.select_for_update().filter(user=user).first()
    if visit is None:
        try:
            with transaction.atomic():
                visit = PortalVisit.objects.create(
                    user=user, last_seen_at=now, new_since=now - FIRST_VISIT_WINDOW
                )
        except IntegrityError:  # a second tab created it in the meantime
            visit = PortalVisit.objects.select_for_update().get(user=user)
        else:
            return visit.new_since
    if now - visit.last_seen_at > VISIT_PAUSE:
        visit.new_since = visit.last_seen_at
    visit.last_seen_at = now
    visit.save(update_fields=["last_seen_at", "new_since"])
    return visit.new_since


@transaction.atomic
def meeting_open(*, user, meeting: Meeting) -> dt.datetime | None:
    """Note that ``user`` opens ``meeting``; return the end of their previous
    look at it (what changed after it is new to them), or ``None`` the first
    time (then nothing is marked: all of it is new).

    Who: a user who may read the meeting's non-public part (checked by the
    caller). Locks the user's row for the meeting."""
    now = timezone.now()
    opened = (
        MeetingOpened.objects.select_for_update()
        .filter(user=user, meeting=meeting)
        .first()
    )
    if opened is None:
        try:
            with transaction.atomic():
                MeetingOpened.objects.create(
                    user=user, meeting=meeting, first_opened_at=now, last_opened_at=now
                )
        except IntegrityError:
            opened = MeetingOpened.objects.select_for_update().get(
                user=user, meeting=meeting
            )
        else:
            return None
    if now - opened.last_opened_at > VISIT_PAUSE:
        opened.previous_opened_at = opened.last_opened_at
    opened.last_opened_at = now
    opened.save(update_fields=["last_opened_at", "previous_opened_at"])
    return opened.previous_opened_at

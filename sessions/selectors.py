"""Reads for staff screens of the Sitzungsdienst."""

from django.db.models import QuerySet

from documents.models import Paper

from .models import Consultation, Meeting


def schedulable_consultations(meeting: Meeting) -> QuerySet[Consultation]:
    """Open steps of released papers that this meeting may deal with.

    Who: staff screens of the meeting's body (the caller checks access).
    A step qualifies when its paper is released or in consultation, it has no
    meeting yet, and one of its organizations holds this meeting.
    """
    return (
        Consultation.objects.alive()
        .filter(
            paper__body_id=meeting.body_id,
            paper__deleted_at__isnull=True,
            paper__state__in=[Paper.State.RELEASED, Paper.State.IN_CONSULTATION],
            meeting__isnull=True,
            organizations__in=meeting.organizations.all(),
        )
        .select_related("paper")
        .distinct()
        .order_by("paper__reference_year", "paper__reference_number", "position")
    )

"""Reads of fraction motions for the signed-in member (``user``).

Who sees a motion is decided here, once: the members of its fraction today
(``gremien.fractions.fractions_of``). Nobody else, staff included: drafts are
the fraction's internal work, and the submitted text reaches the office as a
paper (``Motion.paper``).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from gremien.fractions import fraction_persons, fractions_of
from gremien.models import Organization, Person

from .models import FIELD_LABELS, Motion, MotionComment, MotionSignature, MotionVersion


def motions_visible(*, user) -> QuerySet[Motion]:
    """Every motion of the fractions ``user`` belongs to today."""
    return Motion.objects.filter(fraction__in=fractions_of(user).values("pk"))


def fraction_motions(
    *, user, states: tuple[str, ...] | None = None
) -> QuerySet[Motion]:
    """The motions of ``user``'s fractions for lists and the dashboard,
    drafts first, then the most recently changed: with fraction, paper (its
    state and reference), the author, and ``signed_count`` (signatures of
    the current text). ``states`` narrows to ``Motion.State`` values, e.g.
    ``(Motion.State.DRAFT,)`` for the drafts in progress. Each row has
    ``status_label`` and ``status_badge``."""
    motions = motions_visible(user=user)
    if states:
        motions = motions.filter(state__in=states)
    return (
        motions.select_related(
            "fraction", "paper", "addressed_to", "created_by__person"
        )
        .annotate(
            signed_count=Count(
                "signatures", filter=Q(signatures__revision=F("revision"))
            ),
            draft_first=Case(
                When(state=Motion.State.DRAFT, then=Value(0)), default=Value(1)
            ),
        )
        .order_by("draft_first", "-modified", "-pk")
    )


def motion_for(*, user, pk: int) -> Motion | None:
    """The motion ``pk`` if ``user`` may see it, else ``None``."""
    return (
        motions_visible(user=user)
        .select_related("fraction__body", "paper", "addressed_to", "created_by")
        .filter(pk=pk)
        .first()
    )


def addressable_organizations(*, fractions) -> QuerySet[Organization]:
    """Councils and committees a fraction of ``fractions`` may address: the
    deliberative organizations of their bodies that still exist."""
    today = timezone.localdate()
    return (
        Organization.objects.alive()
        .filter(
            kind__in=Organization.DELIBERATIVE_KINDS,
            body__in=[fraction.body_id for fraction in fractions],
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("body__name", "kind", "name")
    )


@dataclass
class MotionPage:
    """What the detail page shows of one motion."""

    motion: Motion
    versions: list[MotionVersion]
    signatures: list[MotionSignature]
    comments: list[MotionComment]
    not_signed: list[Person]
    my_signature: MotionSignature | None

    @property
    def current_signatures(self) -> list[MotionSignature]:
        return [s for s in self.signatures if s.revision == self.motion.revision]

    @property
    def earlier_signatures(self) -> list[MotionSignature]:
        return [s for s in self.signatures if s.revision != self.motion.revision]


def motion_page(*, user, motion: Motion) -> MotionPage:
    """History (newest version first, each knowing what changed against the
    one before), signatures, comments and the fraction's members who have
    not signed the current text, for a motion ``user`` may see (the caller
    found it through :func:`motion_for`)."""
    versions = list(
        motion.versions.select_related("saved_by__person", "addressed_to").order_by(
            "revision"
        )
    )
    previous = None
    for version in versions:
        version.changed = _changed_fields(previous, version)
        previous = version
    versions.reverse()
    signatures = list(
        motion.signatures.filter(person__deleted_at=None)
        .select_related("person")
        .order_by("signed_at", "pk")
    )
    signed_now = {s.person_id for s in signatures if s.revision == motion.revision}
    person = getattr(user, "person", None)
    mine = next((s for s in signatures if person and s.person_id == person.pk), None)
    return MotionPage(
        motion=motion,
        versions=versions,
        signatures=signatures,
        comments=list(motion.comments.order_by("created", "pk")),
        not_signed=[
            p for p in fraction_persons(motion.fraction) if p.pk not in signed_now
        ]
        if motion.is_draft
        else [],
        my_signature=mine,
    )


def _changed_fields(previous: MotionVersion | None, version: MotionVersion):
    """Labels of the text fields ``version`` changed (none for the first)."""
    if previous is None:
        return []
    old, new = previous.text(), version.text()
    return [FIELD_LABELS[name] for name in new if old[name] != new[name]]

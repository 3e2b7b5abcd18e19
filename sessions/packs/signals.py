"""Rebuild session packs after every committed change of what is in them.

An event subscription in the style of ``publicportal.signals``: receivers of
``post_save``/``post_delete``/``m2m_changed`` only note ids (no queries);
once the transaction has committed, the noted ids are turned into the
affected meetings and :func:`sessions.packs.service.request_builds` marks
their packs "queued" and sends one task per meeting and audience, however
many rows the transaction changed.

Watched: the meeting and its organizations, its agenda items and files,
consultations (the consultation path printed in every paper), papers on an
agenda and their files and originators, and the body, organizations and
locations (letterhead, addressees, place). Changes written with
``QuerySet.update()`` send no signal; staff rebuild those by the button on
the meeting's status screen.
"""

import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from documents.models import File, Paper
from gremien.models import Body, Location, Organization

from ..models import AgendaItem, Consultation, Meeting, SessionPack
from . import service

_local = threading.local()


def _pending() -> dict[str, set[int]]:
    if getattr(_local, "pending", None) is None:
        _local.pending = defaultdict(set)
    return _local.pending


def note(kind: str, *ids: int | None) -> None:
    """Rebuild what depends on ``ids`` of ``kind`` ("meeting", "item",
    "consultation", "paper", "body", "organization", "location") after the
    commit."""
    ids = {pk for pk in ids if pk is not None}
    if not ids or not service.auto_build_enabled():
        return
    _pending()[kind] |= ids
    # Every change registers the flush; the first to run takes everything
    # collected, later ones find nothing left.
    transaction.on_commit(_flush)


def affected_meetings(pending: dict[str, set[int]]) -> set[int]:
    """The meetings whose packs contain something of ``pending``."""
    pending = defaultdict(set, {kind: set(ids) for kind, ids in pending.items()})
    meetings = set(pending.get("meeting", ()))
    if pending.get("consultation"):
        for paper, item in Consultation.objects.filter(
            pk__in=pending["consultation"]
        ).values_list("paper_id", "agenda_item_id"):
            pending["paper"].add(paper)
            if item is not None:
                pending["item"].add(item)
    if pending.get("item"):
        meetings |= set(
            AgendaItem.objects.filter(pk__in=pending["item"]).values_list(
                "meeting_id", flat=True
            )
        )
    if pending.get("paper"):
        meetings |= set(
            Consultation.objects.filter(
                paper__in=pending["paper"], agenda_item__isnull=False
            ).values_list("agenda_item__meeting_id", flat=True)
        )
    # Wide changes reach only meetings that have packs already.
    with_packs = SessionPack.objects.values("meeting_id")
    wide = {
        "body": "body__in",
        "organization": "organizations__in",
        "location": "location__in",
    }
    for kind, lookup in wide.items():
        if pending.get(kind):
            meetings |= set(
                Meeting.objects.filter(
                    **{lookup: pending[kind]}, pk__in=with_packs
                ).values_list("pk", flat=True)
            )
    return meetings


def _flush() -> None:
    pending, _local.pending = _pending(), None
    if not pending:
        return
    meetings = affected_meetings(pending)
    if meetings:
        service.request_builds(sorted(meetings))


# --- receivers ------------------------------------------------------------------


def _meeting_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        note("meeting", instance.pk)


def _item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        note("meeting", instance.meeting_id)


def _consultation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # the paper's path is printed in the paper on every agenda it is on
    note("paper", instance.paper_id)
    note("item", instance.agenda_item_id)


def _paper_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        note("paper", instance.pk)


def _file_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    note("paper", instance.paper_id)
    note("item", instance.agenda_item_id)
    note("meeting", instance.meeting_id)


def _noted_as(kind: str):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            note(kind, instance.pk)

    return receiver


_body_changed = _noted_as("body")
_organization_changed = _noted_as("organization")
_location_changed = _noted_as("location")

RECEIVERS = {
    Meeting: _meeting_changed,
    AgendaItem: _item_changed,
    Consultation: _consultation_changed,
    Paper: _paper_changed,
    File: _file_changed,
    Body: _body_changed,
    Organization: _organization_changed,
    Location: _location_changed,
}

#: Many-to-many relations and the kind of their forward side.
M2M = (
    (Meeting.organizations.through, "meeting"),
    (Consultation.organizations.through, "consultation"),
    (Paper.originator_organizations.through, "paper"),
    (Paper.originator_persons.through, "paper"),
)


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    kind = dict(M2M)[sender]
    if not reverse:
        note(kind, instance.pk)
    elif pk_set:
        note(kind, *pk_set)


def connect() -> None:
    """Called by ``MeetingsConfig.ready``."""
    for model, receiver in RECEIVERS.items():
        uid = f"session-packs-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")
    for through, _kind in M2M:
        m2m_changed.connect(
            _m2m_changed,
            sender=through,
            dispatch_uid=f"session-packs-{through._meta.label_lower}",
        )

"""Keep the search index in step with the council data.

An event subscription: services of ``documents``, ``sessions`` and
``gremien`` must not import the portal (layering), so the portal listens to
their models' ``post_save``/``post_delete``/``m2m_changed`` and, once the
transaction has committed, hands the changed objects to the ``index`` queue.
Receivers only note ids: every decision about what is public is made by the
task, through :mod:`publicportal.visibility`.

Changes written with ``QuerySet.update()`` send no signal; ``manage.py
portal_reindex`` (nightly) catches up with those.
"""

import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from documents.models import File, Paper
from gremien.models import Membership, Organization, Person
from sessions.models import AgendaItem, Consultation, Meeting

from .indexing import SOURCES

#: Ids per task, so one huge change does not become one huge task.
TASK_CHUNK = 500

_local = threading.local()


def _pending() -> dict[str, set[int]]:
    if getattr(_local, "pending", None) is None:
        _local.pending = defaultdict(set)
    return _local.pending


def _flush() -> None:
    from .tasks import search_index_update

    pending, _local.pending = _pending(), None
    for source, ids in pending.items():
        ids = sorted(ids)
        for start in range(0, len(ids), TASK_CHUNK):
            search_index_update.enqueue({source: ids[start : start + TASK_CHUNK]})


def schedule(source: str, *ids: int) -> None:
    """Recompute what depends on ``ids`` of ``source`` after commit. Changes
    of one transaction are collected and sent as one task per source."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    _pending()[source] |= ids
    # Every change registers the flush; the first to run sends everything
    # collected, later ones find nothing left.
    transaction.on_commit(_flush)


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    schedule(SOURCES[sender], instance.pk)
    if sender is Consultation:
        schedule("paper", instance.paper_id)
        schedule("agenda_item", instance.agenda_item_id)
    elif sender is Membership:
        schedule("person", instance.person_id)


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        schedule(SOURCES[type(instance)], instance.pk)
    elif pk_set:
        model = kwargs["model"]
        schedule(SOURCES[model], *pk_set)


MODELS = (Paper, Meeting, AgendaItem, Consultation, File, Organization, Person,
          Membership)  # fmt: skip


def connect() -> None:
    for model in MODELS:
        uid = f"publicportal-index-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
    for through in (Meeting.organizations.through, Consultation.organizations.through):
        m2m_changed.connect(
            _m2m_changed,
            sender=through,
            dispatch_uid=f"publicportal-index-{through._meta.label_lower}",
        )

"""Agenda builder: add, move, edit and remove agenda items; standard items.

Every change locks the meeting row (SELECT … FOR UPDATE), so two clerks editing
the same agenda queue instead of interleaving, and renumbers the whole agenda
through ``sessions.numbering``, so ``order`` and ``number`` are always
consistent: public part first, then the non-public part, sub-items right after
their parent.

Nachtrag: once ``meeting.invitation_sent_at`` is set, every added or changed
item (moved, renamed, switched between the parts, removed) is marked
``addendum=True`` with ``addendum_at``; sending the addendum notice is
``meeting_send_addendum``'s job. The municipal code's rule on late items
(``MunicipalCode.late_item_allowed``: NRW urgency + majority, Hessen two
thirds) governs only extending the agenda *in the meeting itself*; before the
meeting the administration may change the agenda and the change is an
addendum, whose timeliness the invitation services judge. So these services
do not apply that rule.

The agenda can be changed while the meeting is planned or invited, never once
it runs, has been held, or was cancelled.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from documents.models import Paper
from documents.services import paper_begin_consultation, require_schedulable
from gremien.access import require_body_access

from ..models import AgendaItem, Consultation, Meeting
from ..numbering import Entry, NumberingScheme, number_agenda

EDITABLE_STATES = (Meeting.State.PLANNED, Meeting.State.INVITED)
PERMISSION = "meetings.change_meeting"


# Guards ---------------------------------------------------------------------


def _require_permission(actor, meeting: Meeting) -> None:
    if actor is not None:
        require_body_access(actor, meeting.body, PERMISSION)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("body").select_for_update().get(pk=meeting.pk)


def _require_editable(meeting: Meeting) -> None:
    if meeting.deleted_at is not None or meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(
            _("The meeting was cancelled; its agenda can no longer be changed."),
            code="meeting_cancelled",
        )
    if meeting.state not in EDITABLE_STATES:
        raise ValidationError(
            _(
                "The meeting is “%(state)s”; its agenda can no longer be changed. "
                "Record what happened in the minutes instead."
            ),
            code="agenda_locked",
            params={"state": Meeting.State(meeting.state).label},
        )


def _begin(actor, meeting: Meeting) -> Meeting:
    """Check permission, lock the meeting and make sure its agenda may change."""
    _require_permission(actor, meeting)
    meeting = _lock(meeting)
    _require_editable(meeting)
    return meeting


def _fresh_item(item: AgendaItem, meeting: Meeting) -> AgendaItem:
    item = AgendaItem.objects.get(pk=item.pk)
    if item.deleted_at is not None or item.meeting_id != meeting.pk:
        raise ValidationError(
            _("This agenda item was removed from the agenda."), code="item_deleted"
        )
    return item


# Order and numbers ----------------------------------------------------------


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.alive().order_by("order", "pk"))


def _same_group(a: AgendaItem, b: AgendaItem) -> bool:
    """Siblings: sub-items of the same parent, or top-level items of one part."""
    if a.parent_id or b.parent_id:
        return a.parent_id == b.parent_id
    return a.public == b.public


def _siblings(items: list[AgendaItem], item: AgendaItem) -> list[AgendaItem]:
    return [
        other for other in items if other.pk != item.pk and _same_group(other, item)
    ]


def _insert(
    items: list[AgendaItem], item: AgendaItem, position: int
) -> list[AgendaItem]:
    """``items`` with ``item`` at 1-based ``position`` among its siblings.

    Only the relative order of siblings matters: numbering groups the parts
    and the sub-items itself. A position past the end means the end.
    """
    if position < 1:
        raise ValidationError(
            _("Positions on the agenda start at 1."), code="invalid_position"
        )
    rest = [other for other in items if other.pk != item.pk]
    siblings = _siblings(rest, item)
    if position <= len(siblings):
        rest.insert(rest.index(siblings[position - 1]), item)
    elif siblings:
        rest.insert(rest.index(siblings[-1]) + 1, item)
    else:
        rest.append(item)
    return rest


def _persist(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Write orders 1..n and numbers, in two phases.

    ``order`` is unique per meeting among live items and PostgreSQL checks that
    row by row, so items that move first go to free positions above every
    current one, then to their final place.
    """
    placements = number_agenda(
        [
            Entry(key=item.pk, public=item.public, parent=item.parent_id)
            for item in items
        ],
        NumberingScheme.for_body(meeting.body),
    )
    by_pk = {item.pk: item for item in items}
    now = timezone.now()
    moving = [by_pk[p.key] for p in placements if by_pk[p.key].order != p.order]
    if moving:
        base = max([item.order for item in items] + [len(items)]) + 1
        for offset, item in enumerate(moving):
            item.order = base + offset
        AgendaItem.objects.bulk_update(moving, ["order"])
    changed = []
    for placement in placements:
        item = by_pk[placement.key]
        if item.order != placement.order or item.number != placement.number:
            item.order, item.number, item.modified = (
                placement.order,
                placement.number,
                now,
            )
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["order", "number", "modified"])


# Standard items (per-organization template) ----------------------------------


@dataclass(frozen=True)
class StandardItem:
    name: str
    public: bool
    at_start: bool


def _standard_items(meeting: Meeting) -> list[StandardItem]:
    """The template items of the meeting's organizations, each name once."""
    result: list[StandardItem] = []
    seen: set[str] = set()
    for organization in meeting.organizations.order_by("name", "pk"):
        template = organization.standard_agenda or []
        if not isinstance(template, list):
            template = [template]
        for entry in template:
            item = _parse_standard_item(organization, entry)
            if item.name.casefold() not in seen:
                seen.add(item.name.casefold())
                result.append(item)
    return result


def _parse_standard_item(organization, entry) -> StandardItem:
    valid = (
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and entry["name"].strip()
        and isinstance(entry.get("public", True), bool)
        and entry.get("position", "end") in ("start", "end")
    )
    if not valid:
        raise ValidationError(
            _(
                "The standard agenda of “%(organization)s” has an invalid entry "
                "(%(entry)s). Each entry needs a name, public true or false, and "
                "position “start” or “end”."
            ),
            code="invalid_standard_agenda",
            params={"organization": organization, "entry": entry},
        )
    return StandardItem(
        name=entry["name"].strip(),
        public=entry.get("public", True),
        at_start=entry.get("position", "end") == "start",
    )


def _default_position(
    meeting: Meeting, items: list[AgendaItem], item: AgendaItem
) -> int:
    """End of the item's part, but before trailing standard end items.

    So a paper added late lands before "Mitteilungen" or "Schließung der
    Sitzung" rather than after them.
    """
    siblings = _siblings(items, item)
    if item.parent_id is None:
        end_names = {
            standard.name.casefold()
            for standard in _standard_items(meeting)
            if not standard.at_start and standard.public == item.public
        }
        while siblings and siblings[-1].name.strip().casefold() in end_names:
            siblings = siblings[:-1]
    return len(siblings) + 1


# Papers and consultations ---------------------------------------------------


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _consultation_for(
    meeting: Meeting, *, paper: Paper | None, consultation: Consultation | None
) -> Consultation:
    """The consultation step this meeting deals with, locked."""
    if paper is not None and paper.body_id != meeting.body_id:
        raise _refuse(
            _("The paper belongs to another body than the meeting."),
            "paper_other_body",
        )
    if consultation is None:
        pk = (
            paper.consultations.alive()
            .filter(
                meeting__isnull=True,
                organizations__in=meeting.organizations.values("pk"),
            )
            .order_by("position")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise _refuse(
                _("The paper's consultation path has no step for this committee."),
                "no_consultation_step",
            )
        consultation = Consultation(pk=pk)
    consultation = (
        Consultation.objects.select_for_update()
        .select_related("paper")
        .get(pk=consultation.pk)
    )
    if consultation.deleted_at is not None or (
        paper is not None and consultation.paper_id != paper.pk
    ):
        raise _refuse(
            _("This consultation step is not part of the paper's path."),
            "consultation_other_paper",
        )
    if consultation.paper.body_id != meeting.body_id:
        raise _refuse(
            _("The paper belongs to another body than the meeting."),
            "paper_other_body",
        )
    if consultation.meeting_id is not None:
        raise _refuse(
            _(
                "This consultation step is already on the agenda of “%(meeting)s”. "
                "Remove it there first."
            ),
            "consultation_already_scheduled",
            meeting=consultation.meeting,
        )
    if not consultation.organizations.filter(
        pk__in=meeting.organizations.values("pk")
    ).exists():
        raise _refuse(
            _(
                "This consultation step is for %(organizations)s, which do not "
                "hold this meeting."
            ),
            "organization_not_on_meeting",
            organizations=", ".join(str(o) for o in consultation.organizations.all()),
        )
    return consultation


def require_path_order(consultation: Consultation, meeting: Meeting) -> None:
    """Refuse a meeting that breaks the order of the consultation path.

    Every earlier step must be on the agenda of a meeting before this one, and
    no later step may already sit on a meeting that is not after it.
    """
    steps = Consultation.objects.alive().filter(paper_id=consultation.paper_id)
    for step in steps.filter(position__lt=consultation.position).select_related(
        "meeting"
    ):
        if step.meeting is None or step.meeting.state == Meeting.State.CANCELLED:
            raise _refuse(
                _(
                    "An earlier step of the consultation path (%(step)s) is not "
                    "on any agenda yet. Schedule the steps in their order."
                ),
                "predecessor_not_scheduled",
                step=step.position,
            )
        if step.meeting.start >= meeting.start:
            raise _refuse(
                _(
                    "An earlier step of the consultation path is dealt with on "
                    "%(date)s, not before this meeting. Choose a later meeting."
                ),
                "predecessor_later",
                date=f"{timezone.localtime(step.meeting.start):%d.%m.%Y}",
            )
    later = steps.filter(
        position__gt=consultation.position, meeting__start__lte=meeting.start
    )
    if later.exists():
        raise _refuse(
            _(
                "A later step of the consultation path is already on the agenda "
                "of an earlier meeting. Choose an earlier meeting."
            ),
            "successor_earlier",
        )


def _require_not_on_agenda(meeting: Meeting, paper: Paper) -> None:
    if meeting.agenda_items.alive().filter(consultation__paper=paper).exists():
        raise _refuse(
            _("The paper is already on the agenda of this meeting."),
            "paper_already_on_agenda",
        )


def _papers_not_public(items: Iterable[AgendaItem]) -> bool:
    return Consultation.objects.filter(
        agenda_item__in=[item.pk for item in items], paper__public=False
    ).exists()


def _refuse_public_for_nonpublic_paper() -> ValidationError:
    return _refuse(
        _(
            "The paper is not public, so its agenda item must stay in the "
            "non-public part."
        ),
        "paper_not_public",
    )


def _refuse_subitem_part() -> ValidationError:
    return _refuse(
        _(
            "A sub-item belongs to the part (public or non-public) of its parent "
            "item. Move the parent item instead."
        ),
        "subitem_part_mismatch",
    )


# Addenda --------------------------------------------------------------------


def _mark_addendum(meeting: Meeting, item: AgendaItem, now: datetime.datetime) -> bool:
    """Mark ``item`` as Nachtrag if the invitation has gone out."""
    if meeting.invitation_sent_at is None:
        return False
    item.addendum, item.addendum_at = True, now
    return True


def _log(actor, item: AgendaItem, action: str, **data) -> None:
    log(
        instance=item,
        action=action,
        user=actor,
        data={"meeting": item.meeting_id, "addendum": item.addendum, **data},
    )


# Services -------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    name: str = "",
    public: bool = True,
    paper: Paper | None = None,
    consultation: Consultation | None = None,
    parent: AgendaItem | None = None,
    position: int | None = None,
) -> AgendaItem:
    """Add an item to the agenda: a free item (Eröffnung, Mitteilungen …) or a paper.

    Who: staff of the meeting's body with ``meetings.change_meeting``;
    ``actor=None`` only for system jobs. A paper item links ``consultation``
    (or, given only ``paper``, the paper's first unscheduled step for one of the
    meeting's organizations), which must respect the order of the path; the
    paper must be released (``require_schedulable``) and not yet on this
    agenda; a non-public paper makes the item non-public. ``name`` defaults to
    the paper's title. ``parent`` makes a sub-item (one level), which always
    belongs to its parent's part. ``position`` is 1-based among the siblings;
    ``None`` puts the item at the end of its part, before the standard end
    items. After the invitation the item is an addendum.

    Locks the meeting row and the consultation row; the paper moves to
    in_consultation (``paper_begin_consultation``). Emits ``wagtail.create``.
    """
    meeting = _begin(actor, meeting)
    if consultation is not None or paper is not None:
        consultation = _consultation_for(
            meeting, paper=paper, consultation=consultation
        )
        paper = consultation.paper
        require_schedulable(paper)
        _require_not_on_agenda(meeting, paper)
        require_path_order(consultation, meeting)
        public = public and paper.public
        name = name.strip() or paper.name
    name = name.strip()
    if not name:
        raise _refuse(_("Give the agenda item a title."), "name_required")
    if parent is not None:
        parent = _fresh_item(parent, meeting)
        if parent.parent_id is not None:
            raise _refuse(
                _("Sub-items cannot have sub-items of their own."), "nested_subitem"
            )
        if parent.public and not public:
            raise _refuse_subitem_part()
        public = parent.public

    items = _items(meeting)
    now = timezone.now()
    item = AgendaItem(
        meeting=meeting,
        name=name,
        public=public,
        parent=parent,
        order=max((other.order for other in items), default=0) + 1,
    )
    _mark_addendum(meeting, item, now)
    item.full_clean(validate_constraints=False)
    item.save()
    if position is None:
        position = _default_position(meeting, items, item)
    _persist(meeting, _insert([*items, item], item, position))

    if consultation is not None:
        consultation.meeting, consultation.agenda_item = meeting, item
        consultation.save(update_fields=["meeting", "agenda_item", "modified"])
        paper_begin_consultation(paper=paper, actor=actor)
    _log(
        actor,
        item,
        "wagtail.create",
        consultation=consultation.pk if consultation else None,
    )
    return item


def _change_part(
    meeting: Meeting,
    items: list[AgendaItem],
    item: AgendaItem,
    public: bool,
    now: datetime.datetime,
) -> list[AgendaItem]:
    """Switch a top-level item and its sub-items to the other part.

    Returns the changed items (not saved).
    """
    if item.parent_id is not None:
        raise _refuse_subitem_part()
    family = [item, *(other for other in items if other.parent_id == item.pk)]
    if public and _papers_not_public(family):
        raise _refuse_public_for_nonpublic_paper()
    for member in family:
        member.public = public
        _mark_addendum(meeting, member, now)
    return family


def _save_items(items: Iterable[AgendaItem], fields: list[str]) -> None:
    for item in items:
        item.save(update_fields=[*fields, "modified"])


@transaction.atomic
def agenda_item_move(
    *, actor, item: AgendaItem, position: int, public: bool | None = None
) -> AgendaItem:
    """Move an item to ``position`` (1-based among its siblings), optionally
    into the other part (``public``).

    Who: staff with ``meetings.change_meeting`` on the meeting's body. Sub-items
    move among the sub-items of their parent and cannot change part alone; a
    top-level item takes its sub-items along. An item carrying a non-public
    paper cannot move to the public part. After the invitation the moved
    item is an addendum. Locks the meeting row. Emits ``wagtail.edit``.
    """
    meeting = _begin(actor, item.meeting)
    item = _fresh_item(item, meeting)
    items = _items(meeting)
    item = next(other for other in items if other.pk == item.pk)
    before = (item.order, item.public)
    now = timezone.now()
    changed = [item]
    if public is not None and public != item.public:
        changed = _change_part(meeting, items, item, public, now)
    _persist(meeting, _insert(items, item, position))
    if (item.order, item.public) == before:
        return item
    _mark_addendum(meeting, item, now)
    _save_items(changed, ["public", "addendum", "addendum_at"])
    _log(actor, item, "wagtail.edit", moved_to=item.number)
    return item


@transaction.atomic
def agenda_item_update(
    *, actor, item: AgendaItem, name: str | None = None, public: bool | None = None
) -> AgendaItem:
    """Change an item's title or move it into the other part (``public``).

    Who: staff with ``meetings.change_meeting`` on the meeting's body. An item
    switching part goes to the end of the other part (before its standard end
    items) with its sub-items; an item carrying a non-public paper cannot
    become public; a sub-item follows its parent. After the invitation the
    changed item is an addendum. Locks the meeting row. Emits ``wagtail.edit``.
    """
    meeting = _begin(actor, item.meeting)
    item = _fresh_item(item, meeting)
    items = _items(meeting)
    item = next(other for other in items if other.pk == item.pk)
    now = timezone.now()
    changes: dict[str, object] = {}
    changed = [item]
    if name is not None and name.strip() != item.name:
        if not name.strip():
            raise _refuse(_("Give the agenda item a title."), "name_required")
        changes["name"] = item.name = name.strip()
    if public is not None and public != item.public:
        changed = _change_part(meeting, items, item, public, now)
        changes["public"] = public
    if not changes:
        return item
    _mark_addendum(meeting, item, now)
    item.full_clean(validate_constraints=False)
    _save_items(changed, ["name", "public", "addendum", "addendum_at"])
    if "public" in changes:
        rest = [other for other in items if other.pk != item.pk]
        _persist(meeting, _insert(items, item, _default_position(meeting, rest, item)))
    _log(actor, item, "wagtail.edit", **changes)
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem, reason: str = "") -> AgendaItem:
    """Take an item (and its sub-items) off the agenda: soft deletion.

    Who: staff with ``meetings.change_meeting`` on the meeting's body. A
    linked consultation step is released (meeting and agenda item cleared),
    so the paper can be scheduled again; the paper stays in consultation.
    After the invitation a ``reason`` is required: the removed item is marked
    as addendum (abgesetzt) and the reason recorded in the audit log. Locks the
    meeting row. Emits ``wagtail.delete`` per removed item.
    """
    meeting = _begin(actor, item.meeting)
    item = _fresh_item(item, meeting)
    reason = reason.strip()
    if meeting.invitation_sent_at is not None and not reason:
        raise _refuse(
            _(
                "The invitation has been sent: say why the item is taken off the "
                "agenda, the reason is recorded with the addendum."
            ),
            "reason_required",
        )
    now = timezone.now()
    removed = [item, *item.children.alive()]
    for member in removed:
        member.deleted_at = now
        _mark_addendum(meeting, member, now)
    _save_items(removed, ["deleted_at", "addendum", "addendum_at"])
    Consultation.objects.filter(agenda_item__in=[m.pk for m in removed]).update(
        meeting=None, agenda_item=None, modified=now
    )
    _persist(meeting, _items(meeting))
    for member in removed:
        _log(actor, member, "wagtail.delete", reason=reason)
    return item


@transaction.atomic
def agenda_apply_standard_items(*, actor, meeting: Meeting) -> list[AgendaItem]:
    """Add the standard items of the meeting's organizations' templates.

    Who: staff with ``meetings.change_meeting`` on the meeting's body. Start
    items go to the beginning of their part in template order, end items to
    its end. Idempotent: an item whose title is already a top-level item of
    the agenda is not added again (for a joint meeting, each title once).
    After the invitation the new items are addenda. Locks the meeting row.
    Emits ``wagtail.create`` per new item. Returns the new items.
    """
    meeting = _begin(actor, meeting)
    template = _standard_items(meeting)
    items = _items(meeting)
    now = timezone.now()
    created: list[AgendaItem] = []
    cursor = {True: 0, False: 0}  # position of the last start item per part
    for standard in template:
        existing = next(
            (
                other
                for other in items
                if other.parent_id is None
                and other.name.strip().casefold() == standard.name.casefold()
            ),
            None,
        )
        if existing is not None:
            if standard.at_start and existing.public == standard.public:
                siblings = [o for o in items if _same_group(o, existing)]
                cursor[existing.public] = max(
                    cursor[existing.public], siblings.index(existing) + 1
                )
            continue
        item = AgendaItem(
            meeting=meeting,
            name=standard.name,
            public=standard.public,
            order=max((other.order for other in items), default=0) + 1,
        )
        _mark_addendum(meeting, item, now)
        item.full_clean(validate_constraints=False)
        item.save()
        if standard.at_start:
            cursor[item.public] += 1
            position = cursor[item.public]
        else:
            position = len(_siblings(items, item)) + 1
        items = _insert([*items, item], item, position)
        created.append(item)
    if created:
        _persist(meeting, items)
    for item in created:
        _log(actor, item, "wagtail.create", standard_item=True)
    return created

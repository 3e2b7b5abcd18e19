"""Session packs as a feature: when they are built, by whom they are read.

The pack engine (``build``, ``parts``, ``watermark``) turns a selection into a
PDF; this module keeps one :class:`~sessions.models.SessionPack` per meeting
and audience up to date and hands packs out.

When packs exist (see ``docs/decisions.md``):

- Automatic builds start with the invitation (``invitation_sent_at``): from
  then on every committed change of the meeting's data queues a rebuild.
  Before the invitation, and for meetings imported without one, staff
  request a build with the button on the status screen; once a pack exists
  it is kept current like the others.
- A cancelled meeting is not rebuilt automatically (staff may still request
  it); its public pack is removed. A deleted meeting loses both packs.
- The public pack exists only while the meeting's agenda is public and has
  public items; otherwise it is removed. It is handed out only while every
  item, paper, file, consultation and organization in it is still public
  (:func:`public_pack`), so between a change and the end of its rebuild
  nothing that stopped being public is served.
- The member pack is built once per meeting without watermark and never
  handed out as such: each download is a copy watermarked for the reader on
  the non-public pages (:func:`member_copy`), made on request and not kept.

A rebuild reads everything anew; an unchanged selection (same fingerprint)
is not built again unless staff force it. Builds write a new file and switch
to it on success, so the previous pack stays downloadable meanwhile and after
a failure.
"""

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from documents.models import Paper

from ..models import Meeting, SessionPack
from ..models.pack import pack_storage_path
from ..pdf.selection import MEMBER, PUBLIC, MeetingSelection, public_rules

logger = logging.getLogger(__name__)

AUDIENCES = (MEMBER, PUBLIC)
#: Raise to rebuild every pack once (e.g. after the pack's layout changed).
PACK_FORMAT = 1
#: Watermark of the non-public pages of a member's copy.
WATERMARK = "Nicht öffentlich – persönliches Exemplar für {name}"
#: Cached parts unused for this long are pruned.
PRUNE_AFTER = dt.timedelta(days=2)
#: Fields that never change a pack (timestamps, search data).
IGNORED_FIELDS = {"modified", "text", "search_vector"}


def auto_build_enabled() -> bool:
    """``GREMIEN_PACK_AUTO_BUILD`` (default on): committed changes queue
    rebuilds. The test settings switch it off, so that building a test world
    does not render PDFs; the tests of packs switch it on."""
    return getattr(settings, "GREMIEN_PACK_AUTO_BUILD", True)


# --- what a pack is made of --------------------------------------------------


def _fields(obj: models.Model | None) -> list | None:
    if obj is None:
        return None
    return [
        (field.attname, getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.attname not in IGNORED_FIELDS
    ]


def _paper_links(selection: MeetingSelection) -> list:
    """Originators of the papers (many-to-many, printed in each paper)."""
    ids = sorted({part.paper.pk for part in selection.items if part.paper})
    if not ids:
        return []
    return [
        sorted(
            getattr(Paper, name)
            .through.objects.filter(paper_id__in=ids)
            .values_list(flat=False)
        )
        for name in ("originator_organizations", "originator_persons")
    ]


def fingerprint(selection: MeetingSelection) -> str:
    """SHA-256 over every field of every object the pack is made of and over
    what of it is public: equal fingerprints give equal packs."""
    meeting = selection.meeting
    material = {
        "format": PACK_FORMAT,
        "audience": selection.audience,
        "meeting": _fields(meeting),
        "body": _fields(meeting.body),
        "location": _fields(meeting.location),
        "organizations": [_fields(o) for o in selection.organizations],
        "meeting_files": [(_fields(f.file), f.public) for f in selection.meeting_files],
        "paper_links": _paper_links(selection),
        "items": [
            {
                "item": _fields(part.item),
                "public": part.public,
                "paper": _fields(part.paper),
                "paper_public": part.paper_public,
                "consultations": [
                    (
                        _fields(c),
                        _fields(c.meeting),
                        sorted(o.pk for o in c.organizations.all()),
                    )
                    for c in part.consultations
                ],
                "files": [(_fields(f.file), f.public) for f in part.files],
            }
            for part in selection.items
        ],
    }
    text = json.dumps(material, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def public_contents(selection: MeetingSelection) -> dict[str, list[int]]:
    """Ids of everything in a public pack, by kind (see :func:`public_pack`)."""
    return {
        "items": sorted(part.item.pk for part in selection.items),
        "papers": sorted(part.paper.pk for part in selection.items if part.paper),
        "consultations": sorted(
            c.pk for part in selection.items for c in part.consultations
        ),
        "files": sorted(
            {f.file.pk for part in selection.items for f in part.files}
            | {f.file.pk for f in selection.meeting_files}
        ),
        "organizations": sorted(o.pk for o in selection.organizations),
    }


def _public_ids(meeting: Meeting) -> dict[str, set[int]] | None:
    rules = public_rules()
    if not rules.agenda_public(meeting):
        return None
    return {
        "items": rules.item_ids(meeting),
        "papers": rules.paper_ids(meeting),
        "consultations": rules.consultation_ids(meeting),
        "files": rules.file_ids(meeting),
        "organizations": rules.organization_ids(meeting),
    }


# --- which packs a meeting has --------------------------------------------------


def _wanted(meeting: Meeting, audience: str, *, exists: bool, force: bool) -> bool:
    """Whether ``meeting`` should have a pack for ``audience`` (before
    looking at its contents)."""
    if meeting.deleted_at is not None:
        return False
    if audience == PUBLIC and meeting.state == Meeting.State.CANCELLED:
        return False
    if force:
        return True
    if meeting.state == Meeting.State.CANCELLED:
        return False
    return exists or meeting.invitation_sent_at is not None


def request_builds(
    meetings: Iterable[Meeting | int],
    *,
    audiences: Iterable[str] = AUDIENCES,
    force: bool = False,
) -> list[SessionPack]:
    """Queue a build of the packs of ``meetings`` that should exist (or
    exist): each is marked "queued" at once and one task per meeting and
    audience is sent after the commit.

    Called after the commit of changes (``sessions.packs.signals``) and by
    staff (``force=True``: also before the invitation and for an unchanged
    selection). Access is checked by the caller."""
    from .tasks import pack_build

    ids = [m.pk if isinstance(m, Meeting) else m for m in meetings]
    audiences = tuple(audiences)
    existing = {
        (p.meeting_id, p.audience): p
        for p in SessionPack.objects.filter(meeting__in=ids, audience__in=audiences)
    }
    queued = []
    for meeting in Meeting.objects.filter(pk__in=ids).order_by("pk"):
        for audience in audiences:
            pack = existing.get((meeting.pk, audience))
            wanted = _wanted(meeting, audience, exists=pack is not None, force=force)
            if not wanted and pack is None:
                continue
            if (
                audience == PUBLIC
                and pack is None
                and not public_rules().agenda_public(meeting)
            ):
                continue  # no public agenda: nothing to build, nothing to remove
            queued.append(_mark_queued(meeting, audience, pack))
            transaction.on_commit(
                lambda m=meeting.pk, a=audience: pack_build.enqueue(m, a, force=force)
            )
    return queued


def _mark_queued(meeting: Meeting, audience: str, pack: SessionPack | None):
    now = timezone.now()
    if pack is None:
        try:
            with transaction.atomic():
                return SessionPack.objects.create(
                    meeting=meeting,
                    audience=audience,
                    state=SessionPack.State.QUEUED,
                    generation=1,
                    requested_at=now,
                )
        except IntegrityError:  # created meanwhile by another request
            pack = SessionPack.objects.get(meeting=meeting, audience=audience)
    # An update, not a save: progress of packs is no change of public pages
    # (a save would make the portal's page cache render everything anew).
    SessionPack.objects.filter(pk=pack.pk).update(
        state=SessionPack.State.QUEUED,
        generation=F("generation") + 1,
        requested_at=now,
        parts_done=0,
        parts_total=0,
    )
    pack.refresh_from_db()
    return pack


# --- building ---------------------------------------------------------------------


def build(meeting_id: int, audience: str, *, force: bool = False) -> None:
    """Bring the pack of ``meeting_id`` for ``audience`` up to date (the body
    of the task ``pack_build``; runs outside a transaction). Removes a pack
    that should no longer exist. Re-raises a failed build after recording
    it on the pack."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    meeting = (
        Meeting.objects.select_related("body", "location").filter(pk=meeting_id).first()
    )
    pack = SessionPack.objects.filter(meeting_id=meeting_id, audience=audience).first()
    if meeting is None:
        return
    wanted = _wanted(meeting, audience, exists=pack is not None, force=force)
    if not wanted:
        if pack is not None:
            _settle_unwanted(meeting, pack)
        return
    if pack is None:
        pack = _mark_queued(meeting, audience, None)
    generation = pack.generation
    selection = _selection(meeting, audience)
    if selection is None:
        remove(pack)
        return
    digest = fingerprint(selection)
    if not force and pack.content_hash == digest and file_exists(pack):
        _finish(pack, generation, SessionPack.State.READY)
        return
    _update(pack, state=SessionPack.State.BUILDING, started_at=timezone.now())
    try:
        built = _build(pack, selection)
    except Exception as exc:
        logger.exception("Building %s failed", pack)
        _update(pack, error=_error_text(exc))
        _finish(pack, generation, SessionPack.State.FAILED)
        raise
    _switch(pack, built, generation=generation, digest=digest, selection=selection)


def _selection(meeting: Meeting, audience: str) -> MeetingSelection | None:
    from ..pdf.selection import meeting_selection

    if audience == PUBLIC and _public_ids(meeting) is None:
        return None
    selection = meeting_selection(meeting, audience)
    if audience == PUBLIC and not selection.items:
        return None
    return selection


def _build(pack: SessionPack, selection: MeetingSelection):
    from .build import build_pack
    from .parts import PartCache

    def progress(done: int, total: int) -> None:
        _update(pack, parts_done=done, parts_total=total)

    return build_pack(selection, cache=PartCache(), progress=progress)


def _error_text(exc: Exception) -> str:
    """What the status screen shows: the engine's own messages are German
    sentences for the Sitzungsdienst; anything else is named as it is."""
    from .parts import PartError

    if isinstance(exc, PartError):
        return str(exc)[:2000]
    detail = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {detail}"[:2000]


def _update(pack: SessionPack, **fields) -> None:
    SessionPack.objects.filter(pk=pack.pk).update(**fields)
    for name, value in fields.items():
        setattr(pack, name, value)


def _finish(pack: SessionPack, generation: int, state: str) -> None:
    """End a build: ``state``, unless another build was requested meanwhile
    (then the pack stays queued for it)."""
    SessionPack.objects.filter(pk=pack.pk, generation=generation).update(state=state)
    SessionPack.objects.filter(pk=pack.pk).exclude(generation=generation).update(
        state=SessionPack.State.QUEUED
    )


def file_exists(pack: SessionPack) -> bool:
    return bool(pack.file) and pack.file.storage.exists(pack.file.name)


def _switch(pack, built, *, generation: int, digest: str, selection) -> None:
    """Store the new file, make it the pack's, then delete the old one."""
    storage = pack.file.storage
    name = storage.save(pack_storage_path(pack, ""), ContentFile(built.data))
    obsolete = name
    with transaction.atomic():
        current = SessionPack.objects.select_for_update().filter(pk=pack.pk).first()
        if current is not None and current.built_generation <= generation:
            obsolete = current.file.name if current.file else ""
            current.file.name = name
            current.pages = built.pages
            current.size = len(built.data)
            current.sha256 = hashlib.sha256(built.data).hexdigest()
            current.built_at = timezone.now()
            current.built_generation = generation
            current.content_hash = digest
            current.nonpublic_pages = sorted(built.nonpublic_pages)
            current.contents = (
                public_contents(selection) if selection.audience == PUBLIC else {}
            )
            current.part_keys = list(built.part_keys)
            current.error = ""
            current.parts_done = current.parts_total
            current.state = (
                SessionPack.State.READY
                if current.generation == generation
                else SessionPack.State.QUEUED
            )
            # A save: the public meeting page shows the pack's size and pages.
            current.save()
    if obsolete:
        transaction.on_commit(lambda: _delete_file(storage, obsolete))


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete the old pack file %s", name)


def remove(pack: SessionPack) -> None:
    """Delete a pack and, after the commit, its file."""
    name, storage = (pack.file.name if pack.file else ""), pack.file.storage
    SessionPack.objects.filter(pk=pack.pk).delete()
    if name:
        transaction.on_commit(lambda: _delete_file(storage, name))


def _settle_unwanted(meeting: Meeting, pack: SessionPack) -> None:
    """A pack that is no longer to be built: gone if public or of a deleted
    meeting; a member pack (e.g. of a cancelled meeting) is kept as it is."""
    if pack.audience == PUBLIC or meeting.deleted_at is not None or not pack.available:
        remove(pack)
    else:
        _finish(pack, pack.generation, SessionPack.State.READY)


def prune_parts(*, older_than: dt.timedelta = PRUNE_AFTER) -> int:
    """Delete cached parts that no pack uses any more and that are older than
    ``older_than`` (a build running right now writes young parts). Returns
    the number of parts deleted. Run daily (``manage.py pack_parts_prune``)."""
    from .parts import PartCache

    keep = set()
    for keys in SessionPack.objects.values_list("part_keys", flat=True):
        keep.update(keys or ())
    return PartCache().prune(keep=keep, older_than=older_than)


# --- handing packs out ------------------------------------------------------------


def public_pack(meeting: Meeting) -> SessionPack | None:
    """The public pack of ``meeting`` if it may be handed out now: built, the
    agenda public, and everything in it still public. ``None`` otherwise
    (e.g. an item made non-public whose pack is being rebuilt)."""
    pack = (
        SessionPack.objects.filter(
            meeting=meeting, audience=PUBLIC, built_at__isnull=False
        )
        .exclude(file="")
        .first()
    )
    if pack is None or not pack.contents:
        return None
    current = _public_ids(meeting)
    if current is None:
        return None
    for kind, ids in pack.contents.items():
        if kind not in current or not set(ids) <= current[kind]:
            return None
    return pack


def member_pack(meeting: Meeting) -> SessionPack | None:
    """The member base of ``meeting`` if one has been built (access is
    checked by the caller with ``sessions.access.may_read_non_public``)."""
    pack = (
        SessionPack.objects.filter(
            meeting=meeting, audience=MEMBER, built_at__isnull=False
        )
        .exclude(file="")
        .first()
    )
    return pack


def read(pack: SessionPack) -> bytes:
    with pack.file.storage.open(pack.file.name, "rb") as handle:
        return handle.read()


def reader_name(user) -> str:
    """The name in a member's copy: the person's, else the account's."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and person.deleted_at is None:
        return person.name
    return user.get_full_name() or user.get_username()


def member_copy(pack: SessionPack, user) -> bytes:
    """A copy of the member base for ``user``: the non-public pages carry
    "Nicht öffentlich – persönliches Exemplar für <Name>". Made on request
    and never stored."""
    from .watermark import watermark

    text = WATERMARK.format(name=reader_name(user))
    return watermark(read(pack), list(pack.nonpublic_pages), text)


def _label(meeting: Meeting) -> str:
    organization = (
        meeting.organizations.filter(deleted_at__isnull=True).order_by("pk").first()
    )
    name = organization.name if organization else ""
    label = re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-_")
    return label[:60].strip("-")


def document_filename(meeting: Meeting, kind: str, suffix: str = "") -> str:
    """``Sitzungsmappe-2026-03-12-Bauausschuss.pdf`` and the like."""
    parts = [kind, f"{timezone.localdate(meeting.start):%Y-%m-%d}"]
    label = _label(meeting)
    if label:
        parts.append(label)
    if suffix:
        parts.append(suffix)
    return "-".join(parts) + ".pdf"


def pack_filename(pack: SessionPack) -> str:
    suffix = "Mitglieder" if pack.audience == MEMBER else ""
    return document_filename(pack.meeting, "Sitzungsmappe", suffix)

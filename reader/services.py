"""State changes of annotations: create (idempotent by the client's id),
update (never overwriting a newer revision), delete (a tombstone).

Every change is the owner's own: nobody else, staff included, changes or
deletes another's annotation. Refusals are ``ValidationError`` or
``PermissionDenied`` with a code and a German message (``reader.api`` turns
them into JSON errors). Nothing here emits events.
"""

import math
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from documents.models import File
from gremien.models import Organization
from sessions.access import may_read_non_public
from sessions.models import Meeting

from . import pages as page_index
from .access import files_ever_of, may_share_with
from .models import (
    NOTE_MAX_CHARS,
    PAGE_MAX,
    QUOTE_MAX_CHARS,
    RECTS_MAX,
    Annotation,
)

#: What an update may change; place and kind of an annotation stay.
UPDATABLE = ("text", "color", "shared_with")


# --- validation ------------------------------------------------------------------


def _count(number: int) -> str:
    return number_format(number, force_grouping=True)


def _refuse(message: str, code: str, field: str | None = None):
    error = ValidationError(message, code=code)
    raise ValidationError({field: error}) if field else error


def clean_uuid(value: Any) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        _refuse(_("The note has no valid identifier."), "invalid_uuid", "uuid")


def clean_text(value: Any) -> str:
    text = "" if value is None else value
    if not isinstance(text, str):
        _refuse(_("The note must be text."), "invalid", "text")
    if len(text) > NOTE_MAX_CHARS:
        _refuse(
            _(
                "The note is too long: at most %(max)s characters, yours has "
                "%(count)s. Nothing was saved; please shorten it."
            )
            % {"max": _count(NOTE_MAX_CHARS), "count": _count(len(text))},
            "note_too_long",
            "text",
        )
    return text


def clean_quote(value: Any) -> str:
    quote = "" if value is None else value
    if not isinstance(quote, str):
        _refuse(_("The quoted text must be text."), "invalid", "quote")
    if len(quote) > QUOTE_MAX_CHARS:
        _refuse(
            _(
                "The marked passage is too long: at most %(max)s characters. "
                "Please mark a shorter passage."
            )
            % {"max": _count(QUOTE_MAX_CHARS)},
            "quote_too_long",
            "quote",
        )
    return quote


def clean_page(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _refuse(_("The page number must be a whole number."), "invalid_page", "page")
    if not 1 <= value <= PAGE_MAX:
        _refuse(_("There is no page with this number."), "invalid_page", "page")
    return value


def clean_kind(value: Any) -> str:
    if value not in Annotation.Kind.values:
        _refuse(_("Unknown kind of annotation."), "invalid_kind", "kind")
    return value


def clean_color(value: Any) -> str:
    if value in (None, ""):
        return Annotation.Color.YELLOW
    if value not in Annotation.Color.values:
        _refuse(_("Unknown colour."), "invalid_color", "color")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    if not math.isfinite(value):
        raise ValueError
    return float(value)


def clean_rects(value: Any) -> list[list[float]]:
    """Rectangles ``[x, y, width, height]`` relative to the page (0..1),
    rounded to 5 places and clipped to the page."""
    rects = [] if value is None else value
    message = _("The marked area is not valid.")
    if not isinstance(rects, list) or len(rects) > RECTS_MAX:
        _refuse(message, "invalid_rects", "rects")
    cleaned = []
    for rect in rects:
        try:
            if not isinstance(rect, list) or len(rect) != 4:
                raise ValueError
            x, y, w, h = (_number(v) for v in rect)
        except (TypeError, ValueError):
            _refuse(message, "invalid_rects", "rects")
        if w < 0 or h < 0 or x > 1 or y > 1 or x + w < 0 or y + h < 0:
            _refuse(message, "invalid_rects", "rects")
        left, top = max(0.0, x), max(0.0, y)
        right, bottom = min(1.0, x + w), min(1.0, y + h)
        cleaned.append([round(v, 5) for v in (left, top, right - left, bottom - top)])
    return cleaned


def clean_shared_with(actor, value: Any) -> Organization | None:
    if value in (None, ""):
        return None
    organization = None
    if isinstance(value, int) and not isinstance(value, bool):
        organization = Organization.objects.alive().filter(pk=value).first()
    if organization is None or not may_share_with(actor, organization):
        raise PermissionDenied(
            _("You can share a note only with a fraction you belong to.")
        )
    return organization


# --- create ----------------------------------------------------------------------


def may_annotate(actor, meeting: Meeting, file: File) -> bool:
    """Whether ``actor`` may make notes on ``file`` read through ``meeting``:
    whoever may read the meeting's non-public part, for a file that belongs
    or belonged to it (a note made offline on a document withdrawn meanwhile
    is kept, not lost)."""
    return (
        may_read_non_public(actor, meeting)
        and files_ever_of(meeting).filter(pk=file.pk).exists()
    )


def _page_hash(file: File, page: int, version: str) -> str:
    """The text hash of ``page`` in the version the client read: the current
    one, or an earlier one whose pages are known; "" if unknown."""
    if version == file.sha256:
        pages = page_index.pages_of(file)
    else:
        pages = page_index.known_pages(version)
    found = pages.page_hash(page) if pages is not None else None
    return found or ""


@dataclass(frozen=True)
class Created:
    annotation: Annotation
    #: False when the client's id was known: the create had been received
    created: bool


@transaction.atomic
def annotation_create(
    *,
    actor,
    meeting: Meeting,
    file: File,
    uuid: Any,
    page: Any,
    kind: Any,
    rects: Any = None,
    quote: Any = "",
    text: Any = "",
    color: Any = None,
    shared_with: Any = None,
    file_sha256: str = "",
) -> Created:
    """Store a highlight or note of ``actor`` on ``page`` of ``file``.

    Who: whoever may annotate the file (:func:`may_annotate`); the
    annotation is ``actor``'s own. Idempotent by ``(actor, uuid)``: a create
    sent again (offline sync, a lost answer) returns the stored annotation,
    also when it was deleted meanwhile (its tombstone). ``file_sha256`` is
    the version the client read (default: the current one); a page that
    this version does not have is kept and marked, not refused. The note
    text is limited to ``NOTE_MAX_CHARS``; a longer one is refused whole.
    Locks nothing (the unique constraint decides between two concurrent
    creates). Emits nothing.
    """
    client_id = clean_uuid(uuid)
    if not may_annotate(actor, meeting, file):
        raise PermissionDenied(_("You may not make notes on this document."))
    existing = Annotation.objects.filter(owner=actor, uuid=client_id).first()
    if existing is not None:
        return _known(existing, file)
    kind = clean_kind(kind)
    page = clean_page(page)
    rects = clean_rects(rects)
    quote = clean_quote(quote)
    text = clean_text(text)
    if kind == Annotation.Kind.HIGHLIGHT and not rects:
        _refuse(_("Mark a passage of the text first."), "invalid_rects", "rects")
    if kind == Annotation.Kind.NOTE and not text.strip():
        _refuse(_("Please write the text of the note."), "text_required", "text")
    version = file_sha256 if isinstance(file_sha256, str) and file_sha256 else ""
    version = version[:64] or file.sha256
    now = timezone.now()
    annotation = Annotation(
        uuid=client_id,
        owner=actor,
        file=file,
        meeting=meeting,
        document_name=(file.name or file.file_name)[:500],
        page=page,
        kind=kind,
        rects=rects,
        quote=quote,
        text=text,
        color=clean_color(color),
        shared_with=clean_shared_with(actor, shared_with),
        file_sha256=version,
        page_text_hash=_page_hash(file, page, version),
        created=now,
        modified=now,
    )
    try:
        with transaction.atomic():
            annotation.save()
    except IntegrityError:  # the same create arrived twice at once
        existing = Annotation.objects.get(owner=actor, uuid=client_id)
        return _known(existing, file)
    return Created(annotation, True)


def _known(existing: Annotation, file: File) -> Created:
    if existing.file_id != file.pk:
        _refuse(_("This identifier belongs to another note."), "uuid_conflict", "uuid")
    return Created(existing, False)


# --- update ----------------------------------------------------------------------


@dataclass(frozen=True)
class Updated:
    """What became of an update: ``updated`` (or ``unchanged``) as sent;
    ``merged``: the server had a newer revision with the same text, the
    colour and sharing were taken over; ``conflict``: the server's note was
    changed or deleted meanwhile and is kept as it is, the client's text is
    stored as ``copy``, a new annotation marked as a conflict copy."""

    status: str
    annotation: Annotation
    copy: Annotation | None = None


def _locked_own(actor, uuid: Any) -> Annotation:
    client_id = clean_uuid(uuid)
    annotation = (
        Annotation.objects.select_for_update()
        .filter(owner=actor, uuid=client_id)
        .first()
    )
    if annotation is None:
        raise Annotation.DoesNotExist
    return annotation


def _clean_changes(actor, changes: dict) -> dict:
    cleaned = {}
    if "text" in changes:
        cleaned["text"] = clean_text(changes["text"])
    if "color" in changes:
        cleaned["color"] = clean_color(changes["color"])
    if "shared_with" in changes:
        cleaned["shared_with"] = clean_shared_with(actor, changes["shared_with"])
    return cleaned


def _apply(annotation: Annotation, changes: dict) -> bool:
    changed = False
    for name, value in changes.items():
        current = (
            annotation.shared_with
            if name == "shared_with"
            else getattr(annotation, name)
        )
        if current != value:
            setattr(annotation, name, value)
            changed = True
    if changed:
        annotation.revision += 1
        annotation.modified = timezone.now()
        annotation.save()
    return changed


def _conflict_copy(
    actor, annotation: Annotation, changes: dict, quote: Any
) -> Annotation:
    """The client's version as a new, private annotation beside the server's."""
    now = timezone.now()
    copy = Annotation(
        uuid=uuid_lib.uuid4(),
        owner=actor,
        file_id=annotation.file_id,
        meeting_id=annotation.meeting_id,
        document_name=annotation.document_name,
        page=annotation.page,
        kind=annotation.kind,
        rects=annotation.rects,
        quote=annotation.quote or clean_quote(quote),
        text=changes.get("text", annotation.text),
        color=changes.get("color", annotation.color),
        file_sha256=annotation.file_sha256,
        page_text_hash=annotation.page_text_hash,
        conflict_of=annotation,
        created=now,
        modified=now,
    )
    copy.save()
    return copy


@transaction.atomic
def annotation_update(
    *,
    actor,
    uuid: Any,
    base_revision: Any,
    changes: dict,
    quote: Any = "",
) -> Updated:
    """Change the text, colour or sharing of ``actor``'s own annotation.

    Who: the owner only (any other user, staff included, gets
    ``Annotation.DoesNotExist``, as for an id that does not exist).
    ``base_revision`` is the revision the client changed. If the server's
    revision moved on since (another device), nothing is overwritten (see
    :class:`Updated`); ``quote`` is the client's copy of the quoted text,
    for a conflict copy of a note deleted meanwhile. A sharing change is
    checked against the owner's fractions today. Locks the annotation's row.
    Emits nothing.
    """
    annotation = _locked_own(actor, uuid)
    cleaned = _clean_changes(actor, changes)
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        _refuse(_("The note's revision is missing."), "invalid_revision", "revision")
    if base_revision > annotation.revision:
        _refuse(_("The note's revision is unknown."), "invalid_revision", "revision")
    if annotation.deleted:
        if not cleaned.get("text", "").strip():
            return Updated("unchanged", annotation)
        return Updated(
            "conflict", annotation, _conflict_copy(actor, annotation, cleaned, quote)
        )
    if base_revision == annotation.revision:
        status = "updated" if _apply(annotation, cleaned) else "unchanged"
        return Updated(status, annotation)
    if cleaned.get("text", annotation.text) == annotation.text:
        _apply(annotation, cleaned)
        return Updated("merged", annotation)
    return Updated(
        "conflict", annotation, _conflict_copy(actor, annotation, cleaned, quote)
    )


# --- delete ----------------------------------------------------------------------


@dataclass(frozen=True)
class Deleted:
    """``deleted`` (or ``already_deleted``); ``kept``: the note was changed
    on another device after the revision the client deleted, so it stays."""

    status: str
    annotation: Annotation


@transaction.atomic
def annotation_delete(*, actor, uuid: Any, base_revision: Any = None) -> Deleted:
    """Delete ``actor``'s own annotation: a tombstone remains (id, place,
    revision) with the texts removed, so that a create or delete sent again
    does nothing. Who: the owner only (others get
    ``Annotation.DoesNotExist``). With ``base_revision`` older than the
    stored revision the note was changed elsewhere after the client last
    saw it and is kept. Locks the annotation's row. Emits nothing."""
    annotation = _locked_own(actor, uuid)
    if annotation.deleted:
        return Deleted("already_deleted", annotation)
    if (
        isinstance(base_revision, int)
        and not isinstance(base_revision, bool)
        and base_revision < annotation.revision
    ):
        return Deleted("kept", annotation)
    now = timezone.now()
    annotation.deleted_at = now
    annotation.modified = now
    annotation.text = ""
    annotation.quote = ""
    annotation.shared_with = None
    annotation.revision += 1
    annotation.save()
    return Deleted("deleted", annotation)

"""Reads of annotations, for the signed-in user.

Who sees an annotation: its owner; a shared one also the current members of
the fraction it is shared with (``reader.access.fractions_of``), read-only.
Nobody else: not other members, not staff, not superusers (there is no
staff path to annotations at all).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from documents.models import File

from . import pages as page_index
from .access import fractions_of, owner_still_in_fraction
from .models import Annotation, DocumentPages

#: The page's text differs from the version the note was made on.
MARK_PAGE_CHANGED = "page_changed"
#: The current version has fewer pages than the note's page number.
MARK_PAGE_GONE = "page_gone"
#: The document was withdrawn or deleted.
MARK_DOCUMENT_GONE = "document_gone"


def own_annotations(*, user) -> QuerySet[Annotation]:
    """``user``'s own annotations, not deleted."""
    if user is None or not user.is_authenticated:
        return Annotation.objects.none()
    return Annotation.objects.filter(owner=user, deleted_at__isnull=True)


def visible_annotations(*, user, file: File) -> list[Annotation]:
    """The annotations of ``file`` that ``user`` sees: their own and those
    shared with a fraction that both they and the note's owner belong to
    today, by page. The caller has checked that ``user`` may read the
    file."""
    if user is None or not user.is_authenticated:
        return []
    fractions = list(fractions_of(user).values_list("pk", flat=True))
    visible = Q(owner=user)
    if fractions:
        visible |= Q(shared_with__in=fractions) & Q(owner_still_in_fraction())
    return list(
        Annotation.objects.filter(visible, file=file, deleted_at__isnull=True)
        .select_related("owner__person", "shared_with", "conflict_of")
        .order_by("page", "created", "pk")
    )


def mark_of(annotation: Annotation, file: File | None, pages) -> str:
    """How ``annotation`` relates to the current version of ``file``
    (``pages``: its :class:`DocumentPages`, or ``None`` if unknown): "" when
    its page is as it was, else one of the ``MARK_*`` values."""
    if file is None or file.deleted_at is not None:
        return MARK_DOCUMENT_GONE
    if pages is None:
        return "" if annotation.file_sha256 == file.sha256 else MARK_PAGE_CHANGED
    if annotation.page > pages.page_count:
        return MARK_PAGE_GONE
    if annotation.file_sha256 == file.sha256:
        return ""
    current = pages.page_hash(annotation.page)
    if annotation.page_text_hash and current == annotation.page_text_hash:
        return ""
    return MARK_PAGE_CHANGED


def mark_annotations(annotations: list[Annotation], file: File | None) -> None:
    """Set ``mark`` on each of ``annotations`` (all of ``file``)."""
    pages: DocumentPages | None = None
    if annotations and file is not None and file.deleted_at is None:
        pages = page_index.pages_of(file)
    for annotation in annotations:
        annotation.mark = mark_of(annotation, file, pages)


def annotations_of_file(*, user, file: File) -> list[Annotation]:
    """:func:`visible_annotations`, each with its ``mark``."""
    annotations = visible_annotations(user=user, file=file)
    mark_annotations(annotations, file)
    return annotations


def annotation_counts(*, user, file_ids) -> dict[int, int]:
    """How many own annotations ``user`` has on each of ``file_ids``
    (files without any are left out): for a mark beside a document link."""
    rows = (
        own_annotations(user=user)
        .filter(file_id__in=list(file_ids))
        .values("file_id")
        .annotate(count=Count("pk"))
    )
    return {row["file_id"]: row["count"] for row in rows}


def recent_annotations(*, user, limit: int = 5) -> list[Annotation]:
    """``user``'s latest changed annotations (with file and meeting), for a
    list "my latest notes"."""
    return list(
        own_annotations(user=user)
        .select_related("file", "meeting")
        .order_by("-modified", "-pk")[:limit]
    )


# --- export ----------------------------------------------------------------------


@dataclass
class ExportPage:
    number: int
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class ExportDocument:
    name: str
    file: File | None
    pages: list[ExportPage] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(page.annotations) for page in self.pages)


@dataclass
class ExportMeeting:
    meeting: object | None
    documents: list[ExportDocument] = field(default_factory=list)


def export_annotations(*, user) -> list[ExportMeeting]:
    """All of ``user``'s own annotations (not the shared ones of others),
    grouped by meeting (latest first), document and page, each with its
    ``mark``. Works for documents withdrawn since and meetings the user can
    no longer open: the notes stay the user's."""
    annotations = list(
        own_annotations(user=user)
        .select_related("file", "meeting", "shared_with", "conflict_of")
        .order_by("page", "created", "pk")
    )
    by_file: dict[int | None, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_file[annotation.file_id].append(annotation)
    for file_annotations in by_file.values():
        mark_annotations(file_annotations, file_annotations[0].file)
    meetings: dict[int | None, ExportMeeting] = {}
    documents: dict[tuple, ExportDocument] = {}
    for annotation in annotations:
        group = meetings.setdefault(
            annotation.meeting_id, ExportMeeting(annotation.meeting)
        )
        key = (annotation.meeting_id, annotation.file_id, annotation.document_name)
        document = documents.get(key)
        if document is None:
            name = annotation.document_name or (
                str(annotation.file) if annotation.file else ""
            )
            document = documents[key] = ExportDocument(name, annotation.file)
            group.documents.append(document)
        if not document.pages or document.pages[-1].number != annotation.page:
            document.pages.append(ExportPage(annotation.page))
        document.pages[-1].annotations.append(annotation)
    for group in meetings.values():
        group.documents.sort(key=lambda d: d.name.lower())
    return sorted(
        meetings.values(),
        key=lambda g: (
            g.meeting is None,
            -(g.meeting.start.timestamp()) if g.meeting else 0,
        ),
    )

"""Who may open a document in the reader, and with whom a note may be shared.

Opening a document is the rule of the member downloads, nothing of its own:
``sessions.access.may_read_non_public`` for the meeting, and the file must
be one of ``sessions.member_files.meeting_files`` (attached to the meeting,
one of its items, or a paper on its agenda).

Annotations are private (``reader.selectors``); sharing is the one way out,
and only to a fraction the owner belongs to today.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from documents.models import File
from gremien import fractions
from gremien.models import Organization
from sessions.access import may_read_non_public
from sessions.member_files import meeting_files
from sessions.models import Meeting


def fractions_of(user) -> QuerySet[Organization]:
    """The fractions ``user`` belongs to today (``gremien.fractions``, the
    one rule: memberships of a member's kind in the fraction or on its
    behalf, not staff ones). A note can be shared with these, and the notes
    shared with these are visible to ``user``."""
    return fractions.fractions_of(user)


def owner_still_in_fraction() -> Exists:
    """For a queryset of annotations: the owner belongs today to the fraction
    the annotation is shared with. A member who leaves a fraction takes
    their shared notes along; they are shared again if they come back."""
    fraction = OuterRef("shared_with")
    return Exists(
        fractions.memberships_valid_on(timezone.localdate()).filter(
            Q(organization=fraction) | Q(on_behalf_of=fraction),
            person__user=OuterRef("owner"),
        )
    )


def may_share_with(user, organization: Organization | None) -> bool:
    """Whether ``user`` may share a note with ``organization`` (``None``,
    private, is always allowed): a fraction they belong to today."""
    if organization is None:
        return True
    return fractions.belongs_to_fraction(user, organization)


def files_ever_of(meeting: Meeting) -> QuerySet[File]:
    """Files that belong or belonged to ``meeting``: as
    ``meeting_files``, with deleted files and removed items included. Used
    only to tell a reader that a document was withdrawn, and to keep the
    notes made on it, never to serve it."""
    return File.objects.filter(
        Q(meeting=meeting)
        | Q(agenda_item__meeting=meeting)
        | Q(paper__consultations__agenda_item__meeting=meeting)
    )


@dataclass(frozen=True)
class Opened:
    """What the reader found for a meeting and file the user asked for.

    ``file`` is set when the user may read it; ``withdrawn`` when the user
    may read the meeting but the file was deleted or taken off its agenda;
    otherwise the caller answers with the same 404 as ``member_file``."""

    meeting: Meeting | None
    file: File | None
    withdrawn: File | None = None


def open_file(user, meeting_pk: int, file_pk: int) -> Opened:
    """The meeting and file for the reader, by the rule of the member
    downloads (see module)."""
    meeting = Meeting.objects.filter(pk=meeting_pk).select_related("body").first()
    if meeting is None or not may_read_non_public(user, meeting):
        return Opened(None, None)
    file = meeting_files(meeting).filter(pk=file_pk).distinct().first()
    if file is not None:
        return Opened(meeting, file)
    gone = files_ever_of(meeting).filter(pk=file_pk).distinct().first()
    return Opened(meeting, None, withdrawn=gone)

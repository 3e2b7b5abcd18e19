"""The member's notes as a Markdown file (the download of ``reader_export``)."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Annotation
from .selectors import (
    MARK_DOCUMENT_GONE,
    MARK_PAGE_CHANGED,
    MARK_PAGE_GONE,
    ExportMeeting,
)


def mark_labels() -> dict[str, str]:
    return {
        MARK_PAGE_CHANGED: _("Page has changed"),
        MARK_PAGE_GONE: _("Page no longer exists"),
        MARK_DOCUMENT_GONE: _("Document withdrawn or deleted"),
    }


def marks(annotation: Annotation) -> list[str]:
    """What the export says about an annotation beside its text."""
    labels = []
    mark = getattr(annotation, "mark", "")
    if mark:
        labels.append(mark_labels()[mark])
    if annotation.conflict_of_id:
        labels.append(_("Conflict copy"))
    if annotation.shared_with_id:
        labels.append(_("shared with %(name)s") % {"name": annotation.shared_with.name})
    return labels


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j. F Y, H:i")


def _quoted(text: str) -> list[str]:
    return ["> " + line if line else ">" for line in text.splitlines()]


def _escape(text: str) -> str:
    # Names are plain text; a leading "#" or "-" must not become markup.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def markdown(groups: list[ExportMeeting], *, now: dt.datetime) -> str:
    lines = [f"# {_('My notes')}", "", _("As of %(when)s") % {"when": _when(now)}, ""]
    if not groups:
        lines += [_("You have no notes yet."), ""]
    for group in groups:
        meeting = group.meeting
        if meeting is not None:
            heading = f"{_escape(meeting.name)} ({_when(meeting.start)})"
        else:
            heading = _("Without a meeting")
        lines += [f"## {heading}", ""]
        for document in group.documents:
            lines += [f"### {_escape(document.name)}", ""]
            for page in document.pages:
                lines += [f"#### {_('Page %(page)s') % {'page': page.number}}", ""]
                for annotation in page.annotations:
                    lines += _entry(annotation)
    return "\n".join(lines).rstrip() + "\n"


def _entry(annotation: Annotation) -> list[str]:
    kind = annotation.get_kind_display()
    meta = [kind, _when(annotation.modified), *marks(annotation)]
    lines = [f"- {' · '.join(meta)}"]
    body = []
    if annotation.quote:
        body += _quoted(annotation.quote)
    if annotation.text:
        if body:
            body.append("")
        body += annotation.text.splitlines()
    lines += ["", *("  " + line if line else "" for line in body)] if body else []
    lines.append("")
    return lines


def label_all(groups: list[ExportMeeting]) -> None:
    """Set ``labels`` (see :func:`marks`) on every annotation of ``groups``,
    for the export's templates."""
    for group in groups:
        for document in group.documents:
            for page in document.pages:
                for annotation in page.annotations:
                    annotation.labels = marks(annotation)

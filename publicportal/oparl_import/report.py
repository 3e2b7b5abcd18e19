"""The summary of an import run: per type what was imported, updated, left
unchanged, deleted or skipped, and why objects or references were skipped."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import ImportRecord, ImportRun
from .schema import MODELS, WRITE_ORDER

#: Types in the order of the table (the body first).
TABLE_ORDER = ("Body", *[t for t in WRITE_ORDER if t != "Body"])
COLUMNS = ("new", "updated", "unchanged", "deleted", "skipped")


def column_labels() -> dict[str, str]:
    return {
        "new": _("new"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "deleted": _("deleted"),
        "skipped": _("skipped"),
    }


def reason_text(key: str) -> str:
    """The German explanation of a skip reason ``code`` or ``code|detail``."""
    code, _sep, detail = key.partition("|")
    messages = {
        "dangling": _(
            "Reference to an object the source does not deliver (%(detail)s)"
        ),
        "tombstone_unknown": _(
            "Deletion of an object that was never imported (%(detail)s)"
        ),
        "meeting_without_start": _("Meeting without a start"),
        "term_without_start": _("Legislative term without a start date"),
        "membership_without_person": _("Membership without an imported person"),
        "membership_without_organization": _(
            "Membership without an imported organization"
        ),
        "agenda_item_without_meeting": _("Agenda item without an imported meeting"),
        "consultation_without_paper": _("Consultation without an imported paper"),
        "file_without_owner": _("File not attached to anything imported"),
        "file_several_owners": _(
            "File attached to several objects (kept with the first one)"
        ),
        "file_role_taken": _(
            "Second main file or protocol of the same object (kept as attachment)"
        ),
        "agenda_item_taken": _(
            "Agenda item already linked to another consultation (link left out)"
        ),
        "list_unavailable": _("List not available at the source (%(detail)s)"),
        "object_without_id": _("Object without an id (%(detail)s)"),
        "unknown_type": _("Object of an unknown type (%(detail)s)"),
        "id_too_long": _("Id longer than 500 characters (%(detail)s)"),
        "body_deleted": _("Deletion of the body itself (not applied)"),
        "file_too_large": _("File content larger than the limit (not taken over)"),
        "download_failed": _("File content could not be downloaded"),
        "download_empty": _("File content is empty (not taken over)"),
        "checksum_mismatch": _(
            "File content does not match the source's checksum (not taken over)"
        ),
    }
    message = messages.get(code)
    if message is None:
        return key
    return message % {"detail": detail} if "%(detail)s" in message else message


@dataclass
class Summary:
    types: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def objects(self) -> int:
        return sum(sum(row.values()) for row in self.types.values())

    def total(self, column: str) -> int:
        return sum(row.get(column, 0) for row in self.types.values())

    def as_json(self) -> dict:
        return {"types": self.types, "reasons": self.reasons}


def summarize(run: ImportRun) -> Summary:
    """Counts from the run's staged records and its counted reasons."""
    types: dict[str, dict[str, int]] = {
        t: dict.fromkeys(COLUMNS, 0) for t in TABLE_ORDER
    }
    reasons: Counter = Counter()
    rows = (
        ImportRecord.objects.filter(run=run)
        .values_list("type", "outcome")
        .annotate(n=Count("pk"))
    )
    for type_name, outcome, n in rows:
        if type_name not in types or outcome in ("", "missing"):
            continue
        column, _sep, reason = outcome.partition(":")
        types[type_name][column if column in COLUMNS else "skipped"] += n
        if reason:
            detail = f"|{type_name}" if reason == "tombstone_unknown" else ""
            reasons[f"{reason}{detail}"] += n
    stored = dict(run.reasons)
    deferred = stored.pop("_deferred", {})
    reasons.update(stored)
    reasons.update(deferred)
    return Summary(
        types={t: row for t, row in types.items() if any(row.values())},
        reasons=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
    )


def type_label(type_name: str) -> str:
    return str(MODELS[type_name]._meta.verbose_name_plural)


def render(summary: Summary) -> str:
    """The summary as a plain-text table (German)."""
    labels = column_labels()
    header = [_("Type"), *(labels[c] for c in COLUMNS)]
    rows = [
        [type_label(t), *(str(summary.types[t][c]) for c in COLUMNS)]
        for t in TABLE_ORDER
        if t in summary.types
    ]
    rows.append([_("Total"), *(str(summary.total(c)) for c in COLUMNS)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def format_row(row):
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(widths[i]) for i, cell in enumerate(row[1:], start=1)]
        return "  ".join([first, *rest])

    lines = [format_row(header), "  ".join("-" * w for w in widths)]
    lines += [format_row(row) for row in rows]
    if summary.reasons:
        lines += ["", _("Skipped, by reason:")]
        lines += [
            f"  {reason_text(key)}: {count}" for key, count in summary.reasons.items()
        ]
    return "\n".join(lines)

"""A digest of the demo data that ignores primary keys and insertion times.

Two databases seeded with the same seed must give the same fingerprint, also
SQLite against PostgreSQL: rows are described by natural keys and sorted in
Python, never by database collation.
"""

import hashlib

from documents.models import File, Paper
from gremien.models import Body, LegislativeTerm, Membership, Organization, Person
from sessions.models import AgendaItem, Consultation, Meeting

SECTIONS = {
    "bodies": (
        Body,
        ["slug", "name", "ags", "rgs", "classification", "superordinate_body__slug"],
    ),
    "terms": (LegislativeTerm, ["body__slug", "name", "start_date", "end_date"]),
    "organizations": (
        Organization,
        ["body__slug", "name", "kind", "start_date", "end_date",
         "sub_organization_of__name"],
    ),
    "persons": (
        Person,
        ["body__slug", "given_name", "affix", "family_name", "title", "email",
         "phone", "status", "life", "email_public"],
    ),
    "memberships": (
        Membership,
        ["organization__body__slug", "organization__name", "person__given_name",
         "person__family_name", "person__email", "kind", "role", "start_date",
         "end_date", "on_behalf_of__name", "deputy_of__person__email"],
    ),
    "meetings": (
        Meeting,
        ["body__slug", "name", "start", "end", "state", "public", "location__room"],
    ),
    "agenda_items": (
        AgendaItem,
        ["meeting__body__slug", "meeting__start", "meeting__name", "order", "number",
         "name", "public", "result", "resolution_text"],
    ),
    "papers": (
        Paper,
        ["body__slug", "reference", "name", "date", "paper_type", "state", "public",
         "facts", "proposal", "financial_impact"],
    ),
    "consultations": (
        Consultation,
        ["paper__body__slug", "paper__reference", "position", "role",
         "authoritative", "meeting__start", "agenda_item__number",
         "organizations__name"],
    ),
    "files": (
        File,
        ["body__slug", "name", "file_name", "role", "sha256", "size", "date",
         "restricted", "paper__reference", "meeting__start"],
    ),
}  # fmt: skip


def _digest(rows) -> str:
    rows = sorted(tuple(str(value) for value in row) for row in rows)
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join(row).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def fingerprint() -> dict[str, tuple[int, str]]:
    """(row count, sha256) per section plus ``total``."""
    result = {}
    for name, (model, fields) in SECTIONS.items():
        rows = list(model.objects.values_list(*fields).iterator(chunk_size=5000))
        result[name] = (len(rows), _digest(rows))
    total = hashlib.sha256(repr(sorted(result.items())).encode()).hexdigest()
    result["total"] = (sum(count for count, _ in result.values()), total)
    return result

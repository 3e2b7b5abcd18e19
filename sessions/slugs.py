"""Readable, stable addresses of meetings: ``2026-03-12-bauausschuss``.

The slug is given once, when a meeting is planned, from its date and its
(first) organization, and never changes afterwards, so that links in
e-mails, feeds and search engines keep working when a meeting is moved. A
second meeting of the same organization on the same day gets ``-2``.
"""

from collections.abc import Iterable

from django.utils.text import slugify

from gremien.rules import LOCAL_TIME

from .models import Meeting

GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def german_slug(text: str, max_length: int = 80) -> str:
    """``Ausschuss für Bauen`` → ``ausschuss-fuer-bauen`` (umlauts spelt out)."""
    return slugify(text.lower().translate(GERMAN))[:max_length].strip("-")


def meeting_slug_base(meeting: Meeting, organization_name: str) -> str:
    day = meeting.start.astimezone(LOCAL_TIME).date()
    label = german_slug(organization_name)
    return f"{day:%Y-%m-%d}-{label}" if label else f"{day:%Y-%m-%d}"


def unique_slug(base: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def meeting_assign_slug(meeting: Meeting, organization_name: str) -> None:
    """Give ``meeting`` (saved, without slug) its slug. Call inside the
    transaction that plans the meeting; the unique constraint (body, slug)
    settles a race between two such transactions."""
    base = meeting_slug_base(meeting, organization_name)
    taken = Meeting.objects.filter(
        body_id=meeting.body_id, slug__startswith=base
    ).values_list("slug", flat=True)
    meeting.slug = unique_slug(base, taken)
    meeting.save(update_fields=["slug"])

"""Agenda numbering (TOP Ö 1, Ö 1.1, N 1): pure functions, no database.

The agenda services hand in the items in their current order and write back
what comes out, so order and numbers are always derived the same way:

* the public part comes first, then the non-public part;
* within a part, top-level items keep their relative order, and each is
  directly followed by its sub-items (recursively), which are numbered
  ``<parent number>.<n>``;
* a sub-item belongs to the part of its top-level item, whatever its own flag;
* the prefixes come from the body (``agenda_public_prefix``,
  ``agenda_nonpublic_prefix``); an empty prefix gives plain ``1``, ``1.1``;
  with ``agenda_nonpublic_continues`` the non-public part goes on counting
  where the public part stopped (Ö 1 … Ö 8, N 9 …).
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberingScheme:
    public_prefix: str = "Ö"
    nonpublic_prefix: str = "N"
    nonpublic_continues: bool = False

    @classmethod
    def for_body(cls, body) -> "NumberingScheme":
        return cls(
            public_prefix=body.agenda_public_prefix.strip(),
            nonpublic_prefix=body.agenda_nonpublic_prefix.strip(),
            nonpublic_continues=body.agenda_nonpublic_continues,
        )


@dataclass(frozen=True)
class Entry:
    """One agenda item as numbering sees it."""

    key: Hashable
    public: bool
    parent: Hashable | None = None


@dataclass(frozen=True)
class Placement:
    key: Hashable
    order: int
    number: str
    public: bool


def _label(prefix: str, number: str) -> str:
    return f"{prefix} {number}" if prefix else number


def number_agenda(
    entries: Sequence[Entry], scheme: NumberingScheme | None = None
) -> list[Placement]:
    """Orders (1..n) and numbers for ``entries``, given in their current order.

    An entry whose parent is not among ``entries`` counts as a top-level item;
    parent links forming a cycle raise ``ValueError``.
    ``Placement.public`` is the part the entry lands in (its top-level item's).
    """
    scheme = scheme or NumberingScheme()
    keys = {entry.key for entry in entries}
    children: dict[Hashable, list[Entry]] = {}
    top_level: list[Entry] = []
    for entry in entries:
        if entry.parent is not None and entry.parent in keys:
            children.setdefault(entry.parent, []).append(entry)
        else:
            top_level.append(entry)

    placements: list[Placement] = []

    def place(entry: Entry, number: str, prefix: str, public: bool) -> None:
        placements.append(
            Placement(
                key=entry.key,
                order=len(placements) + 1,
                number=_label(prefix, number),
                public=public,
            )
        )
        for index, child in enumerate(children.get(entry.key, []), start=1):
            place(child, f"{number}.{index}", prefix, public)

    public_count = 0
    for public, prefix in (
        (True, scheme.public_prefix),
        (False, scheme.nonpublic_prefix),
    ):
        offset = public_count if not public and scheme.nonpublic_continues else 0
        part = [entry for entry in top_level if entry.public is public]
        for index, entry in enumerate(part, start=offset + 1):
            place(entry, str(index), prefix, public)
        if public:
            public_count = len(part)
    if len(placements) != len(entries):
        raise ValueError("The parent links of the agenda items form a cycle.")
    return placements

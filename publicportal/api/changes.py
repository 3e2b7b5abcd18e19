"""When an object last changed, as OParl clients see it.

An object that embeds others (a meeting its agenda items and files, a paper
its files, consultations and locations …) changes when any of them changes:
its ``modified`` is the latest ``modified`` of itself and what it embeds,
and the filters ``modified_since``/``modified_until`` use the same notion,
so a client that syncs by ``modified_since`` learns about a changed agenda
item by its meeting.

The embedded objects are read from the unfiltered managers: a deleted or
hidden item changes what the meeting shows, so it counts. Only the time of
the change is used, never the object itself.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest


@dataclass(frozen=True)
class Part:
    """Objects of ``model`` embedded in a container: those whose ``lookup``
    equals the container's ``outer`` field."""

    model: type[Model]
    lookup: str
    outer: str = "pk"

    def rows(self) -> QuerySet:
        return self.model._default_manager.filter(
            **{self.lookup: OuterRef(self.outer)}
        ).order_by()


def latest_change(parts: tuple[Part, ...]):
    """The container's ``modified`` as an expression (for ``annotate``)."""
    if not parts:
        return F("modified")
    # Coalesce: SQLite's MAX() of a NULL is NULL (PostgreSQL skips NULLs).
    latest = [
        Coalesce(
            Subquery(part.rows().order_by("-modified").values("modified")[:1]),
            F("modified"),
        )
        for part in parts
    ]
    return Greatest(F("modified"), *latest)


def changed_since(parts: tuple[Part, ...], moment) -> Q:
    condition = Q(modified__gte=moment)
    for part in parts:
        condition |= Q(Exists(part.rows().filter(modified__gte=moment)))
    return condition


def unchanged_after(parts: tuple[Part, ...], moment) -> Q:
    condition = Q(modified__lte=moment)
    for part in parts:
        condition &= ~Q(Exists(part.rows().filter(modified__gt=moment)))
    return condition

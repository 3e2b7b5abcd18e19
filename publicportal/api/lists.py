"""One page of an OParl object list.

Lists are ordered by primary key, so a page never shifts when objects
change. With ``modified_since`` a list also announces the objects deleted
since then (tombstones, ``modified`` = deletion time), merged into the same
order; without it, deleted objects are not mentioned.
"""

from collections.abc import Callable
from math import ceil

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .changes import changed_since, unchanged_after
from .errors import ApiError
from .params import ListParams
from .serializers import Kind, Output


def list_page(
    *,
    kind: Kind,
    objects: QuerySet,
    tombstones: QuerySet,
    params: ListParams,
    out: Output,
    address: Callable[[dict], str],
) -> dict:
    """``objects``: the public objects of the list; ``tombstones``: its
    deleted ones that were public; ``address(query)``: the list's URL."""
    objects = _filter_objects(kind, objects, params)
    deleted = None
    if "modified_since" in params.dates:
        deleted = _filter_tombstones(tombstones, params)
    ids = _ids(objects, deleted)
    pages = max(1, ceil(len(ids) / params.limit))
    if params.page > pages:
        raise ApiError(
            404,
            _("This page does not exist; the last page is %(pages)d.")
            % {"pages": pages},
            f"page={params.page}, totalPages={pages}",
        )
    page = ids[params.offset : params.offset + params.limit]
    return {
        "data": _rows(kind, objects, deleted, page, out),
        "pagination": {
            "totalElements": len(ids),
            "elementsPerPage": params.limit,
            "currentPage": params.page,
            "totalPages": pages,
        },
        "links": _links(address, params, pages),
    }


def _ids(objects: QuerySet, deleted: QuerySet | None) -> list[int]:
    """Every id of the list in order: the total and the page in one query.

    Not ``COUNT`` plus ``ORDER BY id LIMIT … OFFSET …``: for a body whose
    rows come late in the table, PostgreSQL walks the primary key index of
    all bodies to fill the page; the ids alone come by the body's index."""
    ids = objects.order_by().values_list("pk", flat=True)
    if deleted is not None:
        ids = ids.union(deleted.order_by().values_list("pk", flat=True), all=True)
    return sorted(ids)


def _filter_objects(kind: Kind, objects: QuerySet, params: ListParams) -> QuerySet:
    dates = params.dates
    if "created_since" in dates:
        objects = objects.filter(created__gte=dates["created_since"])
    if "created_until" in dates:
        objects = objects.filter(created__lte=dates["created_until"])
    if "modified_since" in dates:
        objects = objects.filter(changed_since(kind.parts, dates["modified_since"]))
    if "modified_until" in dates:
        objects = objects.filter(unchanged_after(kind.parts, dates["modified_until"]))
    return objects


def _filter_tombstones(tombstones: QuerySet, params: ListParams) -> QuerySet:
    """The deletion time stands for ``modified``."""
    lookups = {
        "created_since": "created__gte",
        "created_until": "created__lte",
        "modified_since": "deleted_at__gte",
        "modified_until": "deleted_at__lte",
    }
    return tombstones.filter(
        **{lookups[name]: moment for name, moment in params.dates.items()}
    )


def _rows(kind, objects, deleted, page: list[int], out) -> list[dict]:
    found = list(kind.queryset(objects.filter(pk__in=page), embed=out.embed))
    kind.attach(found, out)
    rows = {obj.pk: kind.serialize(obj, out) for obj in found}
    if deleted is not None:
        for obj in deleted.filter(pk__in=page).only("pk", "created", "deleted_at"):
            rows[obj.pk] = kind.tombstone(obj, out)
    return [rows[pk] for pk in page if pk in rows]


def _links(address, params: ListParams, pages: int) -> dict:
    page = params.page
    links = {"first": address(params.query(1))}
    if page > 1:
        links["prev"] = address(params.query(page - 1))
    if page < pages:
        links["next"] = address(params.query(page + 1))
    links["last"] = address(params.query(pages))
    links["self"] = address(params.query(page))
    return links

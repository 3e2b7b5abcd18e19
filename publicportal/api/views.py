"""The views of the OParl 1.1 API (read-only).

Thin: each view finds its public objects through ``publicportal.visibility``
and hands them to ``serializers`` and ``lists``. :func:`api_view` gives every
answer the same protocol: CORS for any origin, answers to preflight
requests, the error object for everything that is not a 200.
"""

from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import visibility
from .addresses import Addresses
from .errors import ApiError, json_response
from .files import file_content
from .lists import list_page
from .params import read_params
from .serializers import BODY, BODY_LISTS, CONSULTATION, KINDS, MEETING, Output
from .serializers import system as system_object

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
#: The list segments of a body's address → their type.
BODY_LIST_KINDS = {name: KINDS[name] for name in BODY_LISTS.values()}
#: The lists of an organization → their type.
ORGANIZATION_LIST_KINDS = {"meeting": MEETING, "consultation": CONSULTATION}


def api_view(view):
    """Protocol of every address of the API: a view returns a dict (sent as
    JSON) or a response, or raises :class:`ApiError`."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = _preflight(request)
        elif request.method not in ("GET", "HEAD"):
            response = ApiError(
                405,
                _("The OParl interface can only be read (GET)."),
                f"method {request.method}",
            ).response()
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
            if isinstance(response, dict):
                response = json_response(response)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _preflight(request) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    requested = request.headers.get("Access-Control-Request-Headers")
    if requested:
        response["Access-Control-Allow-Headers"] = requested
    response["Access-Control-Max-Age"] = "86400"
    return response


def _not_found(what: str) -> ApiError:
    return ApiError(404, _("There is no public object at this address."), what)


@api_view
def system(request):
    return system_object(Output(Addresses(request)))


@api_view
def body_list(request):
    params = read_params(request.GET)
    out = Output(Addresses(request), embed=not params.omit_internal)
    out.addresses.load_portals()
    return list_page(
        kind=BODY,
        objects=BODY.public(),
        tombstones=visibility.public_tombstones(BODY.model),
        params=params,
        out=out,
        address=out.addresses.body_list,
    )


@api_view
def body_sublist(request, pk: int, name: str):
    kind = BODY_LIST_KINDS.get(name)
    body = visibility.public_bodies().filter(pk=pk).first()
    if kind is None or body is None:
        raise _not_found(f"list {name} of body {pk}")
    lookup = kind.model.body_lookup
    return _sublist(
        request,
        kind,
        kind.public().filter(**{lookup: body}),
        visibility.public_tombstones(kind.model, body),
        owner=(BODY.path, pk, name),
    )


@api_view
def organization_sublist(request, pk: int, name: str):
    kind = ORGANIZATION_LIST_KINDS.get(name)
    organization = visibility.public_organizations().filter(pk=pk).first()
    if kind is None or organization is None:
        raise _not_found(f"list {name} of organization {pk}")
    return _sublist(
        request,
        kind,
        kind.public().filter(organizations=organization),
        visibility.public_tombstones(kind.model).filter(organizations=organization),
        owner=("organization", pk, name),
    )


def _sublist(request, kind, objects, tombstones, *, owner) -> dict:
    params = read_params(request.GET)
    out = Output(Addresses(request), embed=not params.omit_internal)
    owner_path, pk, name = owner

    def address(query: dict) -> str:
        return out.addresses.sublist(owner_path, pk, name, query)

    return list_page(
        kind=kind,
        objects=objects,
        tombstones=tombstones,
        params=params,
        out=out,
        address=address,
    )


@api_view
def object_detail(request, path: str, pk: int):
    kind = KINDS.get(path)
    if kind is None:
        raise _not_found(f"type {path}")
    out = Output(Addresses(request))
    obj = kind.queryset().filter(pk=pk).first()
    if obj is not None:
        kind.attach([obj], out)
        return kind.serialize(obj, out)
    deleted = visibility.public_tombstones(kind.model).filter(pk=pk).first()
    if deleted is not None:
        return kind.tombstone(deleted, out)
    raise _not_found(f"{path} {pk}")


@api_view
def file_access(request, pk: int):
    return file_content(request, pk, attachment=False)


@api_view
def file_download(request, pk: int):
    return file_content(request, pk, attachment=True)


@api_view
def unknown(request, rest: str = ""):
    raise _not_found(request.path)

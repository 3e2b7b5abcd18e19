"""The reader's JSON API (``/mitglieder/dokumente/api/…``): the client lists,
creates, changes and deletes annotations through it, also when it sends
what was noted offline.

Session login and CSRF token (header ``X-CSRFToken``, from the
``csrftoken`` cookie or ``api/csrf/``) as for the pages; refusals are JSON
``{"error": {"code", "message", "field"}}`` with a German message; bodies
are limited in size; nothing is cached (``private, no-store``).
"""

import json
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from accounts.guards import second_factor_missing

from . import selectors, services
from .access import open_file
from .models import Annotation

#: Largest request body: a note of 10,000 characters and a quote of as many,
#: in UTF-8, with room for the rectangles.
MAX_BODY_BYTES = 200 * 1024


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie"
    return response


def error_response(error: ApiError) -> JsonResponse:
    body = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    return no_store(JsonResponse({"error": body}, status=error.status))


def _check_csrf(request: HttpRequest) -> None:
    # The middleware's own check, answered as JSON instead of its HTML page.
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if refused is not None:
        raise ApiError(
            403,
            "csrf_failed",
            _("Your session's security token is missing or out of date."),
        )


def api_view(view: Callable) -> Callable:
    """Signed-in users only, CSRF-checked, errors as JSON, never cached."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        try:
            if not request.user.is_authenticated or second_factor_missing(request):
                raise ApiError(
                    401,
                    "signed_out",
                    _(
                        "You are not signed in. Please sign in again; your notes "
                        "stay on this device until they are sent."
                    ),
                )
            _check_csrf(request)
            return no_store(view(request, *args, **kwargs))
        except ApiError as error:
            return error_response(error)
        except ValidationError as error:
            return error_response(_validation_error(error))
        except PermissionDenied as error:
            message = str(error) or _("You are not allowed to do this.")
            return error_response(ApiError(403, "forbidden", message))
        except Annotation.DoesNotExist:
            return error_response(
                ApiError(404, "not_found", _("This note does not exist."))
            )

    return wrapped


def _validation_error(error: ValidationError) -> ApiError:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        first = errors[0]
    else:
        field, first = "", error.error_list[0]
    message = first.message % first.params if first.params else first.message
    code = first.code or "invalid"
    status = 413 if code == "note_too_long" else 400
    return ApiError(status, code, str(message), field or "")


def read_json(request: HttpRequest) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_large = ApiError(
        413, "too_large", _("The request is too large. Nothing was saved.")
    )
    if length > MAX_BODY_BYTES:
        raise too_large
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise too_large
    try:
        data = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The request could not be read."))
    return data


def serialize(annotation: Annotation, user) -> dict:
    own = annotation.owner_id == user.pk
    author = ""
    if not own:
        person = getattr(annotation.owner, "person", None)
        author = person.name if person is not None else annotation.owner.get_username()
    shared = annotation.shared_with
    return {
        "uuid": str(annotation.uuid),
        "file": annotation.file_id,
        "meeting": annotation.meeting_id,
        "page": annotation.page,
        "kind": annotation.kind,
        "rects": annotation.rects,
        "quote": annotation.quote,
        "text": annotation.text,
        "color": annotation.color,
        "shared_with": {"id": shared.pk, "name": shared.name} if shared else None,
        "revision": annotation.revision,
        "created": annotation.created.isoformat(),
        "modified": annotation.modified.isoformat(),
        "deleted": annotation.deleted,
        "own": own,
        "author": author,
        "mark": getattr(annotation, "mark", ""),
        "conflict_of": str(annotation.conflict_of.uuid)
        if annotation.conflict_of_id and annotation.conflict_of
        else None,
        "file_sha256": annotation.file_sha256,
    }


def _marked(annotation: Annotation) -> Annotation:
    selectors.mark_annotations([annotation], annotation.file)
    return annotation


def _opened(request: HttpRequest, meeting_pk: int, file_pk: int):
    opened = open_file(request.user, meeting_pk, file_pk)
    if opened.file is None and opened.withdrawn is None:
        raise ApiError(
            404,
            "not_found",
            _("This document does not exist, or you have no access to it."),
        )
    return opened


@ensure_csrf_cookie
@require_http_methods(["GET"])
@api_view
def csrf(request: HttpRequest) -> JsonResponse:
    """``api/csrf/``: a fresh token, for a client back online after its page
    was loaded from a cache."""
    return JsonResponse({"token": get_token(request)})


@require_http_methods(["GET", "POST"])
@api_view
def file_annotations(request: HttpRequest, meeting_pk: int, file_pk: int):
    """``api/<meeting>/<file>/notizen/``: GET the annotations of a document
    the user sees (own and shared with their fraction), POST a new one."""
    opened = _opened(request, meeting_pk, file_pk)
    if request.method == "POST":
        return _create(request, opened)
    if opened.file is None:
        own = list(
            selectors.own_annotations(user=request.user).filter(file=opened.withdrawn)
        )
        selectors.mark_annotations(own, opened.withdrawn)
        response = JsonResponse(
            {
                "error": {
                    "code": "document_withdrawn",
                    "message": _(
                        "This document has been withdrawn or deleted. Your notes "
                        "on it are kept; you find them in the export of your notes."
                    ),
                },
                "annotations": [serialize(a, request.user) for a in own],
            },
            status=410,
        )
        return response
    annotations = selectors.annotations_of_file(user=request.user, file=opened.file)
    return JsonResponse(
        {
            "document": {"id": opened.file.pk, "sha256": opened.file.sha256},
            "annotations": [serialize(a, request.user) for a in annotations],
        }
    )


def _create(request: HttpRequest, opened) -> JsonResponse:
    data = read_json(request)
    file = opened.file or opened.withdrawn
    result = services.annotation_create(
        actor=request.user,
        meeting=opened.meeting,
        file=file,
        uuid=data.get("uuid"),
        page=data.get("page"),
        kind=data.get("kind"),
        rects=data.get("rects"),
        quote=data.get("quote"),
        text=data.get("text"),
        color=data.get("color"),
        shared_with=data.get("shared_with"),
        file_sha256=data.get("file_sha256") or "",
    )
    annotation = _marked(result.annotation)
    body = {
        "status": "created" if result.created else "known",
        "annotation": serialize(annotation, request.user),
    }
    if opened.file is None:
        body["message"] = _(
            "The document has been withdrawn meanwhile; your note was kept."
        )
    return JsonResponse(body, status=201 if result.created else 200)


UPDATE_MESSAGES = {
    "merged": lambda: _(
        "The note had been changed on another device; your colour and sharing "
        "were taken over."
    ),
    "conflict": lambda: _(
        "The note had been changed or deleted on another device meanwhile. "
        "Both versions are kept: yours is saved as a conflict copy beside it."
    ),
}


@require_http_methods(["PATCH", "DELETE"])
@api_view
def annotation_detail(request: HttpRequest, uuid: str) -> JsonResponse:
    """``api/notizen/<uuid>/``: PATCH changes text, colour or sharing of an
    own annotation (with the ``base_revision`` the client changed), DELETE
    removes it (``?revision=`` the client's revision)."""
    if request.method == "DELETE":
        return _delete(request, uuid)
    data = read_json(request)
    changes = {key: data[key] for key in services.UPDATABLE if key in data}
    result = services.annotation_update(
        actor=request.user,
        uuid=uuid,
        base_revision=data.get("base_revision"),
        changes=changes,
        quote=data.get("quote"),
    )
    body = {
        "status": result.status,
        "annotation": serialize(_marked(result.annotation), request.user),
        "copy": serialize(_marked(result.copy), request.user) if result.copy else None,
    }
    if result.status in UPDATE_MESSAGES:
        body["message"] = UPDATE_MESSAGES[result.status]()
    return JsonResponse(body)


def _delete(request: HttpRequest, uuid: str) -> JsonResponse:
    revision = request.GET.get("revision", "")
    base = int(revision) if revision.isdigit() else None
    result = services.annotation_delete(
        actor=request.user, uuid=uuid, base_revision=base
    )
    body = {
        "status": result.status,
        "annotation": serialize(_marked(result.annotation), request.user),
    }
    if result.status == "kept":
        body["message"] = _(
            "The note was changed on another device after you last saw it, so it "
            "was not deleted. Please look at it again."
        )
    return JsonResponse(body)

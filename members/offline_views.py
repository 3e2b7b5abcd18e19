"""The installable web app: manifest, service worker, the offline set and
the page that shows what this device keeps (``/mitglieder/offline/``)."""

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.guards import login_required

from . import offline
from .views import _member_page

SCOPE = "/mitglieder/"


@cache
def _worker_source() -> str:
    """The service worker with its version filled in: a hash of its own source
    and of the assets it keeps, so a release that changes any of them makes
    devices drop the old copies."""
    with open(finders.find("members/sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    digest = hashlib.sha256(source.encode())
    for path in offline.asset_paths():
        digest.update(path.encode())
        with open(finders.find(path), "rb") as asset:
            digest.update(asset.read())
    return source.replace("__VERSION__", digest.hexdigest()[:16])


def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = SCOPE
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Gremienportal – member portal"),
        "short_name": _("Council portal"),
        "description": _(
            "Meetings, documents and notes for council members, also offline."
        ),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("members_dashboard"),
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#f3f5f8",
        "theme_color": "#083a66",
        "icons": [
            {
                "src": static("members/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("members/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": static("members/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )


@never_cache
@login_required
def offline_data(request: HttpRequest) -> JsonResponse:
    """The offline set of the signed-in member (``members.offline``)."""
    response = JsonResponse(offline.offline_set(user=request.user))
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def offline_status(request: HttpRequest) -> HttpResponse:
    """What this device keeps for reading offline, and how old it is (drawn
    by ``static/members/offline.js`` from the service worker's index)."""
    return _member_page(
        request,
        "members/offline.html",
        {
            "title": _("Offline reading"),
            "nav": "offline",
            "offline_days": offline.OFFLINE_DAYS,
            "offline_meetings": offline.OFFLINE_MEETINGS,
        },
    )

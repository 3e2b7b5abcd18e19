"""The addresses the API hands out: its own (object ids, lists, file
content) and the portal pages of the objects (``web``).

Ids are absolute URLs. They start at ``GREMIEN_OPARL_BASE_URL`` when it is
set (behind a proxy that rewrites the host, or to pin one canonical host),
else at the address the request came in on.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

from ..links import PortalLinks
from ..models import PortalHomePage

SCHEMA = "https://schema.oparl.org/1.1/"


def api_root(request) -> str:
    """Absolute URL of the System object, ending in a slash.

    A configured base URL without a path (``https://ratsinfo.example.de``)
    gets the API's own path; one with a path is taken as the System's URL."""
    path = reverse("oparl:system")
    configured = getattr(settings, "GREMIEN_OPARL_BASE_URL", "")
    if not configured:
        return request.build_absolute_uri(path)
    if urlsplit(configured).path in ("", "/"):
        return configured.rstrip("/") + path
    return configured.rstrip("/") + "/"


class Addresses:
    """Addresses of one request. Portals are looked up once per body."""

    def __init__(self, request):
        self.root = api_root(request)
        self._portals: dict[int, PortalLinks | None] = {}
        self._all_portals = False

    def system(self) -> str:
        return self.root

    def website(self) -> str:
        parts = urlsplit(self.root)
        return f"{parts.scheme}://{parts.netloc}/"

    def object(self, path: str, pk: int) -> str:
        return f"{self.root}{path}/{pk}"

    def sublist(self, path: str, pk: int, name: str, query: dict | None = None):
        url = f"{self.root}{path}/{pk}/{name}"
        return f"{url}?{urlencode(query, safe=':')}" if query else url

    def body_list(self, query: dict | None = None) -> str:
        url = f"{self.root}body"
        return f"{url}?{urlencode(query, safe=':')}" if query else url

    def file_content(self, pk: int, how: str) -> str:
        return f"{self.root}file/{pk}/{how}"

    # --- the portal ---------------------------------------------------------

    def load_portals(self, body_ids=None) -> None:
        """Look up the portals of ``body_ids`` (all: ``None``) at once."""
        portals = PortalHomePage.objects.live()
        if body_ids is None:
            self._all_portals = True
        else:
            portals = portals.filter(body_id__in=body_ids)
            self._portals.update(dict.fromkeys(body_ids))
        self._portals.update({p.body_id: PortalLinks(p) for p in portals})

    def portal(self, body_id: int) -> PortalLinks | None:
        if body_id not in self._portals and not self._all_portals:
            self.load_portals([body_id])
        return self._portals.get(body_id)

    def web(self, body_id: int, obj=None) -> str | None:
        """The portal page of ``obj`` (the portal's start page for
        ``None``); ``None`` when the body has no portal."""
        links = self.portal(body_id)
        if links is None:
            return None
        return links.absolute(links.home() if obj is None else links.url_for(obj))

"""Local OParl endpoints for the importer's tests (and its benchmark).

:class:`Server` is a real HTTP server on 127.0.0.1 in a thread, answering
through a function ``path → (status, content type, body)``; it records every
request. :class:`SampleSite` serves the Hürtgenwald crawl (the original base
URL replaced by the server's), :class:`Site` a hand-made OParl 1.1 endpoint
built from Python objects, with pagination and ``modified_since``.
"""

import json
import tarfile
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

SAMPLE = Path(
    "/work/shared/oparl/samples/huertgenwald-oparl-1.0/cache_huertgenwald.tar.gz"
)
SAMPLE_BASE = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/"

Answer = tuple[int, str, bytes]


def json_answer(data, status: int = 200) -> Answer:
    return status, "application/json; charset=utf-8", json.dumps(data).encode()


def not_found() -> Answer:
    return json_answer(
        {"type": "https://schema.oparl.org/1.1/Error", "message": "Not found"}, 404
    )


class Server:
    """``with Server(respond) as server:`` serves ``server.url``."""

    def __init__(self, respond: Callable[[str], Answer], port: int = 0):
        self.respond = respond
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                outer.requests.append(self.path)
                status, content_type, body = outer.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def unpack_sample(target: Path) -> Path:
    with tarfile.open(SAMPLE) as archive:
        archive.extractall(target, filter="data")
    return target


class SampleSite:
    """The Hürtgenwald crawl: ``X?page=N`` is the file ``X?page=N.json``,
    ``X`` and ``X?page=1`` the file ``X.json``; other parameters (such as
    ``modified_since``) are ignored, as by a server that cannot filter.
    ``fail_after``: list pages served before every further one fails (503)."""

    def __init__(self, directory: Path, fail_after: int | None = None):
        self.directory = directory
        self.fail_after = fail_after
        self.pages_served = 0
        self.base = ""

    def __call__(self, path: str) -> Answer:
        parts = urlsplit(path)
        page = parse_qs(parts.query).get("page", ["1"])[0]
        name = parts.path.strip("/")
        if page != "1":
            name = f"{name}?page={page}"
        file = self.directory / f"{name}.json"
        if not file.is_file():
            return not_found()
        if name.startswith("body/1/"):
            if self.fail_after is not None and self.pages_served >= self.fail_after:
                return json_answer({"message": "Service Unavailable"}, 503)
            self.pages_served += 1
        text = file.read_text(encoding="utf-8").replace(SAMPLE_BASE, self.base)
        return 200, "application/json", text.encode()


def serve_sample(
    directory: Path, fail_after: int | None = None, port: int = 0
) -> Server:
    site = SampleSite(directory, fail_after)
    server = Server(site, port)
    site.base = server.url
    return server


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class Site:
    """A hand-made OParl 1.1 endpoint. ``objects`` maps a path (``paper/1``)
    to its JSON (ids relative to the server, completed on output); ``lists``
    maps a list path (``body/1/paper``) to the paths of its objects. Lists
    honour ``page``, ``limit`` and ``modified_since`` (deleted objects then
    appear as tombstones, others only when modified since); ``files`` maps a
    path to raw content."""

    def __init__(self, limit: int = 3):
        self.objects: dict[str, dict] = {}
        self.lists: dict[str, list[str]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.limit = limit
        self.base = ""

    def absolute(self, value):
        if isinstance(value, str) and value.startswith("@"):
            return self.base + value[1:]
        if isinstance(value, list):
            return [self.absolute(item) for item in value]
        if isinstance(value, dict):
            return {key: self.absolute(item) for key, item in value.items()}
        return value

    def __call__(self, path: str) -> Answer:
        parts = urlsplit(path)
        name = parts.path.strip("/")
        if name in self.files:
            content_type, content = self.files[name]
            return 200, content_type, content
        if name in self.lists:
            return self.list_page(name, parse_qs(parts.query))
        data = self.objects.get(name)
        if data is None:
            return not_found()
        if data.get("deleted"):
            return json_answer(self.absolute(self.tombstone(data)))
        return json_answer(self.absolute(data))

    @staticmethod
    def tombstone(data: dict) -> dict:
        return {
            key: data[key]
            for key in ("id", "type", "created", "modified", "deleted")
            if key in data
        }

    def list_page(self, name: str, query: dict) -> Answer:
        items = [self.objects[path] for path in self.lists[name]]
        since = query.get("modified_since", [None])[0]
        if since:
            moment = parse_time(since)
            items = [o for o in items if parse_time(o["modified"]) >= moment]
            items = [self.tombstone(o) if o.get("deleted") else o for o in items]
        else:
            items = [o for o in items if not o.get("deleted")]
        page = int(query.get("page", ["1"])[0])
        limit = self.limit
        total = max(1, -(-len(items) // limit))
        chunk = items[(page - 1) * limit : page * limit]
        params = {key: values[0] for key, values in query.items() if key != "page"}
        links = {"first": self._link(name, params, 1)}
        if page < total:
            links["next"] = self._link(name, params, page + 1)
        return json_answer(
            self.absolute(
                {
                    "data": chunk,
                    "pagination": {
                        "totalElements": len(items),
                        "elementsPerPage": limit,
                        "currentPage": page,
                        "totalPages": total,
                    },
                    "links": links,
                }
            )
        )

    def _link(self, name: str, params: dict, page: int) -> str:
        return f"@{name}?" + urlencode({**params, "page": page})


def serve_site(site: Site) -> Server:
    server = Server(site)
    site.base = server.url
    return server

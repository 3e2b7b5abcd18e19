"""The OParl 1.1 API on the large demo: a full crawl and the queries per page.

``bench/run.py oparl_crawl`` runs only this module. It

1. uses the large-demo PostgreSQL database of ``bench_portal`` (same
   ``BENCH_DATABASE_URL``, seeded there when empty);
2. counts, in a child process, the database queries of the first page of
   every body list at a small and a large page size (they must be equal:
   embedded objects are prefetched, not fetched per object);
3. starts the production server (uvicorn, ``BENCH_UVICORN_WORKERS`` (2)
   processes, page cache off: a crawl reads every page once) and crawls the
   whole API as a simple client would: one keep-alive connection, from the
   System object to every body, every list of every body, every page by
   ``links.next`` (``limit`` = ``BENCH_OPARL_LIMIT``, default the API's
   default). ``BENCH_OPARL_BODIES`` (all) limits the number of bodies.

Reported: pages, objects (list entries) and embedded objects, objects per
second, page latency p50/p95/max and the server's CPU per page.
"""

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_portal import (  # noqa: E402 - this file also runs as a child script
    cpu_seconds,
    large_demo,
    serve,
    setting,
)
from harness import (  # noqa: E402
    Measurement,
    Stopwatch,
    django_setup,
    percentile,
    run_child,
)

NAME = "oparl_crawl"
API = "/oparl/v1.1/"
#: The body properties that name a list, in the order a client walks them.
BODY_LISTS = (
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "locationList",
    "legislativeTermList",
    "membership",
)


def embedded_count(value) -> int:
    """Objects inside ``value`` (not counting ``value`` itself)."""
    found = 0
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, dict) and "id" in item:
                found += 1
            found += embedded_count(item)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "id" in item:
                found += 1
            found += embedded_count(item)
    return found


class Crawler:
    def __init__(self, port: int, limit: str):
        import requests

        self.session = requests.Session()
        self.base = f"http://127.0.0.1:{port}"
        self.limit = limit
        self.pages = 0
        self.objects = 0
        self.embedded = 0
        self.bytes = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.per_list: dict[str, int] = {}

    def get(self, url: str) -> dict | None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        started = time.perf_counter()
        response = self.session.get(self.base + path, headers={"Host": "localhost"})
        self.latencies.append(time.perf_counter() - started)
        self.bytes += len(response.content)
        if response.status_code != 200:
            self.errors.append(f"{path} → {response.status_code}")
            return None
        return response.json()

    def walk_list(self, name: str, url: str) -> None:
        if self.limit:
            url += ("&" if "?" in url else "?") + f"limit={self.limit}"
        while url:
            page = self.get(url)
            if page is None:
                return
            self.pages += 1
            data = page.get("data", [])
            self.objects += len(data)
            self.per_list[name] = self.per_list.get(name, 0) + len(data)
            self.embedded += embedded_count(data)
            url = page.get("links", {}).get("next")

    def run(self, bodies: int | None) -> None:
        system = self.get(API)
        if system is None:
            return
        body_list = self.get(system["body"])
        listed = body_list["data"] if body_list else []
        self.objects += 1 + len(listed)
        for body in listed[:bodies] if bodies else listed:
            for name in BODY_LISTS:
                if name in body:
                    self.walk_list(name, body[name])


def crawl_measurements(port: int, pid: int) -> list[Measurement]:
    limit = setting("BENCH_OPARL_LIMIT", "")
    bodies = int(setting("BENCH_OPARL_BODIES", "0")) or None
    crawler = Crawler(port, limit)
    cpu_before = cpu_seconds(pid)
    with Stopwatch() as watch:
        crawler.run(bodies)
    cpu = cpu_seconds(pid) - cpu_before
    ms = [latency * 1000 for latency in crawler.latencies]
    results = [
        Measurement(NAME, "crawl: page size", limit or "API default"),
        Measurement(NAME, "crawl: bodies", bodies or "all"),
        Measurement(NAME, "crawl: requests", len(crawler.latencies)),
        Measurement(NAME, "crawl: errors", len(crawler.errors)),
        Measurement(NAME, "crawl: objects (list entries)", crawler.objects),
        Measurement(NAME, "crawl: embedded objects", crawler.embedded),
        Measurement(NAME, "crawl: time", watch.seconds, "s"),
        Measurement(
            NAME, "crawl: objects per second", crawler.objects / watch.seconds, "1/s"
        ),
        Measurement(
            NAME,
            "crawl: objects incl. embedded per second",
            (crawler.objects + crawler.embedded) / watch.seconds,
            "1/s",
        ),
        Measurement(NAME, "crawl: data", crawler.bytes / 1e6, "MB"),
        Measurement(NAME, "crawl: page p50", percentile(ms, 50), "ms"),
        Measurement(NAME, "crawl: page p95", percentile(ms, 95), "ms"),
        Measurement(NAME, "crawl: page max", max(ms) if ms else 0.0, "ms"),
        Measurement(
            NAME,
            "crawl: server CPU per request",
            1000 * cpu / max(1, len(crawler.latencies)),
            "ms",
        ),
    ]
    results += [
        Measurement(NAME, f"crawl: {name} objects", count)
        for name, count in crawler.per_list.items()
    ]
    for error in crawler.errors[:5]:
        results.append(Measurement(NAME, "crawl: error", error))
    return results


def run() -> list[Measurement]:
    env, results = large_demo(NAME)
    if env is None:
        return results
    env["GREMIEN_PAGE_CACHE_SECONDS"] = "0"
    counts = run_child(__file__, env, "queries")
    for name, info in counts.items():
        for size, queries in info["queries"].items():
            results.append(
                Measurement(
                    NAME,
                    f"queries {name} list page, limit {size} ({info['body']})",
                    queries,
                    "queries",
                )
            )
    with serve("uvicorn", env) as (port, description, pid):
        results.append(Measurement(NAME, "server", description))
        results += crawl_measurements(port, pid)
    return results


# --- child: query counts ---------------------------------------------------

#: List name in the URL → the model whose largest body is used.
COUNTED_LISTS = {
    "meeting": "meetings.Meeting",
    "paper": "documents.Paper",
    "person": "gremien.Person",
    "organization": "gremien.Organization",
    "agendaitem": "meetings.AgendaItem",
    "consultation": "meetings.Consultation",
    "file": "documents.File",
    "membership": "gremien.Membership",
    "location": "gremien.Location",
}


def child_queries() -> dict:
    from django.apps import apps
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gremien.models import Body

    client = Client(HTTP_HOST="localhost")
    sizes = ("10", "100")
    result = {}
    client.get(API)  # Wagtail's site root paths, read once per process
    for name, label in COUNTED_LISTS.items():
        model = apps.get_model(label)
        lookup = model.body_lookup
        biggest = (
            model.objects.values(lookup)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list(lookup, flat=True)
            .first()
        )
        body = Body.objects.get(pk=biggest)
        queries = {}
        for size in sizes:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"{API}body/{body.pk}/{name}?limit={size}")
            queries[size] = (
                len(captured) if response.status_code == 200 else response.status_code
            )
        result[name] = {"body": body.name, "queries": queries}
    return result


def child_main(argv: list[str]) -> None:
    django_setup()
    if argv[0] == "queries":
        print(json.dumps(child_queries()))
    else:
        raise SystemExit(f"unknown child command {argv[0]}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    child_main(sys.argv[1:])

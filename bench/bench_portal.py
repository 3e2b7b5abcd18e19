"""The public portal on the large demo (PostgreSQL): latency under load,
search, the iCal feed and query counts.

``bench/run.py portal`` runs only this module. It

1. prepares a PostgreSQL database with ``seed_demo --scale large`` (kept and
   reused between runs: ``BENCH_DATABASE_URL``, default the database
   ``gremien_bench_portal`` on the server of ``DATABASE_URL`` or on
   ``127.0.0.1:5432``); it migrates, seeds only an empty database and builds
   the search index only when it is empty;
2. asks a child process (Django, production settings) for a varied address
   set: many meetings, papers, calendar months, organizations and search words
   of every body's portal, and counts the queries of a meeting, paper and
   organization page for a small and a large object;
3. starts the production server (uvicorn, ``config.settings.production``,
   ``BENCH_UVICORN_WORKERS`` (2) processes, Redis as shared page cache when
   one answers at ``BENCH_REDIS_URL``; ``BENCH_SERVER=daphne`` for Daphne,
   ``uvicorn,daphne`` for both) on a free port and waits for it;
4. loads it from ``BENCH_CLIENTS`` (20) keep-alive connections (wrk where
   installed, else Python threads; ``BENCH_LOAD``), one page type at a
   time, with the page cache filled first (every address once) and with
   every request rendered, and measures p50/p95/p99, the throughput and
   the cache hit ratio; then search (one client, 200 varied queries, half
   with filters) and the iCal feed of all meetings of a body.

``python bench/bench_portal.py profile HOST PATH`` (with the same environment
as the server: ``DATABASE_URL``, ``DJANGO_SETTINGS_MODULE``…) profiles one
request in-process with cProfile and prints the top functions and the queries.
"""

import contextlib
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402 - this file also runs as a child script
    PROJECT_DIR,
    PYTHON,
    Measurement,
    Stopwatch,
    clean_env,
    django_setup,
    free_port,
    percentile,
    run_child,
)

NAME = "portal"
DEFAULT_DATABASE = "gremien_bench_portal"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
#: Page types loaded by the concurrent clients, in this order.
LOADED_PAGES = ("meeting", "paper", "calendar", "search")
#: Targets of the issue (ms).
TARGET_P95_PAGE_MS = 100
TARGET_P95_SEARCH_MS = 200
TARGET_ICAL_MS = 300
SEARCH_QUERIES = 200
#: Words too common or too short to be a search a visitor would type.
STOP_WORDS = {
    "über",
    "unter",
    "sowie",
    "durch",
    "gegen",
    "einer",
    "eines",
    "einem",
    "dieser",
    "diese",
    "werden",
    "wurde",
    "haben",
    "zwischen",
}


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


# --- the database ----------------------------------------------------------


def database_url() -> str:
    """``BENCH_DATABASE_URL``, or the bench database on ``DATABASE_URL``'s
    PostgreSQL server (default ``127.0.0.1:5432``, user ``postgres``)."""
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        server = DEFAULT_SERVER_URL
    return urlunsplit(urlsplit(server)._replace(path=f"/{DEFAULT_DATABASE}"))


def ensure_database_exists(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"   creating database {name}", file=sys.stderr)
            conn.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> float:
    """``ANALYZE`` the whole database; returns seconds. A freshly seeded
    database has no planner statistics until autovacuum comes round (or
    never, where autovacuum is off), and without them PostgreSQL plans the
    visibility subqueries as nested loops over whole tables."""
    import psycopg

    with Stopwatch() as watch, psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return watch.seconds


def manage(env, *args: str) -> None:
    # the command line is ours: this interpreter and manage.py, no user input
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        stdout=sys.stderr,
    )


def child(env, *args: str) -> dict:
    return run_child(__file__, env, *args)


def prepare_database(env) -> list[Measurement]:
    """Migrate; seed an empty database; analyze; index an empty search index."""
    measurements = []
    manage(env, "migrate", "--no-input", "-v", "0")
    state = child(env, "state")
    if not state["bodies"]:
        print("   seeding the large demo (a few minutes)", file=sys.stderr)
        with Stopwatch() as seed:
            manage(env, "seed_demo", "--scale", "large", "-v", "0")
        measurements.append(
            Measurement(NAME, "seed_demo (was empty)", seed.seconds, "s")
        )
        state = child(env, "state")
    seconds = analyze(env["DATABASE_URL"])
    measurements.append(Measurement(NAME, "ANALYZE", seconds, "s"))
    if state["search_entries"] == 0 and state["has_reindex"]:
        with Stopwatch() as reindex:
            manage(env, "portal_reindex")
        measurements.append(Measurement(NAME, "portal_reindex", reindex.seconds, "s"))
        state = child(env, "state")
    measurements += [
        Measurement(NAME, "bodies / portals", state["bodies"], "rows"),
        Measurement(NAME, "public meetings", state["meetings"], "rows"),
        Measurement(NAME, "public papers", state["papers"], "rows"),
        Measurement(NAME, "search entries", state["search_entries"], "rows"),
    ]
    return measurements


# --- the server -------------------------------------------------------------


#: Redis for the page cache and channel layer of the bench server: a database
#: of its own, emptied before each server starts.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def servers() -> list[str]:
    """``BENCH_SERVER``: ``uvicorn`` (production), ``daphne`` (development)
    or both, comma-separated."""
    kinds = setting("BENCH_SERVER", "uvicorn").split(",")
    unknown = set(kinds) - {"uvicorn", "daphne"}
    if unknown:
        raise SystemExit(f"BENCH_SERVER: unknown {', '.join(sorted(unknown))}")
    return kinds


def redis_url_setting() -> str | None:
    url = setting("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    return None if url == "none" else url


def redis_url() -> str | None:
    """``BENCH_REDIS_URL`` when a Redis server answers there (emptied);
    ``BENCH_REDIS_URL=none``: no Redis, each process its own cache."""
    url = redis_url_setting()
    if url is None:
        return None
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except Exception as error:  # noqa: BLE001 - no Redis: say so, go on
        print(f"   no Redis at {url} ({error}): local caches", file=sys.stderr)
        return None
    return url


def server_command(kind: str, port: int) -> tuple[list[str], str, dict]:
    """Command line, description and extra environment of a server."""
    if kind == "uvicorn":
        workers = setting("BENCH_UVICORN_WORKERS", "2")
        command = [
            PYTHON,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
            "--lifespan",
            "off",
            "--no-access-log",
            "--log-level",
            "warning",
            "config.asgi:application",
        ]
        return command, f"uvicorn, {workers} workers", {"WEB_CONCURRENCY": workers}
    daphne = str(Path(PYTHON).parent / "daphne")
    command = [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    return command, "Daphne, 1 process", {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (server workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def load_average() -> float:
    with open("/proc/loadavg") as loadavg:
        return float(loadavg.read().split()[0])


def fetch(port: int, host: str, path: str, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def serve(kind: str, env):
    """A running server on a free port: yields (port, description, pid)."""
    port = free_port()
    command, description, extra_env = server_command(kind, port)
    url = redis_url()
    env = dict(env, **extra_env)
    if url:
        env["REDIS_URL"] = url
        description += ", Redis cache"
    else:
        env.pop("WEB_CONCURRENCY", None)
        description += ", local-memory cache per process"
    log_path = Path(tempfile.gettempdir()) / f"bench-portal-server-{port}.log"
    print(f"   {description}; server log: {log_path}", file=sys.stderr)
    with open(log_path, "w+b") as log:
        process = subprocess.Popen(  # noqa: S603 - our server, our arguments
            command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(
                        f"server exited: {log.read().decode(errors='replace')}"
                    )
                with contextlib.suppress(OSError):
                    status, _ = fetch(port, "localhost", "/", timeout=30)
                    if status < 500:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("server not ready after 120 s")
                time.sleep(0.3)
            yield port, description, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- the load ---------------------------------------------------------------


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)  # seconds, status 200
    errors: dict[str, int] = field(default_factory=dict)  # status or exception
    seconds: float = 0.0
    bytes: int = 0
    cache_hits: int = 0  # answers with X-Portal-Cache: hit
    #: from wrk, which reports percentiles (ms), not single latencies
    percentiles_ms: dict[float, float] = field(default_factory=dict)
    answered: int = 0  # from wrk: answers with status 200
    generator: str = "python"
    generator_cpu: float = 0.0  # seconds of CPU the load generator used

    @property
    def ok(self) -> int:
        return self.answered or len(self.latencies)

    @property
    def requests(self) -> int:
        return self.ok + sum(self.errors.values())

    def ms(self, q: float) -> float:
        if self.percentiles_ms:
            return self.percentiles_ms[q]
        return percentile(self.latencies, q) * 1000


def _client(port, targets, offset, stride, stop_at, load, lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors, size, hits = [], {}, 0, 0
    index = offset
    while time.perf_counter() < stop_at:
        host, path = targets[index % len(targets)]
        index += stride
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            key = type(error).__name__
            errors[key] = errors.get(key, 0) + 1
            continue
        elapsed = time.perf_counter() - started
        if status == 200:
            latencies.append(elapsed)
            size += len(body)
            hits += response.getheader("X-Portal-Cache") == "hit"
        else:
            errors[str(status)] = errors.get(str(status), 0) + 1
    conn.close()
    with lock:
        load.latencies += latencies
        load.bytes += size
        load.cache_hits += hits
        for key, count in errors.items():
            load.errors[key] = load.errors.get(key, 0) + count


def hammer(port: int, targets: list, clients: int, seconds: float) -> Load:
    """``clients`` threads, each with its own keep-alive connection, request
    the ``targets`` round robin (each from a different start) for
    ``seconds``; closed loop, no think time."""
    load, lock = Load(), threading.Lock()
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(port, targets, i * len(targets) // clients, 1, stop_at, load, lock),
        )
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load


WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_targets.lua"


def load_generator() -> str:
    """``BENCH_LOAD``: ``wrk`` (default where installed: written in C, it
    takes little CPU from the server on a 2-core machine and no GIL stands
    between a finished answer and its clock) or ``python`` (threads)."""
    wanted = setting("BENCH_LOAD", "wrk" if shutil.which("wrk") else "python")
    if wanted not in ("wrk", "python"):
        raise SystemExit(f"BENCH_LOAD: unknown {wanted}")
    if wanted == "wrk" and not shutil.which("wrk"):
        raise SystemExit("BENCH_LOAD=wrk: wrk is not installed (apt-get install wrk)")
    return wanted


def hammer_wrk(port: int, targets: list, clients: int, seconds: float) -> Load:
    """``clients`` keep-alive connections of wrk (2 threads) request the
    ``targets`` round robin for ``seconds``; closed loop, no think time.
    wrk's CPU time is in ``Load.generator_cpu``."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as listing:
        listing.writelines(f"{host}\t{path}\n" for host, path in targets)
        listing.flush()
        before = os.times()
        done = subprocess.run(  # noqa: S603 - wrk with our arguments
            [
                shutil.which("wrk"),
                "-t",
                str(min(2, clients)),
                "-c",
                str(clients),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "60s",
                "-s",
                str(WRK_SCRIPT),
                f"http://127.0.0.1:{port}/",
                "--",
                listing.name,
            ],
            check=True,
            text=True,
            capture_output=True,
        )
        after = os.times()
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK "))
    figures = json.loads(line[4:])
    errors = {
        name: figures[key]
        for name, key in (
            ("other status", "other_status"),
            ("connect", "connect"),
            ("read", "read"),
            ("write", "write"),
            ("timeout", "timeout"),
        )
        if figures[key]
    }
    load = Load(
        errors=errors,
        seconds=figures["duration_us"] / 1e6,
        bytes=figures["bytes"],
        cache_hits=figures["hits"],
        answered=figures["ok"],
        percentiles_ms={
            q: figures[key] / 1000
            for q, key in ((50, "p50"), (95, "p95"), (99, "p99"), (100, "max"))
        },
        generator="wrk",
    )
    load.generator_cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return load


def apply_load(port: int, targets: list, clients: int, seconds: float) -> Load:
    """The closed-loop load of ``load_generator()``."""
    if load_generator() == "wrk":
        return hammer_wrk(port, targets, clients, seconds)
    cpu = time.process_time()
    load = hammer(port, targets, clients, seconds)
    load.generator_cpu = time.process_time() - cpu
    return load


def sequential(port: int, targets: list) -> Load:
    """One client with one keep-alive connection, each target once, in order."""
    load = Load()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    for host, path in targets:
        begin = time.perf_counter()
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - begin
        if response.status == 200:
            load.latencies.append(elapsed)
            load.bytes += len(body)
        else:
            key = str(response.status)
            load.errors[key] = load.errors.get(key, 0) + 1
    load.seconds = time.perf_counter() - started
    conn.close()
    return load


def load_measurements(
    label: str, load: Load, target_ms: float | None
) -> list[Measurement]:
    """Requests, percentiles and throughput; p95 judged against ``target_ms``
    (``None``: a scenario without a target)."""
    p95 = load.ms(95)
    if target_ms is None:
        verdict = ""
    elif p95 <= target_ms:
        verdict = "ok"
    else:
        verdict = f"MISSED (target {target_ms} ms)"
    rows = [
        Measurement(NAME, f"{label}: requests", load.requests, "req"),
        Measurement(NAME, f"{label}: p50", load.ms(50), "ms"),
        Measurement(NAME, f"{label}: p95", p95, f"ms  {verdict}".rstrip()),
        Measurement(NAME, f"{label}: p99", load.ms(99), "ms"),
        Measurement(NAME, f"{label}: max", load.ms(100), "ms"),
    ]
    if load.seconds:
        # answered pages per second: fast error answers do not count
        rate = load.ok / load.seconds
        rows.append(Measurement(NAME, f"{label}: throughput (200 OK)", rate, "req/s"))
    if load.errors:
        errors = ", ".join(f"{k}×{v}" for k, v in sorted(load.errors.items()))
        rows.append(Measurement(NAME, f"{label}: errors", errors))
    return rows


def pg_connections(url: str) -> int:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
        ).fetchone()
    return row[0] - 1  # without this one


# --- run --------------------------------------------------------------------


def warm(port: int, targets: list, clients: int) -> Load:
    """Every address once, from ``clients`` threads: afterwards the page
    cache holds the whole address set (as it does after a while in
    production, where a page stays until something changes)."""
    load, lock, queue = Load(), threading.Lock(), list(reversed(targets))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                host, path = queue.pop()
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                status = type(error).__name__
            with lock:
                if status == 200:
                    load.latencies.append(0.0)
                else:
                    load.errors[str(status)] = load.errors.get(str(status), 0) + 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load


def load_pages(
    port: int, pid: int, plan: dict, mode: str, server: str
) -> list[Measurement]:
    clients = int(setting("BENCH_CLIENTS", "20"))
    seconds = float(setting("BENCH_SECONDS", "20"))
    warmup = float(setting("BENCH_WARMUP_SECONDS", "4"))
    rng = random.Random(1)
    results = []
    pages = setting("BENCH_PAGES", ",".join(LOADED_PAGES)).split(",")
    for page in pages:
        targets = [tuple(target) for target in plan["pages"][page]]
        rng.shuffle(targets)
        label = f"{server}: {page} page, {clients} clients, {mode}"
        print(f"   {label}, {len(targets)} addresses", file=sys.stderr)
        if mode == "rendered":
            apply_load(port, targets, clients, warmup)
        else:
            warmed = warm(port, targets, clients)
            results.append(
                Measurement(
                    NAME,
                    f"{label}: cache filled ({len(targets)} addresses)",
                    warmed.seconds,
                    "s" + (f"  errors {warmed.errors}" if warmed.errors else ""),
                )
            )
        cpu_before, load_before = cpu_seconds(pid), load_average()
        load = apply_load(port, targets, clients, seconds)
        cpu = cpu_seconds(pid) - cpu_before
        results += load_measurements(label, load, TARGET_P95_PAGE_MS)
        per_request = 1000 / max(1, load.requests)
        results += [
            Measurement(
                NAME, f"{label}: server CPU per request", cpu * per_request, "ms"
            ),
            Measurement(
                NAME,
                f"{label}: load generator CPU per request",
                load.generator_cpu * per_request,
                "ms",
            ),
            Measurement(NAME, f"{label}: load average before", load_before),
        ]
        if mode != "rendered":
            ratio = 100 * load.cache_hits / max(1, load.ok)
            results.append(Measurement(NAME, f"{label}: cache hits", ratio, "%"))
    if mode != "rendered":
        # the best case: a hot set of 5 addresses per page type, all cached
        targets = [tuple(t) for page in LOADED_PAGES for t in plan["pages"][page][:5]]
        sequential(port, targets)  # every address rendered and cached once
        load = apply_load(port, targets, clients, seconds)
        label = f"{server}: hot set ({len(targets)} addresses), {clients} clients"
        results += load_measurements(label, load, TARGET_P95_PAGE_MS)
        ratio = 100 * load.cache_hits / max(1, load.ok)
        results.append(Measurement(NAME, f"{label}: cache hits", ratio, "%"))
        results += changing(port, targets, clients, seconds, server)
    return results


#: The page cache's version in Redis: ``KEY_PREFIX`` of ``config/env.py``,
#: cache version 1, ``publicportal.cache.VERSION_KEY``.
VERSION_KEY = "gremienportal:1:portal-page-version"


def changing(port, targets, clients, seconds, server) -> list[Measurement]:
    """The hot set while the data changes every ``BENCH_CHANGE_SECONDS`` (5):
    each change makes every page stale (as a save does), and the next
    requests render afresh. Needs the Redis page cache (the bench raises the
    version there); skipped with local-memory caches."""
    url = redis_url_setting()
    if url is None:
        return []
    import redis

    every = float(setting("BENCH_CHANGE_SECONDS", "5"))
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return []  # the server runs with local-memory caches
    stop = threading.Event()

    def change():
        while not stop.wait(every):
            client.incr(VERSION_KEY)

    changer = threading.Thread(target=change)
    changer.start()
    try:
        load = apply_load(port, targets, clients, seconds)
    finally:
        stop.set()
        changer.join()
        client.close()
    label = f"{server}: hot set, a change every {every:g} s, {clients} clients"
    ratio = 100 * load.cache_hits / max(1, load.ok)
    # no target: how much a change costs the visitors, not a requirement
    return load_measurements(label, load, None) + [
        Measurement(NAME, f"{label}: cache hits", ratio, "%")
    ]


def search_and_feeds(port: int, plan: dict) -> list[Measurement]:
    results = []
    for variant in ("plain", "filtered"):
        targets = [tuple(target) for target in plan["search"][variant]]
        sequential(port, targets[:5])  # warm-up
        load = sequential(port, targets)
        label = f"search {variant}, 1 client"
        results += load_measurements(label, load, TARGET_P95_SEARCH_MS)[:5]
    for feed in plan["ical"]:
        load, events = Load(), 0
        for _ in range(10):
            begin = time.perf_counter()
            status, body = fetch(port, feed["host"], feed["path"])
            if status == 200:
                load.latencies.append(time.perf_counter() - begin)
                events = body.count(b"BEGIN:VEVENT")
            else:
                load.errors[str(status)] = load.errors.get(str(status), 0) + 1
        label = f"iCal {feed['label']} ({events} events)"
        verdict = "ok" if load.ms(100) <= TARGET_ICAL_MS else "MISSED"
        results.append(Measurement(NAME, f"{label}: median", load.ms(50), "ms"))
        results.append(
            Measurement(NAME, f"{label}: max of 10", load.ms(100), f"ms  {verdict}")
        )
        if load.errors:
            results.append(Measurement(NAME, f"{label}: errors", str(load.errors)))
    return results


def large_demo(name: str = NAME) -> tuple[dict | None, list[Measurement]]:
    """The large demo database, prepared: the environment of a production
    server on it (``None`` without PostgreSQL) and what preparing measured,
    reported under the benchmark ``name``."""
    url = database_url()
    try:
        ensure_database_exists(url)
    except Exception as error:  # noqa: BLE001 - no PostgreSQL: say so
        return None, [Measurement(name, "skipped", f"no PostgreSQL at {url}: {error}")]
    var_dir = Path(setting("BENCH_VAR_DIR", "/tmp/bench-var"))  # noqa: S108
    var_dir.mkdir(parents=True, exist_ok=True)
    dev_env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=url,
        GREMIEN_VAR_DIR=str(var_dir),
    )
    dev_env.pop("REDIS_URL", None)
    results = [Measurement(name, "database", urlsplit(url).path.lstrip("/"))]
    if setting("BENCH_PREPARE", "1") != "0":  # 0: use the database as it is
        results += [
            Measurement(name, m.metric, m.value, m.unit)
            for m in prepare_database(dev_env)
        ]
    env = dict(
        dev_env,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",  # noqa: S106
    )
    env.pop("WEB_CONCURRENCY", None)
    return env, results


def run() -> list[Measurement]:
    env, results = large_demo()
    if env is None:
        return results
    url = env["DATABASE_URL"]
    uncached = dict(env, GREMIEN_PAGE_CACHE_SECONDS="0")
    plan = child(uncached, "plan")
    for name, counts in plan["queries"].items():
        for size in ("small", "large"):
            info = counts[size]
            results.append(
                Measurement(
                    NAME,
                    f"queries {name} page, {size} ({info['items']} {counts['unit']})",
                    info["queries"],
                    f"queries  (HTTP {info['status']})",
                )
            )

    generator = load_generator()
    results.append(
        Measurement(
            NAME,
            "load generator",
            "wrk, 2 threads" if generator == "wrk" else "Python threads",
        )
    )
    modes = {
        "rendered": "0",
        "page cache": setting("BENCH_PAGE_CACHE_SECONDS", "3600"),
    }
    wanted = setting("BENCH_MODES", "page cache,rendered").split(",")
    searched = False
    for kind in servers():
        for mode in wanted:
            server_env = dict(env, GREMIEN_PAGE_CACHE_SECONDS=modes[mode])
            with serve(kind, server_env) as served:
                port, description, pid = served
                label = f"server {kind} ({mode})"
                results.append(Measurement(NAME, label, description))
                results += load_pages(port, pid, plan, mode, kind)
                connections = pg_connections(url)
                results.append(
                    Measurement(
                        NAME,
                        f"{kind}: PostgreSQL connections after load ({mode})",
                        connections,
                    )
                )
                if mode == "rendered" and not searched:
                    results += search_and_feeds(port, plan)
                    searched = True
    results.append(Measurement(NAME, "CPU cores", os.cpu_count() or 0))
    return results


# --- the Django side (child process) ------------------------------------------


def child_state() -> dict:
    from django.core.management import get_commands

    from gremien.models import Body
    from publicportal import visibility

    try:
        from publicportal.models import SearchEntry

        entries = SearchEntry.objects.count()
    except Exception:  # noqa: BLE001 - no search index yet
        entries = 0
    return {
        "bodies": Body.objects.count(),
        "meetings": visibility.public_meetings().count(),
        "papers": visibility.public_papers().count(),
        "search_entries": entries,
        "has_reindex": "portal_reindex" in get_commands(),
    }


def _portals():
    """(portal, host, links) of every body, the district (default site) first."""
    from django.test import RequestFactory

    from publicportal.links import PortalLinks
    from publicportal.models import PortalHomePage

    portals = []
    for portal in PortalHomePage.objects.live().select_related("body").order_by("pk"):
        site = portal.get_site()
        host = site.hostname if site else "localhost"
        request = RequestFactory().get("/", HTTP_HOST=host)
        portals.append(
            (portal, host, PortalLinks(portal, request), site.is_default_site)
        )
    portals.sort(key=lambda entry: not entry[3])
    return [entry[:3] for entry in portals]


def _sample(rng, queryset, k):
    ids = list(queryset.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(k, len(ids)))
    objects = queryset.model._default_manager.in_bulk(chosen)
    return [objects[pk] for pk in chosen]


def _words(rng, texts, k) -> list[str]:
    words = sorted(
        {
            word.strip(".,;:()„“\"'").lower()
            for text in texts
            for word in text.split()
            if len(word.strip(".,;:()„“\"'")) >= 6
            and word.strip(".,;:()„“\"'").isalpha()
        }
        - STOP_WORDS
    )
    return rng.sample(words, min(k, len(words)))


def search_query(base: dict, facets: dict) -> dict:
    """Search parameters: ``q`` plus the filters the search page offers."""
    return {**base, **facets}


def child_plan(per_body: int = 16) -> dict:
    from django.db.models import Count

    from documents.models import Paper
    from publicportal import visibility
    from publicportal.links import PortalLinks  # noqa: F401 - fail early
    from sessions.models import Meeting

    rng = random.Random(2026)
    pages = {name: [] for name in LOADED_PAGES}
    pages["organization"] = []
    search = {"plain": [], "filtered": []}
    ical = []
    portals = _portals()
    words_by_body = {}
    for portal, host, links in portals:
        body = portal.body
        meetings = visibility.public_meetings(body).filter(
            state__in=visibility.AGENDA_PUBLISHED_STATES
        )
        for meeting in _sample(rng, meetings, per_body):
            pages["meeting"].append((host, links.meeting(meeting)))
        for paper in _sample(rng, visibility.public_papers(body), per_body):
            pages["paper"].append((host, links.paper(paper)))
        for organization in _sample(rng, visibility.public_organizations(body), 4):
            pages["organization"].append((host, links.organization(organization)))
        months = sorted(
            {
                start.strftime("%Y-%m")
                for start in visibility.public_meetings(body).values_list(
                    "start", flat=True
                )
            }
        )
        organization_ids = list(
            visibility.public_organizations(body).values_list("pk", flat=True)
        )
        calendar = [
            {},
            {"zeitraum": "vergangen"},
            {"zeitraum": "vergangen", "seite": 2},
            {"gremium": rng.choice(organization_ids)} if organization_ids else {},
        ]
        for month in rng.sample(months, min(per_body // 2, len(months))):
            calendar.append({"ansicht": "monat", "monat": month})
        for query in calendar:
            pages["calendar"].append((host, links.route("calendar", query=query)))
        names = list(
            visibility.public_papers(body)
            .order_by("?")
            .values_list("name", flat=True)[:200]
        )
        words = _words(rng, names, per_body)
        words_by_body[body.pk] = words
        for word in words:
            pages["search"].append((host, links.route("search", query={"q": word})))
    # single-client search: SEARCH_QUERIES varied words over all portals
    organizations = {
        portal.body_id: list(
            visibility.public_organizations(portal.body).values_list("pk", flat=True)
        )
        for portal, _host, _links in portals
    }
    for index in range(SEARCH_QUERIES):
        portal, host, links = portals[index % len(portals)]
        word = rng.choice(words_by_body[portal.body_id] or ["haushalt"])
        if index % 2 == 0:
            query = {"q": word}
            search["plain"].append((host, links.route("search", query=query)))
        else:
            facets = rng.choice(
                [
                    {"typ": "paper"},
                    {"typ": "meeting"},
                    {"typ": "agenda_item", "sortierung": "datum"},
                    {"jahr": str(rng.choice([2024, 2025, 2026]))},
                    {"gremium": rng.choice(organizations[portal.body_id] or [""])},
                ]
            )
            query = search_query({"q": word}, facets)
            search["filtered"].append((host, links.route("search", query=query)))
    # iCal: the district (default site) and the body with the most meetings
    biggest = max(
        portals,
        key=lambda entry: visibility.public_meetings(entry[0].body).count(),
    )
    for label, (_portal, host, links) in (
        ("district", portals[0]),
        ("largest body", biggest),
    ):
        ical.append(
            {"label": label, "host": host, "path": links.feed("sitzungen", "ics")}
        )

    public_meetings = visibility.public_meetings().filter(
        state__in=visibility.AGENDA_PUBLISHED_STATES
    )
    queries = {
        "meeting": _query_counts(
            portals,
            public_meetings.annotate(n=Count("agenda_items")),
            "agenda items",
            lambda links, meeting: links.meeting(meeting),
        ),
        "paper": _query_counts(
            portals,
            visibility.public_papers().annotate(
                n=Count("consultations", distinct=True) + Count("files", distinct=True)
            ),
            "consultations + files",
            lambda links, paper: links.paper(paper),
        ),
        "organization": _query_counts(
            portals,
            visibility.public_organizations().annotate(n=Count("memberships")),
            "memberships",
            lambda links, organization: links.organization(organization),
        ),
    }
    assert Meeting and Paper  # noqa: S101 - models loaded
    return {"pages": pages, "search": search, "ical": ical, "queries": queries}


def _query_counts(portals, annotated, unit, address) -> dict:
    """Queries of the page of the smallest (n ≥ 1) and the largest object."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    by_body = {portal.body_id: (host, links) for portal, host, links in portals}
    smallest = annotated.filter(n__gte=1).order_by("n", "pk").first()
    largest = annotated.order_by("-n", "pk").first()
    client = Client()
    answer = {"unit": unit}
    for size, obj in (("small", smallest), ("large", largest)):
        host, links = by_body[obj.body_id]
        path = address(links, obj)
        client.get(path, HTTP_HOST=host)  # warm caches (site, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=host)
        answer[size] = {
            "items": obj.n,
            "queries": len(captured),
            "status": response.status_code,
            "path": path,
        }
    return answer


def child_profile(host: str, path: str) -> None:
    """cProfile of one request (after a warm-up), top functions and queries."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    queries = []

    def record(execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - begin, sql))

    client = Client()
    client.get(path, HTTP_HOST=host)
    # unprofiled: wall and CPU time of this process for the same request
    timings = []
    for _ in range(5):
        plain_started, plain_cpu = time.perf_counter(), time.process_time()
        client.get(path, HTTP_HOST=host)
        timings.append(
            (time.perf_counter() - plain_started, time.process_time() - plain_cpu)
        )
    profiler = cProfile.Profile()
    # the request's own queries (the request signals reset connection.queries)
    with connection.execute_wrapper(record):
        started, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        response = client.get(path, HTTP_HOST=host)
        profiler.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    best = min(timings)
    print(f"HTTP {response.status_code}, profiled {elapsed * 1000:.1f} ms wall, ")
    print(f"{cpu * 1000:.1f} ms CPU; unprofiled (best of 5) {best[0] * 1000:.1f} ms")
    print(f"wall, {min(t[1] for t in timings) * 1000:.1f} ms CPU of the process")
    database = sum(seconds for seconds, _sql in queries)
    print(f"{len(queries)} queries ({database * 1000:.1f} ms profiled wall),")
    print(f"{len(response.content)} bytes")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_TOP", 35)))
    stats.sort_stats("tottime").print_stats(20)
    for seconds, sql in sorted(queries, key=lambda q: -q[0])[:10]:
        print(f"{seconds * 1000:.1f} ms", sql[:400])


def child_main(argv: list[str]) -> None:
    django_setup()
    command = argv[0]
    if command == "state":
        print(json.dumps(child_state()))
    elif command == "plan":
        print(json.dumps(child_plan()))
    elif command == "profile":
        child_profile(argv[1], argv[2])
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    child_main(sys.argv[1:])

"""Live sessions (issue 7): a vote with 100 members and 500 public viewers.

``bench/run.py live`` runs only this module. For each configuration
(``BENCH_LIVE_CONFIGS``, default ``redis,memory``):

- ``redis``: two uvicorn processes (production settings) with the Redis
  channel layer (``BENCH_LIVE_REDIS_URL``, default ``redis://127.0.0.1:6379/6``,
  **emptied** before the start). ``BENCH_LIVE_SPLIT=ports`` (default) starts
  two processes on two ports and the clients alternate between them (every
  broadcast must cross processes through Redis); ``BENCH_LIVE_SPLIT=workers``
  starts ``uvicorn --workers 2`` on one port and leaves the split to the
  kernel;
- ``memory``: one uvicorn process with the in-memory channel layer.

Each configuration gets a fresh world in the PostgreSQL database
``gremien_bench_live`` (``BENCH_LIVE_DATABASE_URL``; created when missing,
kept; every run adds a new body), or, without PostgreSQL, in a SQLite file in a
temporary folder: a body, a council of 100 members (each a Person with a
User), a Sitzungsdienst user, a public meeting with one public agenda item,
invited and started as a live session through the services
(``live_start``), all 100 members checked in (``live_attendance_set``), and a
login session per user (``SessionStore``) whose cookie the clients send.

One asyncio client process (uvloop, the ``websockets`` library, loopback)
then

1. connects the staff console, 100 member clients and 500 public viewers
   (at most ``BENCH_LIVE_CONNECT_CONCURRENCY`` (50) handshakes at a time) and
   waits until every client has its ``state`` snapshot;
2. opens a vote through the staff socket (``vote.open``) and measures the time
   until all 600 clients see it open;
3. lets the 100 members cast their ballots spread evenly over
   ``BENCH_LIVE_CAST_SECONDS`` (1 s), random yes/no/abstain, each with a
   ``client_id``; 10 members send the same ballot again 50 ms later (a retry:
   it must be confirmed with the same receipt), 5 send a second ballot with
   another ``client_id`` after their confirmation (it must be refused);
4. records for every client when it first sees 100 ballots cast (``progress``
   or the vote in a ``state``) and reports, from the moment the last ballot
   was sent, p50/p95/max over the 600 clients; and the time from sending each
   ballot to its confirmation;
5. closes the vote through the staff socket and measures the time until all
   600 see the result.

A child process then reads the vote from the database: ballots lost
(100 − participations), counted twice (counters − participations), whether the
counters equal the choices sent. Server CPU time (``/proc``, all processes)
per phase and peak RSS (``VmHWM``) per process are reported, as is the
client's own CPU (if it is near 100 % of the wall time, the client is the
bottleneck and the latency figures are upper bounds).

Target (issue 7): p95 from the last ballot to all 600 clients seeing the
updated count ≤ 250 ms with two processes and Redis; ballots lost and counted
twice must be 0. A missed target is marked ``MISSED``; only a crash makes the
benchmark fail.
"""

import asyncio
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_portal import (  # noqa: E402 - this file also runs as a child script
    cpu_seconds,
    ensure_database_exists,
    fetch,
    load_average,
    manage,
    setting,
)
from harness import (  # noqa: E402
    PROJECT_DIR,
    PYTHON,
    Measurement,
    clean_env,
    django_setup,
    free_port,
    percentile,
    run_child,
    table,
)

NAME = "live"
DEFAULT_DATABASE = "gremien_bench_live"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6"
TARGET_P95_MS = 250
SECRET_KEY = "bench-only-not-a-secret"  # noqa: S105
CONFIGS = {
    "redis": {"processes": 2, "redis": True, "label": "2 processes, Redis layer"},
    "memory": {"processes": 1, "redis": False, "label": "1 process, in-memory layer"},
}


def number(name: str, default: int) -> int:
    return int(setting(name, str(default)))


MEMBERS = number("BENCH_LIVE_MEMBERS", 100)
VIEWERS = number("BENCH_LIVE_VIEWERS", 500)
RETRIES = number("BENCH_LIVE_RETRIES", 10)
DUPLICATES = number("BENCH_LIVE_DUPLICATES", 5)
#: Members checked in who do not vote: the last ballot then does not complete
#: the vote, and its count waits for the progress throttle's trailing send.
SILENT = number("BENCH_LIVE_SILENT", 0)
VOTING = MEMBERS - SILENT


# --- the database -------------------------------------------------------------


def database_url() -> str:
    explicit = os.environ.get("BENCH_LIVE_DATABASE_URL")
    if explicit:
        return explicit
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        server = DEFAULT_SERVER_URL
    return urlunsplit(urlsplit(server)._replace(path=f"/{DEFAULT_DATABASE}"))


def database_env() -> tuple[dict, str]:
    """The environment (development settings) of a migrated bench database
    and its description: PostgreSQL when it answers, else SQLite."""
    var_dir = Path(setting("BENCH_LIVE_VAR_DIR", "/tmp/bench-live-var"))  # noqa: S108
    var_dir.mkdir(parents=True, exist_ok=True)
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.dev")
    env.pop("REDIS_URL", None)
    env.pop("WEB_CONCURRENCY", None)
    env["GREMIEN_VAR_DIR"] = str(var_dir)
    # The same key as the servers: the login sessions made by ``prepare``
    # are signed with it.
    env["DJANGO_SECRET_KEY"] = SECRET_KEY
    url = database_url()
    try:
        ensure_database_exists(url)
        env["DATABASE_URL"] = url
        description = f"PostgreSQL {urlsplit(url).path.lstrip('/')}"
    except Exception as error:  # noqa: BLE001 - no PostgreSQL: SQLite
        print(f"   no PostgreSQL at {url} ({error}): SQLite", file=sys.stderr)
        path = var_dir / "bench-live.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        description = f"SQLite {path}"
    manage(env, "migrate", "--no-input", "-v", "0")
    return env, description


# --- the servers ----------------------------------------------------------------


def redis_ready(url: str) -> str | None:
    """None when Redis answers at ``url`` (then emptied), else the error."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except Exception as error:  # noqa: BLE001 - reported, configuration skipped
        return str(error)
    return None


def redis_cpu(url: str | None) -> float:
    """CPU seconds the Redis server has used so far (``INFO cpu``)."""
    if not url:
        return 0.0
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        info = client.info("cpu")
        client.close()
        return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
    except Exception:  # noqa: BLE001 - a figure less, not a failure
        return 0.0


def uvicorn_command(port: int, workers: int) -> list[str]:
    return [
        PYTHON,
        "-m",
        "uvicorn",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--lifespan",
        "off",
        "--no-access-log",
        "--log-level",
        "warning",
        "config.asgi:application",
    ]


def _wait_ready(process, port: int, log) -> None:
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")
        with contextlib.suppress(OSError):
            status, _ = fetch(port, "localhost", "/", timeout=30)
            if status < 500:
                return
        if time.monotonic() > deadline:
            raise RuntimeError("server not ready after 120 s")
        time.sleep(0.3)


SHIM = """from config.settings.production import *  # noqa: F403
from config.settings.production import CHANNEL_LAYERS

_config = CHANNEL_LAYERS["default"]["CONFIG"]
_options = {options}
_config["hosts"] = [
    {{**host, **_options}} if isinstance(host, dict)
    else {{"address": host, **_options}}
    for host in _config["hosts"]
]
"""


def layer_options_env(env: dict, options: str) -> str:
    """``BENCH_LIVE_REDIS_OPTIONS`` (JSON): connection options for the Redis
    channel layer of the servers, through a settings module in a temporary
    folder (e.g. ``{"socket_timeout": 30, "max_connections": 1000}``)."""
    parsed = json.loads(options)
    folder = Path(tempfile.mkdtemp(prefix="bench-live-settings-"))
    (folder / "bench_live_settings.py").write_text(SHIM.format(options=repr(parsed)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(folder), env.get("PYTHONPATH", "")) if p
    )
    env["DJANGO_SETTINGS_MODULE"] = "bench_live_settings"
    return f"production + channel layer options {options}"


@contextlib.contextmanager
def serve(env: dict, processes: int, split: str):
    """The server(s): yields (ports, pids, description, log paths)."""
    if processes > 1 and split == "workers":
        layout = [(free_port(), processes)]
        description = f"uvicorn --workers {processes}, one port"
    else:
        layout = [(free_port(), 1) for _ in range(processes)]
        description = (
            f"{processes} uvicorn processes on {processes} ports"
            if processes > 1
            else "1 uvicorn process"
        )
    started = []
    logs = []
    try:
        for port, workers in layout:
            log_path = Path(tempfile.gettempdir()) / f"bench-live-server-{port}.log"
            logs.append(log_path)
            log = open(log_path, "w+b")  # noqa: SIM115 - closed in finally
            server_env = dict(env)
            if workers > 1:
                server_env["WEB_CONCURRENCY"] = str(workers)
            process = subprocess.Popen(  # noqa: S603 - our server, our arguments
                uvicorn_command(port, workers),
                cwd=PROJECT_DIR,
                env=server_env,
                stdout=log,
                stderr=log,
            )
            started.append((process, port, log))
        for process, port, log in started:
            _wait_ready(process, port, log)
        print(f"   {description}; logs: {', '.join(map(str, logs))}", file=sys.stderr)
        yield (
            [port for _, port, _ in started],
            [process.pid for process, _, _ in started],
            description,
            logs,
        )
    finally:
        for process, _, log in started:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def process_tree(pid: int) -> list[int]:
    pids, found = [pid], []
    while pids:
        current = pids.pop()
        found.append(current)
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids += [int(child) for child in children.read().split()]
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` (peak) of a process, in KiB."""
    found = {"VmRSS": 0, "VmHWM": 0}
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key = line.split(":", 1)[0]
                if key in found:
                    found[key] = int(line.split()[1])
    return found


def server_processes(pids: list[int]) -> list[int]:
    """The processes that serve: uvicorn's workers, or the process itself."""
    serving = []
    for pid in pids:
        tree = process_tree(pid)
        serving += tree[1:] if len(tree) > 1 else tree
    return serving


# --- the benchmark ------------------------------------------------------------


def verdict(value: float, target: float, unit: str) -> str:
    return unit if value <= target else f"{unit}  MISSED (target ≤ {target})"


def must_be_zero(value: int) -> str:
    return "" if value == 0 else "MISSED (must be 0)"


def stats(label: str, values: list[float], unit: str = "ms", target=None):
    if not values:
        return [Measurement(NAME, f"{label}", "no values")]
    p95 = percentile(values, 95)
    return [
        Measurement(NAME, f"{label} p50", percentile(values, 50), unit),
        Measurement(
            NAME,
            f"{label} p95",
            p95,
            verdict(p95, target, unit) if target is not None else unit,
        ),
        Measurement(NAME, f"{label} max", max(values), unit),
    ]


def measurements(prefix: str, config: dict, client: dict, db: dict) -> list:
    def m(metric, value, unit=""):
        return Measurement(NAME, f"{prefix}: {metric}", value, unit)

    def s(label, values, target=None):
        return [
            Measurement(NAME, f"{prefix}: {r.metric}", r.value, r.unit)
            for r in stats(label, values, "ms", target)
        ]

    audience = client["audience"]
    results = [
        m(
            "clients connected (members + viewers)",
            client["connected"],
            f"of {audience}",
        ),
        m("snapshots received", client["snapshots"], f"of {audience}"),
    ]
    if client.get("aborted"):
        results.append(m("ABORTED", client["aborted"]))
    for error, count in sorted(client["connect_errors"].items()):
        results.append(m(f"connect error {error}", count))
    reasons = ", ".join(
        f"{k}: {v}" for k, v in sorted(client["dropped_reasons"].items())
    )
    results.append(
        m(
            "connections dropped after their snapshot",
            client["dropped"],
            reasons + ("  MISSED" if client["dropped"] else ""),
        )
    )
    results += [
        m("connect phase (all snapshots)", client["connect_seconds"], "s"),
        *s("connect→snapshot", client["snapshot_ms"]),
        m("server CPU, connect phase", client["cpu"]["connect"], "s"),
        m("clients seeing the vote open", len(client["open_ms"]), f"of {audience}"),
        *s("vote.open→all see it", client["open_ms"]),
        m("ballots sent over", client["cast_window_ms"], "ms"),
        m(
            "clients seeing all ballots",
            len(client["full_ms"]),
            f"of {audience}"
            + ("" if len(client["full_ms"]) == audience else "  MISSED"),
        ),
        *s(f"last ballot→client sees {VOTING}", client["full_ms"], TARGET_P95_MS),
        *s("  members only", client["full_member_ms"]),
        *s("  viewers only", client["full_viewer_ms"]),
        *s("ballot→confirmation", client["confirm_ms"]),
        m("ballots confirmed", client["confirmed"], f"of {VOTING}"),
        m("ballot replies refused/missing", client["ballot_failures"]),
        m(
            "highest counts seen by clients (10 s after the last ballot)",
            ", ".join(map(str, client.get("cast_seen", []))) or "-",
        ),
        m(
            "retries confirmed with the same receipt",
            client["retries_same_receipt"],
            f"of {client['retries']}",
        ),
        m(
            "second ballots (other client_id) refused",
            client["duplicates_refused"],
            f"of {client['duplicates']}"
            + (
                ""
                if client["duplicates_refused"] == client["duplicates"]
                else "  MISSED"
            ),
        ),
        m("refusal codes", ", ".join(sorted(set(client["refusal_codes"]))) or "-"),
        m("clients seeing the result", len(client["closed_ms"]), f"of {audience}"),
        *s("vote.close→all see the result", client["closed_ms"]),
        m("ballots lost (DB)", db["lost"], must_be_zero(db["lost"])),
        m("ballots counted twice (DB)", db["twice"], must_be_zero(db["twice"])),
        m(
            "counters equal choices sent",
            "yes" if db["counts"] == client["expected_counts"] else "NO",
            f"{db['counts']} vs sent {client['expected_counts']}",
        ),
        m("vote state / result (DB)", f"{db['state']} / {db['result'] or '-'}"),
        m("stale states ignored (lower version)", client["stale"]),
        m("messages received by clients", client["messages"]),
        m("server CPU, open+cast+close", client["cpu"]["vote"], "s"),
        m(
            "server CPU during the ballot second",
            100 * client["cpu"]["cast"] / max(client["cast_wall"], 1e-9),
            "% of one core",
        ),
    ]
    if config["redis"]:
        results.append(m("Redis CPU, open+cast+close", client["cpu"]["redis"], "s"))
    for index, mem in enumerate(client["memory"]):
        results.append(
            m(
                f"server process {index + 1} peak RSS",
                mem["VmHWM"] / 1024,
                f"MiB (after connect {mem['after_connect'] / 1024:.1f})",
            )
        )
    results += [
        m(
            "client process CPU (vote phase)",
            100 * client["client_cpu"] / max(client["vote_wall"], 1e-9),
            "% of one core",
        ),
        m("load average before", client["load_before"]),
    ]
    return results


def run() -> list[Measurement]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    dev_env, db_description = database_env()
    results = [
        Measurement(NAME, "database", db_description),
        Measurement(
            NAME,
            "clients",
            f"{MEMBERS} members ({VOTING} voting) + {VIEWERS} public viewers",
        ),
        Measurement(NAME, "CPU cores", os.cpu_count() or 0),
    ]
    state = run_child(__file__, dev_env, "check")
    if not state["ready"]:
        results.append(Measurement(NAME, "skipped", state["reason"]))
        return results
    split = setting("BENCH_LIVE_SPLIT", "ports")
    redis_url = setting("BENCH_LIVE_REDIS_URL", DEFAULT_REDIS_URL)
    for key in setting("BENCH_LIVE_CONFIGS", "redis,memory").split(","):
        config = CONFIGS[key]
        prefix = config["label"]
        server_env = dict(
            dev_env,
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=SECRET_KEY,
        )
        if config["redis"]:
            error = redis_ready(redis_url)
            if error:
                results.append(
                    Measurement(NAME, f"{prefix}: skipped", f"no Redis: {error}")
                )
                continue
            server_env["REDIS_URL"] = redis_url
            options = setting("BENCH_LIVE_REDIS_OPTIONS", "")
            if options:
                results.append(
                    Measurement(
                        NAME,
                        f"{prefix}: settings",
                        layer_options_env(server_env, options),
                    )
                )
        print(f"== live: {prefix}: preparing the meeting", file=sys.stderr, flush=True)
        world = run_child(__file__, dev_env, "prepare", key)
        with serve(server_env, config["processes"], split) as served:
            ports, pids, description, _logs = served
            results.append(Measurement(NAME, f"{prefix}: server", description))
            plan = dict(
                world,
                ports=ports,
                pids=pids,
                redis_url=redis_url if config["redis"] else None,
            )
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                json.dump(plan, f)
            try:
                client = run_child(__file__, clean_env(), "clients", f.name)
            finally:
                os.unlink(f.name)
        db = run_child(__file__, dev_env, "verify", str(world["meeting"]))
        done = measurements(prefix, config, client, db)
        print(table(done), file=sys.stderr, flush=True)  # each as it finishes
        results += done
    return results


# --- child: the world (Django) --------------------------------------------------


def child_check() -> dict:
    """Whether the live services and consumers exist yet."""
    try:
        from sessions.routing import websocket_urlpatterns
        from sessions.services.live import live_attendance_set, live_start  # noqa: F401
    except ImportError as error:
        return {"ready": False, "reason": f"live session code missing: {error}"}
    if not websocket_urlpatterns:
        return {"ready": False, "reason": "no websocket routes in sessions.routing"}
    return {"ready": True}


def _login_session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def child_prepare(label: str) -> dict:
    """A body, a council of ``MEMBERS``, a running public meeting with a live
    session and everybody checked in; login sessions for all users."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from gremien.models import Body, Membership, Organization, Person, StaffAccess
    from sessions.live import events
    from sessions.services.agenda import agenda_item_add
    from sessions.services.invitations import meeting_invite
    from sessions.services.lifecycle import meeting_create
    from sessions.services.live import live_attendance_set, live_start

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Nobody listens to this process: building a state per check-in would
    # only cost time (the servers build their own snapshots on connect).
    events.state_changed = lambda meeting: None
    events.vote_progress = lambda vote, **kwargs: None
    User = get_user_model()  # noqa: N806
    stamp = f"{label}-{os.getpid()}-{int(time.time())}"
    since = dt.date(2021, 11, 1)
    body = Body.objects.create(
        name=f"Benchmark Live {stamp}",
        short_name="Benchmark",
        slug=f"bench-live-{stamp}",
    )
    council = Organization.objects.create(
        body=body,
        name="Rat",
        kind=Organization.Kind.COUNCIL,
        statutory_members=MEMBERS,
        start_date=since,
    )
    staff = User.objects.create_user(username=f"bench-live-staff-{stamp}")
    staff.groups.add(Group.objects.get(name="Sitzungsdienst"))
    StaffAccess.objects.create(user=staff, body=body)
    persons = []
    for n in range(MEMBERS):
        user = User.objects.create_user(username=f"bench-live-{stamp}-{n}")
        person = Person.objects.create(
            body=body,
            given_name=f"Mitglied{n}",
            family_name=f"Benchmark{n}",
            email=[f"mitglied{n}@example.org"],
            user=user,
        )
        Membership.objects.create(
            person=person, organization=council, role="Mitglied", start_date=since
        )
        persons.append(person)
    # The meeting starts in 30 minutes (it may be opened one hour before);
    # the invitation went out two weeks earlier, as the tests' clock does it.
    real_now = timezone.now
    start = real_now() + dt.timedelta(minutes=30)
    timezone.now = lambda: start - dt.timedelta(days=14)
    try:
        meeting = meeting_create(
            actor=staff,
            body=body,
            organizations=[council],
            name="Rat – Benchmark Live",
            start=start,
        )
        item = agenda_item_add(
            actor=staff, meeting=meeting, name="Haushaltssatzung 2027"
        )
        meeting_invite(actor=staff, meeting=meeting)
    finally:
        timezone.now = real_now
    meeting.refresh_from_db()
    live_start(actor=staff, meeting=meeting)
    meeting.refresh_from_db()
    for person in persons:
        live_attendance_set(actor=staff, meeting=meeting, person=person, present=True)
    if connection.vendor == "postgresql":
        # Planner statistics for the new rows, as autovacuum would gather
        # them in production (it may be off on a benchmark machine, and the
        # database grows with every run).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "meeting": meeting.pk,
        "item": item.pk,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "staff_session": _login_session(staff),
        "members": [
            {"person": person.pk, "session": _login_session(person.user)}
            for person in persons
        ],
    }


def child_verify(meeting_id: int) -> dict:
    """What the database holds of the benchmark's vote."""
    from django.db.models import Count

    from sessions.models import Ballot, Vote, VoteParticipation

    vote = Vote.objects.filter(meeting_id=meeting_id).order_by("-pk").first()
    if vote is None:
        return {
            "lost": VOTING,
            "twice": 0,
            "counts": {},
            "state": "no vote",
            "result": "",
        }
    participations = VoteParticipation.objects.filter(vote=vote)
    persons = participations.values("person").distinct().count()
    repeated = (
        participations.values("person").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    counts = {"yes": vote.votes_yes, "no": vote.votes_no, "abstain": vote.votes_abstain}
    counted = sum(counts.values())
    return {
        "participations": participations.count(),
        "ballots": Ballot.objects.filter(vote=vote).count(),
        "lost": VOTING - persons,
        "twice": max(0, counted - persons) + repeated,
        "counts": counts,
        "state": vote.state,
        "result": vote.result,
    }


# --- child: the clients (asyncio, no Django) -------------------------------------


class Client:
    """One websocket: the staff console, a member tablet or a public viewer."""

    def __init__(self, screen: str, port: int, meeting: int, cookie: str = ""):
        self.screen = screen
        self.url = f"ws://127.0.0.1:{port}/ws/live/{meeting}/{screen}/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = cookie
        self.ws = None
        self.error = ""
        self.snapshot = asyncio.Event()
        self.connect_started = 0.0
        self.snapshot_at = 0.0
        self.version = -1
        self.stale = 0
        self.vote_id = None
        self.cast = 0
        self.seen: dict[str, float] = {}  # open / full / closed → first time
        self.replies: dict[str, asyncio.Future] = {}
        self.refs = 0
        self.messages = 0
        self.me = None
        self.target = VOTING

    async def connect(self, semaphore, compression) -> None:
        from websockets.asyncio.client import connect

        headers = {"Cookie": self.cookie} if self.cookie else {}
        async with semaphore:
            self.connect_started = time.perf_counter()
            try:
                self.ws = await connect(
                    self.url,
                    origin=self.origin,
                    additional_headers=headers,
                    compression=compression,
                    max_size=None,
                    ping_interval=None,
                    open_timeout=60,
                    close_timeout=5,
                )
            except Exception as error:  # noqa: BLE001 - counted per kind
                self.error = _error_name(error)
                return
            self.reader = asyncio.create_task(self.read())
            try:
                await asyncio.wait_for(self.snapshot.wait(), 60)
            except TimeoutError:
                self.error = self.error or "no snapshot within 60 s"

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                self.messages += 1
                self.handle(json.loads(raw), now)
        except Exception as error:  # noqa: BLE001 - a closed socket is a result
            self.error = self.error or _error_name(error)
        if self.ws is not None and self.ws.close_code not in (None, 1000):
            self.error = self.error or f"closed {self.ws.close_code}"
        self.snapshot.set()

    def handle(self, message: dict, now: float) -> None:
        kind = message.get("type")
        if kind == "state":
            version = message.get("version", 0)
            if version < self.version:
                self.stale += 1
                return
            self.version = version
            if not self.snapshot_at:
                self.snapshot_at = now
                self.snapshot.set()
            vote = message.get("vote")
            if vote:
                if vote["id"] != self.vote_id:
                    self.vote_id, self.cast = vote["id"], 0
                self.cast = max(self.cast, vote.get("cast") or 0)
                if vote.get("state") == "open":
                    self.seen.setdefault("open", now)
                elif vote.get("state") == "closed":
                    self.seen.setdefault("closed", now)
        elif kind == "progress":
            if self.vote_id is None or message.get("vote") == self.vote_id:
                self.vote_id = message.get("vote")
                self.cast = max(self.cast, message.get("cast") or 0)
        elif kind == "reply":
            future = self.replies.pop(message.get("ref"), None)
            if future is not None and not future.done():
                future.set_result((now, message))
        elif kind == "me":
            self.me = message
        if self.vote_id is not None and self.cast >= self.target:
            self.seen.setdefault("full", now)

    async def send(self, action: str, **params) -> tuple[float, asyncio.Future]:
        self.refs += 1
        ref = f"b{self.refs}"
        future = asyncio.get_running_loop().create_future()
        self.replies[ref] = future
        await self.ws.send(json.dumps({"action": action, "ref": ref, **params}))
        return time.perf_counter(), future


def _error_name(error: Exception) -> str:
    status = getattr(getattr(error, "response", None), "status_code", None)
    if status:
        return f"HTTP {status}"
    code = getattr(getattr(error, "rcvd", None), "code", None)
    if code:
        return f"closed {code}"
    return type(error).__name__


async def wait_all(clients, key: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if all(key in c.seen for c in clients):
            return
        await asyncio.sleep(0.005)


async def reply_of(future, timeout: float = 15):
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        return None


DEFAULTS: dict = {
    "connected": 0,
    "snapshots": 0,
    "connect_errors": {},
    "connect_seconds": 0.0,
    "snapshot_ms": [],
    "open_ms": [],
    "cast_window_ms": 0.0,
    "cast_wall": 0.0,
    "vote_wall": 0.0,
    "full_ms": [],
    "full_member_ms": [],
    "full_viewer_ms": [],
    "confirm_ms": [],
    "confirmed": 0,
    "ballot_failures": 0,
    "retries": 0,
    "retries_same_receipt": 0,
    "duplicates": 0,
    "duplicates_refused": 0,
    "refusal_codes": [],
    "closed_ms": [],
    "expected_counts": {},
}


def _ms(clients, key: str, since: float) -> list[float]:
    return [1000 * (c.seen[key] - since) for c in clients if key in c.seen]


async def scenario(plan: dict) -> dict:  # noqa: C901, PLR0915 - one story, in order
    ports = plan["ports"]
    meeting = plan["meeting"]
    cookie_name = plan["cookie_name"]
    compression = (
        None if setting("BENCH_LIVE_COMPRESSION", "deflate") == "none" else "deflate"
    )
    pids = server_processes(plan["pids"])
    rng = random.Random(number("BENCH_LIVE_SEED", 7))  # noqa: S311 - not crypto

    def server_cpu() -> float:
        return sum(cpu_seconds(pid) for pid in plan["pids"])

    staff = Client("staff", ports[0], meeting, f"{cookie_name}={plan['staff_session']}")
    members = [
        Client(
            "member",
            ports[(i + 1) % len(ports)],
            meeting,
            f"{cookie_name}={m['session']}",
        )
        for i, m in enumerate(plan["members"])
    ]
    viewers = [Client("public", ports[i % len(ports)], meeting) for i in range(VIEWERS)]
    audience = members + viewers
    result: dict = {"audience": len(audience), "load_before": load_average()}

    cpu: dict[str, float] = {"connect": 0.0, "vote": 0.0, "cast": 0.0, "redis": 0.0}
    after_connect: dict[int, int] = dict.fromkeys(pids, 0)
    client_cpu = time.process_time()
    vote_started = time.perf_counter()
    result.update(json.loads(json.dumps(DEFAULTS)))
    try:
        # 1. connect
        semaphore = asyncio.Semaphore(number("BENCH_LIVE_CONNECT_CONCURRENCY", 50))
        cpu_start = server_cpu()
        started = time.perf_counter()
        await staff.connect(semaphore, compression)
        if staff.error:
            raise RuntimeError(f"staff console could not connect: {staff.error}")
        await asyncio.gather(*(c.connect(semaphore, compression) for c in audience))
        result["connect_seconds"] = time.perf_counter() - started
        result["connected"] = sum(1 for c in audience if c.ws is not None)
        result["snapshots"] = sum(1 for c in audience if c.snapshot_at)
        errors: dict[str, int] = {}
        for c in audience:
            if c.error:
                errors[f"{c.screen}: {c.error}"] = (
                    errors.get(f"{c.screen}: {c.error}", 0) + 1
                )
        result["connect_errors"] = errors
        result["snapshot_ms"] = [
            1000 * (c.snapshot_at - c.connect_started)
            for c in audience
            if c.snapshot_at
        ]
        await asyncio.sleep(1)
        cpu["connect"] = server_cpu() - cpu_start
        after_connect = {pid: memory_kib(pid)["VmRSS"] for pid in pids}
        live = [c for c in audience if c.snapshot_at and not c.error]
        live_members = [c for c in members if c in live]

        # 2. open the vote
        cpu_vote = server_cpu()
        redis_before = redis_cpu(plan["redis_url"])
        client_cpu = time.process_time()
        vote_started = time.perf_counter()
        sent, future = await staff.send(
            "vote.open",
            kind=setting("BENCH_LIVE_VOTE_KIND", "open"),
            name="Benchmark-Abstimmung",
        )
        answer = await reply_of(future)
        if answer is None or not answer[1].get("ok"):
            raise RuntimeError(f"vote.open failed: {answer and answer[1]}")
        await wait_all(live, "open", 10)
        result["open_ms"] = _ms(live, "open", sent)
        vote_id = staff.vote_id or (answer[1].get("data") or {}).get("vote")
        await asyncio.sleep(0.5)

        # 3. the ballots
        order = live_members[:]
        rng.shuffle(order)
        order = order[: max(0, len(order) - SILENT)]
        count = len(order)
        window = float(setting("BENCH_LIVE_CAST_SECONDS", "1"))
        offsets = [i * window / max(1, count - 1) for i in range(count)]
        retry = set(rng.sample(range(count), min(RETRIES, count)))
        duplicate = set(
            rng.sample(sorted(set(range(count)) - retry), min(DUPLICATES, count))
        )
        choices = [rng.choice(("yes", "no", "abstain")) for _ in range(count)]
        expected = {"yes": 0, "no": 0, "abstain": 0}
        for choice in choices:
            expected[choice] += 1
        sent_at = [0.0] * count
        confirm_ms: list[float] = []
        outcome = {"confirmed": 0, "failures": 0, "same_receipt": 0, "refused": 0}
        refusal_codes: list[str] = []

        async def cast(i: int, member: Client) -> None:
            await asyncio.sleep(max(0.0, t0 + offsets[i] - time.perf_counter()))
            client_id = str(uuid.uuid4())
            ballot = {
                "vote": member.vote_id or vote_id,
                "choice": choices[i],
                "client_id": client_id,
            }
            sent_at[i], future = await member.send("ballot.cast", **ballot)
            again = None
            if i in retry:
                await asyncio.sleep(0.05)
                _, again = await member.send("ballot.cast", **ballot)
            answer = await reply_of(future)
            if answer is None or not answer[1].get("ok"):
                outcome["failures"] += 1
                if answer is not None:
                    refusal_codes.append(f"first ballot: {answer[1].get('code')}")
                return
            outcome["confirmed"] += 1
            confirm_ms.append(1000 * (answer[0] - sent_at[i]))
            receipt = (answer[1].get("data") or {}).get("receipt")
            if again is not None:
                repeated = await reply_of(again)
                if (
                    repeated
                    and repeated[1].get("ok")
                    and ((repeated[1].get("data") or {}).get("receipt") == receipt)
                ):
                    outcome["same_receipt"] += 1
            if i in duplicate:
                other = rng.choice(
                    [c for c in ("yes", "no", "abstain") if c != choices[i]]
                )
                _, second = await member.send(
                    "ballot.cast",
                    vote=ballot["vote"],
                    choice=other,
                    client_id=str(uuid.uuid4()),
                )
                refused = await reply_of(second)
                if refused is not None and not refused[1].get("ok"):
                    outcome["refused"] += 1
                    refusal_codes.append(refused[1].get("code") or "?")

        cpu_cast = server_cpu()
        t0 = time.perf_counter() + 0.05
        tasks = [asyncio.create_task(cast(i, m)) for i, m in enumerate(order)]
        await asyncio.sleep(max(0.0, t0 + window - time.perf_counter()))
        await asyncio.gather(*tasks)
        last = max(sent_at)
        await wait_all(live, "full", 10)
        cast_end = (
            max(c.seen["full"] for c in live)
            if live and all("full" in c.seen for c in live)
            else time.perf_counter()
        )
        result["cast_seen"] = sorted({c.cast for c in live})[-5:]
        cpu["cast"] = server_cpu() - cpu_cast
        result["cast_wall"] = max(cast_end, last) - t0
        result["cast_window_ms"] = 1000 * (last - min(sent_at))
        result["full_ms"] = _ms(live, "full", last)
        result["full_member_ms"] = _ms(
            [c for c in live if c.screen == "member"], "full", last
        )
        result["full_viewer_ms"] = _ms(
            [c for c in live if c.screen == "public"], "full", last
        )
        result["confirm_ms"] = confirm_ms
        result["confirmed"] = outcome["confirmed"]
        result["ballot_failures"] = outcome["failures"]
        result["retries"] = len(retry)
        result["retries_same_receipt"] = outcome["same_receipt"]
        result["duplicates"] = len(duplicate)
        result["duplicates_refused"] = outcome["refused"]
        result["refusal_codes"] = refusal_codes
        result["expected_counts"] = expected
        await asyncio.sleep(0.5)

        # 4. close
        sent, future = await staff.send("vote.close", vote=vote_id)
        answer = await reply_of(future)
        if answer is None or not answer[1].get("ok"):
            print(f"   vote.close failed: {answer and answer[1]}", file=sys.stderr)
        await wait_all(live, "closed", 10)
        result["closed_ms"] = _ms(live, "closed", sent)
        result["vote_wall"] = time.perf_counter() - vote_started
        cpu["vote"] = server_cpu() - cpu_vote
        cpu["redis"] = redis_cpu(plan["redis_url"]) - redis_before
    except Exception as error:  # noqa: BLE001 - a failing server is a result
        result["aborted"] = f"{type(error).__name__}: {error}"
        print(f"   aborted: {result['aborted']}", file=sys.stderr)
    result["vote_wall"] = result["vote_wall"] or time.perf_counter() - vote_started
    result["client_cpu"] = time.process_time() - client_cpu
    result["cpu"] = cpu
    result["memory"] = [
        dict(memory_kib(pid), after_connect=after_connect[pid]) for pid in pids
    ]
    result["stale"] = sum(c.stale for c in audience)
    result["dropped"] = sum(1 for c in audience if c.snapshot_at and c.error)
    dropped_reasons: dict[str, int] = {}
    for c in audience:
        if c.snapshot_at and c.error:
            dropped_reasons[c.error] = dropped_reasons.get(c.error, 0) + 1
    result["dropped_reasons"] = dropped_reasons
    result["messages"] = sum(c.messages for c in audience)
    no_vote = [
        c.me.get("can_vote_reason")
        for c in members
        if c.me and c.me.get("can_vote_reason")
    ]
    if no_vote:
        print(f"   members who may not vote: {sorted(set(no_vote))}", file=sys.stderr)
    await asyncio.gather(
        *(c.ws.close() for c in [staff, *audience] if c.ws is not None),
        return_exceptions=True,
    )
    return result


def child_clients(plan_path: str) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(plan_path) as f:
        plan = json.load(f)
    try:
        import uvloop

        return uvloop.run(scenario(plan))
    except ImportError:
        return asyncio.run(scenario(plan))


def child_main(argv: list[str]) -> None:
    command = argv[0]
    if command == "clients":
        print(json.dumps(child_clients(argv[1])))
        return
    django_setup()
    if command == "check":
        print(json.dumps(child_check()))
    elif command == "prepare":
        print(json.dumps(child_prepare(argv[1])))
    elif command == "verify":
        print(json.dumps(child_verify(int(argv[1]))))
    else:
        raise SystemExit(f"unknown child command {command}")


if __name__ == "__main__":
    child_main(sys.argv[1:])

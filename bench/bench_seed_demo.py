"""``seed_demo --scale large`` into a fresh database: time, peak memory, rows/s.

The seeding runs as a child process with ``config.settings.dev`` (as a
developer would run it), against SQLite in a temporary ``GREMIEN_VAR_DIR``, or,
when ``DATABASE_URL`` is set, against a freshly created PostgreSQL database on
that server, dropped afterwards. Peak memory is the child's ``VmHWM``.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

from harness import (
    PROJECT_DIR,
    PYTHON,
    Measurement,
    Stopwatch,
    clean_env,
    peak_rss_kib,
)

NAME = "seed_demo --scale large"
COUNT_ROWS = """
import json
from django.apps import apps
labels = ("gremien", "documents", "meetings")
counts = {
    model._meta.label: model.objects.count()
    for model in apps.get_models(include_auto_created=True)
    if model._meta.app_label in labels
}
print(json.dumps(counts))
"""


@contextlib.contextmanager
def fresh_database():
    """Environment overrides pointing at an empty database, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gremien-bench-") as var_dir:
        url = os.environ.get("DATABASE_URL")
        if not url:
            yield {"GREMIEN_VAR_DIR": var_dir}, "SQLite"
            return
        import psycopg

        parts = urlsplit(url)
        name = f"gremien_bench_{os.getpid()}_{int(time.time())}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield (
                {
                    "GREMIEN_VAR_DIR": var_dir,
                    "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
                },
                f"PostgreSQL ({parts.hostname})",
            )
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, capture=False) -> subprocess.CompletedProcess:
    # the command line is ours: this interpreter and manage.py, no user input
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
    )


def seed(env) -> tuple[float, int]:
    """Run the seed, polling the child's peak RSS; returns (seconds, KiB)."""
    with Stopwatch() as watch:
        child = subprocess.Popen(  # noqa: S603 - our interpreter and manage.py
            [PYTHON, "manage.py", "seed_demo", "--scale", "large"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=sys.stderr,
        )
        peak = 0
        while child.poll() is None:
            peak = max(peak, peak_rss_kib(child.pid))
            time.sleep(0.2)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    return watch.seconds, peak


def run() -> list[Measurement]:
    with fresh_database() as (overrides, backend):
        env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.dev", **overrides)
        with Stopwatch() as migrate:
            manage(env, "migrate", "--no-input", "-v", "0")
        seconds, peak_kib = seed(env)
        output = manage(env, "shell", "-v", "0", "-c", COUNT_ROWS, capture=True)
        counts = json.loads(output.stdout.strip().splitlines()[-1])
    rows = sum(counts.values())
    return [
        Measurement(NAME, "database", backend),
        Measurement(NAME, "migrate (fresh database)", migrate.seconds, "s"),
        Measurement(NAME, "wall time", seconds, "s"),
        Measurement(NAME, "peak RSS", peak_kib / 1024, "MiB"),
        Measurement(NAME, "rows written", rows, "rows"),
        Measurement(NAME, "throughput", rows / seconds, "rows/s"),
        Measurement(NAME, "papers", counts["documents.Paper"], "rows"),
        Measurement(NAME, "meetings", counts["meetings.Meeting"], "rows"),
        Measurement(NAME, "agenda items", counts["meetings.AgendaItem"], "rows"),
        Measurement(NAME, "files", counts["documents.File"], "rows"),
    ]

"""Discovery, measurement records and the result table of ``make bench``."""

import importlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Measurement:
    benchmark: str
    metric: str
    value: float | int | str
    unit: str = ""


def discover() -> list[str]:
    """Module names ``bench_*.py`` in this folder, sorted."""
    return sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))


def load(name: str):
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    return importlib.import_module(name)


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(measurements: list[Measurement]) -> str:
    rows = [("benchmark", "metric", "value", "unit")] + [
        (m.benchmark, m.metric, format_value(m.value), m.unit) for m in measurements
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            row[i].rjust(widths[i]) if i == 2 else row[i].ljust(widths[i])
            for i in range(4)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def peak_rss_kib(pid: int) -> int:
    """Peak resident set size so far (``VmHWM``) of a running process, in KiB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


class Stopwatch:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(overrides)
    return env


def iter_selected(names: list[str]) -> Iterator[str]:
    available = discover()
    if not names:
        yield from available
        return
    for name in available:
        if any(wanted in name for wanted in names):
            yield name


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linear between ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_child(script: str, env, *args: str) -> dict:
    """Run a benchmark module as a child process (``script``: its
    ``__file__``); returns the JSON of the last line it prints."""
    import json
    import subprocess

    done = subprocess.run(  # noqa: S603 - this interpreter and our script
        [PYTHON, script, *args],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def django_setup() -> None:
    """Set Django up in a benchmark's child process."""
    import sys

    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()

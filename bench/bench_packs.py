"""Session packs on the large demo: cold build, rebuild, watermark.

``bench/run.py packs`` runs only this module. It uses the PostgreSQL database
of ``bench_portal`` (``BENCH_DATABASE_URL``, default ``gremien_bench_portal``,
prepared the same way: migrate, seed when empty, ``ANALYZE``; media in
``BENCH_VAR_DIR``, default ``/tmp/bench-var``).

The demo's meetings have the issue's number of items, papers and PDFs, but
their PDFs are short (a meeting of 39 items, 35 papers and 60 PDFs makes
about 110 pages). So the bench adds one meeting of the issue's shape to the
demo, through the services as the Sitzungsdienst would and only once (it is
found again by its name on later runs): "Benchmark Sitzungsmappe (40 TOP)"
of the committee of the demo meeting closest in shape, 40 agenda items each
with a released paper of about two pages (6 of them non-public), and 60
attached PDFs of 2 to 5 pages, about 300 pages in all; invited, so that its
agenda is public. ``BENCH_PACK_MEETING=<id>`` measures another meeting.

Each figure comes from a child process of its own (Django, development
settings), so that peak memory (``VmHWM``) is that of the build:

1. ``cold``: the member pack with an empty part cache (a temporary folder):
   wall time, pages, pages per second, parts made, peak memory of the build
   process and of its largest worker; in the same process a rebuild with
   nothing changed, a rebuild after one paper's text changed (in a
   transaction rolled back afterwards) and the watermark of one member's
   copy (best of 5);
2. ``uncached``: the same pack built without the part cache, for comparison.

Targets (issue 4): cold build ≤ 20 s, peak ≤ 1 GiB, rebuild after one paper
changed ≤ 3 s on the 2-core machine; a missed target is marked ``MISSED``.
"""

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402 - this file also runs as a child script
    Measurement,
    clean_env,
    django_setup,
    run_child,
)

NAME = "packs"
TARGET_COLD_SECONDS = 20
TARGET_PEAK_MIB = 1024
TARGET_REBUILD_SECONDS = 3
#: The issue's meeting: agenda items, papers, attached PDFs.
SHAPE = (40, 40, 60)
MEETING_NAME = "Benchmark Sitzungsmappe (40 TOP)"
NONPUBLIC_ITEMS = 6
WATERMARK = "Nicht öffentlich – persönliches Exemplar für Erika Mustermann"


def verdict(value: float, target: float, unit: str) -> str:
    return unit if value <= target else f"{unit}  MISSED (target {target} {unit})"


def child(env, *args: str) -> dict:
    return run_child(__file__, env, *args)


def run() -> list[Measurement]:
    import bench_portal

    url = bench_portal.database_url()
    try:
        bench_portal.ensure_database_exists(url)
    except Exception as error:  # noqa: BLE001 - no PostgreSQL: say so
        return [Measurement(NAME, "skipped", f"no PostgreSQL at {url}: {error}")]
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or "/tmp/bench-var")  # noqa: S108
    var_dir.mkdir(parents=True, exist_ok=True)
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=url,
        GREMIEN_VAR_DIR=str(var_dir),
    )
    env.pop("REDIS_URL", None)
    results = [Measurement(NAME, "database", urlsplit(url).path.lstrip("/"))]
    if os.environ.get("BENCH_PREPARE", "1") != "0":
        bench_portal.prepare_database(env)
    meeting = child(env, "meeting")
    env["BENCH_PACK_MEETING"] = str(meeting["id"])

    parts = tempfile.mkdtemp(prefix="bench-pack-parts-")
    try:
        cold = child(env, "cold", parts)
        uncached = child(env, "uncached")
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    return results + measurements(meeting, cold, uncached)


def measurements(meeting: dict, cold: dict, uncached: dict) -> list[Measurement]:
    timings = cold["timings"]
    shape = (
        f"{meeting['items']} items, {meeting['papers']} papers, {meeting['files']} "
        f"PDFs ({meeting['nonpublic_items']} non-public items)"
    )
    peak = cold["peak_mib"] + cold["processes"] * cold["workers_peak_mib"]
    return [
        Measurement(NAME, "meeting", f"{meeting['id']}: {meeting['name']}"),
        Measurement(NAME, "meeting shape", shape),
        Measurement(NAME, "member pack: pages", cold["pages"], "pages"),
        Measurement(NAME, "member pack: size", cold["bytes"] / 2**20, "MiB"),
        Measurement(NAME, "member pack: non-public pages", cold["nonpublic"], "pages"),
        Measurement(
            NAME,
            "cold build (empty part cache)",
            cold["seconds"],
            verdict(cold["seconds"], TARGET_COLD_SECONDS, "s"),
        ),
        Measurement(NAME, "cold build: selection (queries)", cold["selection"], "s"),
        Measurement(
            NAME, "cold build: documents (HTML, keys)", timings["documents"], "s"
        ),
        Measurement(
            NAME,
            f"cold build: parts made ({cold['rendered']}, "
            f"{cold['processes']} processes)",
            timings["parts"],
            "s",
        ),
        Measurement(NAME, "cold build: agenda (TOC rounds)", timings["agenda"], "s"),
        Measurement(NAME, "cold build: assembly", timings["assembly"], "s"),
        Measurement(
            NAME, "cold build: pages per second", cold["pages_per_second"], "pages/s"
        ),
        Measurement(
            NAME, "cold build: peak memory, build process", cold["peak_mib"], "MiB"
        ),
        Measurement(
            NAME,
            "cold build: peak memory, largest worker",
            cold["workers_peak_mib"],
            "MiB",
        ),
        Measurement(
            NAME,
            "cold build: peak memory, all processes (at most)",
            peak,
            verdict(peak, TARGET_PEAK_MIB, "MiB"),
        ),
        Measurement(NAME, "rebuild, nothing changed", cold["unchanged_seconds"], "s"),
        Measurement(
            NAME,
            "rebuild after one paper changed",
            cold["rebuild_seconds"],
            verdict(cold["rebuild_seconds"], TARGET_REBUILD_SECONDS, "s"),
        ),
        Measurement(
            NAME, "rebuild: parts made", ", ".join(cold["rebuild_rendered"]) or "none"
        ),
        Measurement(
            NAME,
            f"watermark one member's copy ({cold['nonpublic']} pages)",
            cold["watermark_seconds"],
            "s",
        ),
        Measurement(NAME, "without part cache: build", uncached["seconds"], "s"),
        Measurement(
            NAME,
            "without part cache: parts made",
            uncached["timings"]["parts"],
            "s",
        ),
        Measurement(
            NAME,
            "without part cache: pages per second",
            uncached["pages_per_second"],
            "pages/s",
        ),
        Measurement(
            NAME,
            "without part cache: peak memory, build process",
            uncached["peak_mib"],
            "MiB",
        ),
        Measurement(
            NAME,
            "rebuild after one change vs. without part cache",
            uncached["seconds"] / max(cold["rebuild_seconds"], 1e-6),
            "× faster",
        ),
        Measurement(NAME, "CPU cores", os.cpu_count() or 0),
        Measurement(
            NAME,
            "load average before (cold, uncached)",
            f"{cold['load']}, {uncached['load']}",
        ),
    ]


# --- the Django side (child processes) ---------------------------------------------


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children_peak_mib() -> float:
    """Largest peak memory of the worker processes that have ended."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _shape_sql(where: str) -> str:
    return f"""
        SELECT m.id, m.name,
               count(DISTINCT a.id),
               count(DISTINCT c.paper_id),
               count(DISTINCT f.id),
               count(DISTINCT a.id) FILTER (WHERE NOT a.public)
        FROM meetings_meeting m
        JOIN meetings_agendaitem a ON a.meeting_id = m.id AND a.deleted_at IS NULL
        LEFT JOIN meetings_consultation c
          ON c.agenda_item_id = a.id AND c.deleted_at IS NULL
        LEFT JOIN documents_file f
          ON (f.paper_id = c.paper_id OR f.agenda_item_id = a.id)
         AND f.deleted_at IS NULL AND f.mime_type = 'application/pdf'
        WHERE m.deleted_at IS NULL AND {where}
        GROUP BY m.id
    """  # noqa: S608 - ``where`` is one of two constants of this module


def meeting_shape(meeting_id: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_shape_sql("m.id = %s"), [meeting_id])
        row = cursor.fetchone()
    keys = ("id", "name", "items", "papers", "files", "nonpublic_items")
    return dict(zip(keys, row, strict=True))


def closest_demo_meeting() -> int:
    from django.db import connection

    items, papers, files = SHAPE
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({_shape_sql('m.name <> %s')}) AS shape (id, name, "  # noqa: S608
            "items, papers, files, hidden) ORDER BY abs(items - %s) + "
            "abs(papers - %s) + abs(files - %s), id LIMIT 1",
            [MEETING_NAME, items, papers, files],
        )
        return cursor.fetchone()[0]


def _sentences(topic: str, number: int, count: int) -> str:
    parts = [
        f"Die Verwaltung legt zu {topic} die Ergebnisse der Prüfung vor.",
        "Die Kosten wurden nach der Haushaltsplanung des laufenden Jahres ermittelt "
        "und mit den Fachbereichen abgestimmt.",
        f"Für Abschnitt {number} sind Ausschreibung und Vergabe im nächsten "
        "Quartal vorgesehen; die Fördermittel des Landes sind beantragt.",
        "Die Anregungen aus der Bürgerbeteiligung wurden geprüft und, soweit "
        "möglich, in die Planung übernommen.",
        "Auswirkungen auf Klima, Verkehr und Lärmschutz sind in den Anlagen "
        "dargestellt und bewertet.",
    ]
    return " ".join(parts[i % len(parts)] for i in range(count))


def _attachment(title: str, sections: int) -> bytes:
    from demo.pdfgen import Block, render

    blocks = [Block("title", title)]
    for section in range(sections):
        blocks.append(Block("heading", f"{section + 1}. Abschnitt"))
        blocks += [Block("text", _sentences(title, section, 9)) for _ in range(3)]
    return render(blocks, title=title).data


def create_meeting() -> int:
    """The benchmark meeting (see the module's docstring), made once."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from documents.services import file_attach, paper_create, paper_release
    from sessions.models import Consultation, Meeting
    from sessions.services.agenda import agenda_item_add
    from sessions.services.consultations import consultation_path_set
    from sessions.services.invitations import meeting_invite
    from sessions.services.lifecycle import meeting_create

    existing = Meeting.objects.filter(name=MEETING_NAME, deleted_at=None).first()
    if existing is not None:
        return existing.pk
    settings.GREMIEN_PACK_AUTO_BUILD = False  # the bench builds itself
    model = Meeting.objects.get(pk=closest_demo_meeting())
    organization = model.organizations.first()
    start = max(
        Meeting.objects.filter(organizations=organization).values_list(
            "start", flat=True
        )
    ) + dt.timedelta(days=28)
    with transaction.atomic():
        meeting = meeting_create(
            actor=None,
            body=model.body,
            organizations=[organization],
            name=MEETING_NAME,
            start=start,
            location=model.location,
        )
        files = 0
        for number in range(1, SHAPE[0] + 1):
            topic = f"Maßnahme {number} des Investitionsprogramms"
            paper = paper_create(
                actor=None,
                body=model.body,
                name=f"{topic}: Planung, Kosten und Vergabe",
                date=start.date() - dt.timedelta(days=21),
                public=number > NONPUBLIC_ITEMS,
                facts="".join(
                    f"<p>{_sentences(topic, number + n, 5)}</p>" for n in range(8)
                ),
                proposal=f"<p>Der Ausschuss beschließt {topic} wie vorgelegt.</p>",
            )
            consultation_path_set(
                actor=None,
                paper=paper,
                steps=[([organization], Consultation.Role.DECIDING)],
            )
            for attachment in range(1 if number % 2 else 2):
                sections = 2 + (number + attachment) % 4  # 2 to 5 pages
                title = f"Anlage {attachment + 1} zu {topic}"
                file_attach(
                    actor=None,
                    owner=paper,
                    upload=SimpleUploadedFile(
                        f"anlage-{number}-{attachment + 1}.pdf",
                        _attachment(title, sections),
                        content_type="application/pdf",
                    ),
                    name=title,
                )
                files += 1
            paper = paper_release(actor=None, paper=paper)
            agenda_item_add(actor=None, meeting=meeting, paper=paper)
        meeting_invite(actor=None, meeting=meeting, urgent_reason="Benchmark")
    return meeting.pk


def _build(meeting, cache):
    from sessions.packs.build import build_pack
    from sessions.pdf.selection import MEMBER, meeting_selection

    started = time.perf_counter()
    selection = meeting_selection(meeting, MEMBER)
    selected = time.perf_counter() - started
    built = build_pack(selection, cache=cache)
    return built, time.perf_counter() - started, selected, selection


def _meeting():
    from sessions.models import Meeting

    return Meeting.objects.get(pk=int(os.environ["BENCH_PACK_MEETING"]))


def child_cold(parts_dir: str) -> dict:
    from django.core.files.storage import FileSystemStorage
    from django.db import transaction

    from sessions.packs.parts import PartCache
    from sessions.packs.watermark import watermark

    load = os.getloadavg()[0]
    meeting = _meeting()
    cache = PartCache(FileSystemStorage(location=parts_dir))
    built, seconds, selected, selection = _build(meeting, cache)
    answer = {
        "pages": built.pages,
        "bytes": len(built.data),
        "nonpublic": len(built.nonpublic_pages),
        "seconds": seconds,
        "selection": selected,
        "timings": built.timings,
        "rendered": built.parts_rendered,
        "processes": built.processes,
        "pages_per_second": built.pages / seconds,
        "peak_mib": peak_mib(),
        "workers_peak_mib": children_peak_mib(),
        "load": round(load, 2),
    }
    _again, answer["unchanged_seconds"], _s, _sel = _build(meeting, cache)

    paper = next(part.paper for part in selection.items if part.paper is not None)
    with transaction.atomic():
        paper.facts = f"{paper.facts}<p>Geändert für den Benchmark.</p>"
        paper.save(update_fields=["facts", "modified"])
        rebuilt, answer["rebuild_seconds"], _s, _sel = _build(meeting, cache)
        transaction.set_rollback(True)
    answer["rebuild_rendered"] = rebuilt.rendered

    timings = []
    for _round in range(5):
        started = time.perf_counter()
        watermark(built.data, built.nonpublic_pages or [0], WATERMARK)
        timings.append(time.perf_counter() - started)
    answer["watermark_seconds"] = min(timings)
    return answer


def child_uncached() -> dict:
    load = os.getloadavg()[0]
    built, seconds, _selected, _selection = _build(_meeting(), None)
    return {
        "seconds": seconds,
        "pages": built.pages,
        "pages_per_second": built.pages / seconds,
        "peak_mib": peak_mib(),
        "workers_peak_mib": children_peak_mib(),
        "processes": built.processes,
        "timings": built.timings,
        "load": round(load, 2),
    }


def child_main(argv: list[str]) -> None:
    django_setup()
    command = argv[0]
    if command == "meeting":
        wanted = os.environ.get("BENCH_PACK_MEETING")
        print(json.dumps(meeting_shape(int(wanted) if wanted else create_meeting())))
    elif command == "cold":
        print(json.dumps(child_cold(argv[1])))
    elif command == "uncached":
        print(json.dumps(child_uncached()))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    child_main(sys.argv[1:])

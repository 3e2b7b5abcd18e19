"""Making the parts of a pack that are missing, in several processes.

The build process does everything that reads the database: it renders each
document's HTML (which is also its key, see :mod:`sessions.packs.keys`) and
reads attached files. What costs time is laying out HTML with WeasyPrint and
bringing PDFs into the canonical form, pure CPU work that needs neither the
database nor Django's request machinery. WeasyPrint holds the GIL, so threads
do not help; this module hands that work to worker processes forked from the
build process (they inherit settings, fonts and the URL fetcher, and never
touch the database connection they inherit), ``GREMIEN_PACK_PROCESSES`` of
them (default: the number of CPU cores). It renders in the build process
itself with fewer than three jobs, with one process, or while other threads
run (a fork copies only the forking thread; a lock another thread holds
would stay locked in the child).
"""

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from pypdf.errors import PyPdfError

from documents.pdf.render import PDF_UA, layout_html, write

from .canonical import Canonical, canonicalise


class PartError(Exception):
    """A part cannot be made (e.g. an attached file is missing or damaged).
    The message names the file; it is shown to the Sitzungsdienst."""


def document_part(document) -> Canonical:
    """A laid-out document as a tagged PDF/UA-1 part in canonical form."""
    return canonicalise(write(document, variant=PDF_UA))


def html_part(html: str) -> Canonical:
    """A document (its HTML) as a tagged PDF/UA-1 part in canonical form."""
    return document_part(layout_html(html))


def attachment_part(data: bytes, name: str) -> Canonical:
    """An uploaded PDF in canonical form: its pages and structure, harmless
    annotations only (links, comments, form appearances; no scripts, launch
    actions, media or embedded files), no outline or forms. Uploads are
    checked when they arrive (``documents.filecheck``); a file that still
    cannot be read raises :class:`PartError`."""
    try:
        return canonicalise(data, safe=True)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PartError(
            _("The attachment “%(name)s” is damaged and cannot be read.")
            % {"name": name}
        ) from error


def stored_attachment_part(path: str, name: str) -> Canonical:
    """:func:`attachment_part` of a file in the default storage (read where
    it is made: a build does not hold every upload in memory at once)."""
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PartError(
            _("The attachment “%(name)s” cannot be read.") % {"name": name}
        ) from error
    return attachment_part(data, name)


def run_job(job: tuple) -> Canonical:
    """``("html", html)``, ``("attachment", data, name)`` or
    ``("stored", storage name, name)``."""
    kind, *arguments = job
    if kind == "html":
        return html_part(*arguments)
    if kind == "stored":
        return stored_attachment_part(*arguments)
    return attachment_part(*arguments)


def processes() -> int:
    wanted = getattr(settings, "GREMIEN_PACK_PROCESSES", None)
    return max(1, int(wanted if wanted is not None else os.cpu_count() or 1))


def run_jobs(
    jobs: list[tuple], done: Callable[[int, Canonical], None], *, workers: int = 0
) -> int:
    """Runs ``jobs`` and calls ``done(index, result)`` for each as it is
    finished; returns the number of processes used. The first error stops
    the rest and is raised."""
    workers = min(workers or processes(), len(jobs))
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(jobs) < 3 or not forkable or threading.active_count() > 1:
        for index, job in enumerate(jobs):
            done(index, run_job(job))
        return 1
    # The first job here: the first layout of a process costs seconds (fonts,
    # style sheets); the workers inherit what it loaded.
    done(0, run_job(jobs[0]))
    workers = min(workers, len(jobs) - 1)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            pool.submit(run_job, job): index for index, job in enumerate(jobs) if index
        }
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    raise error
                done(futures[future], future.result())
    return workers

"""One import: from the entry address to the summary.

Finds the body (a System's body list, ``--body`` when it has several, or a
Body address), the body it goes into (created from the source's Body, or
``--into``), and the run: an interrupted one is continued (unless
``--restart``), else a new one, incremental with ``modified_since`` after a
completed run (unless ``--full``). A dry run does everything in a
transaction that is rolled back and downloads no file contents.
"""

import datetime as dt
import sys
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from gremien.models import Body
from sessions.slugs import german_slug, unique_slug

from .client import ClientSettings, FetchError, OParlClient
from .crawl import Crawler, Staged, externalize, stage
from .files import FileFetcher
from .mapping import body_classification, body_name
from .models import ImportRecord, ImportRun, ImportSource
from .report import Summary, summarize
from .values import oparl_type, oparl_version, text
from .writer import Writer

#: Changes made at the source while a run read it are caught by the next run:
#: it asks for changes since the start of the last one, minus this margin
#: (clocks of two servers never agree exactly).
WATERMARK_MARGIN = dt.timedelta(minutes=10)
#: Pages of a System's body list read at most.
MAX_BODY_PAGES = 100


class ImportProblem(Exception):
    """The import cannot start or go on; ``str()`` is the German message."""


@dataclass
class ImportOptions:
    url: str
    body_id: str = ""
    into: str = ""
    files: bool = False
    full: bool = False
    restart: bool = False
    dry_run: bool = False
    progress: bool = True
    retries: int = 5
    backoff: float = 1.0
    timeout: float = 60.0
    max_file_mb: int = 100
    workers: int = 4


@dataclass
class Discovery:
    body: dict
    system_url: str
    version: str


@dataclass
class Result:
    summary: Summary
    body: Body
    run: ImportRun
    resumed: bool
    dry_run: bool
    requests: int
    seconds: float


# --- finding the body ---------------------------------------------------------


def _entry_problem(url: str, error: FetchError) -> ImportProblem:
    if error.status is not None and 400 <= error.status < 500:
        return ImportProblem(
            _(
                "The address %(url)s answers with HTTP status %(status)s. Please "
                "check the address of the OParl system or body."
            )
            % {"url": url, "status": error.status}
        )
    return ImportProblem(str(error))


def _body_list(client: OParlClient, url) -> list[dict]:
    if not isinstance(url, str) or not url.strip():
        return []
    bodies, seen = [], set()
    while url and url not in seen and len(seen) < MAX_BODY_PAGES:
        seen.add(url)
        page = client.get_json(url)
        items = page.get("data")
        if not isinstance(items, list):
            raise ImportProblem(
                _("The body list %(url)s is not an OParl list.") % {"url": url}
            )
        for item in items:
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if oparl_type(item.get("type")) not in (None, "Body"):
                continue
            if not item.get("name") and not item.get("paper"):
                item = client.get_json(item["id"])
            bodies.append(item)
        links = page.get("links") if isinstance(page.get("links"), dict) else {}
        url = links.get("next") if isinstance(links.get("next"), str) else ""
    return bodies


def _pick(bodies: list[dict], body_id: str, url: str) -> dict:
    if not bodies:
        raise ImportProblem(_("The OParl system %(url)s lists no body.") % {"url": url})
    if body_id:
        for body in bodies:
            if body["id"] == body_id or body["id"].rstrip("/").endswith("/" + body_id):
                return body
    elif len(bodies) == 1:
        return bodies[0]
    choices = "\n".join(f"  {b['id']}  {body_name(b)}" for b in bodies)
    if body_id:
        message = _("The system has no body “%(body)s”. Its bodies:") % {
            "body": body_id
        }
    else:
        message = _("The system has several bodies; choose one with --body:")
    raise ImportProblem(f"{message}\n{choices}")


def discover(client: OParlClient, url: str, *, body_id: str = "") -> Discovery:
    """The source's Body object from a System, body list or Body address."""
    try:
        data = client.get_json(url)
    except FetchError as error:
        raise _entry_problem(url, error) from error
    kind = oparl_type(data.get("type"))
    try:
        if kind == "Body":
            if body_id:
                _pick([data], body_id, url)
            return Discovery(
                data, text(data, "system"), oparl_version(data.get("type"))
            )
        if kind == "System":
            bodies = _body_list(client, data.get("body"))
            version = oparl_version(data.get("oparlVersion")) or oparl_version(
                data.get("type")
            )
            system_url = data.get("id") if isinstance(data.get("id"), str) else url
        elif isinstance(data.get("data"), list):
            bodies = _body_list(client, url)
            version = oparl_version(bodies[0].get("type")) if bodies else ""
            system_url = text(bodies[0], "system") if bodies else ""
        else:
            raise ImportProblem(
                _("%(url)s is neither an OParl system nor an OParl body.")
                % {"url": url}
            )
    except FetchError as error:
        raise ImportProblem(str(error)) from error
    body = _pick(bodies, body_id, url)
    return Discovery(body, system_url, version or oparl_version(body.get("type")))


# --- source, body, run -----------------------------------------------------------


def _new_body(data: dict) -> Body:
    name = body_name(data)
    base = german_slug(text(data, "shortName") or name, 90) or "koerperschaft"
    taken = Body.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    return Body.objects.create(
        name=name,
        slug=unique_slug(base, taken),
        classification=body_classification(text(data, "classification"), name),
        external_id=data["id"][:500],
    )


def ensure_source(discovery: Discovery, *, into: str, url: str):
    """The import source (and its body), created on the first import."""
    data = discovery.body
    details = {
        "system_url": discovery.system_url[:1000],
        "entry_url": url[:1000],
        "oparl_version": discovery.version,
    }
    if into:
        body = Body.objects.filter(slug=into).first()
        if body is None:
            raise ImportProblem(
                _("There is no body with the short name “%(slug)s”.") % {"slug": into}
            )
        source, _created = ImportSource.objects.update_or_create(
            body_url=data["id"], body=body, defaults=details
        )
        return source, body, False
    sources = list(ImportSource.objects.filter(body_url=data["id"]).order_by("pk"))
    # Imported here before: into the body made from it, else (--into) the first.
    source = next(
        (s for s in sources if s.body.external_id == data["id"]),
        sources[0] if sources else None,
    )
    if source is not None:
        ImportSource.objects.filter(pk=source.pk).update(**details)
        return source, source.body, False
    body = Body.objects.filter(external_id=data["id"]).first()
    created = body is None
    if created:
        body = _new_body(data)
    source = ImportSource.objects.create(body=body, body_url=data["id"], **details)
    return source, body, created


def open_run(source: ImportSource, options: ImportOptions, *, body_created: bool):
    """The run to continue, or a new one; ``(run, resumed)``."""
    unfinished = source.runs.filter(status=ImportRun.Status.RUNNING).first()
    if unfinished is not None and (
        options.restart or (options.full and unfinished.modified_since is not None)
    ):
        delete_records(unfinished)
        unfinished.delete()
        unfinished = None
    if unfinished is not None:
        return unfinished, True
    since = None if options.full else source.watermark
    run = ImportRun.objects.create(
        source=source, modified_since=since, body_created=body_created
    )
    return run, False


# --- the run ---------------------------------------------------------------------


class _Rollback(Exception):
    def __init__(self, result: Result):
        self.result = result


def _bar(options: ImportOptions, **kwargs):
    stream = sys.stderr
    disable = not options.progress or not stream.isatty()
    return tqdm(file=stream, disable=disable, leave=False, dynamic_ncols=True, **kwargs)


def run_import(options: ImportOptions) -> Result:
    started = time.perf_counter()
    client = OParlClient(
        ClientSettings(
            timeout=options.timeout, retries=options.retries, backoff=options.backoff
        )
    )
    discovery = discover(client, options.url, body_id=options.body_id)
    if not options.dry_run:
        return _run(client, discovery, options, started)
    try:
        with transaction.atomic():
            raise _Rollback(_run(client, discovery, options, started))
    except _Rollback as rollback:
        return rollback.result


def _run(client, discovery: Discovery, options: ImportOptions, started) -> Result:
    with transaction.atomic():
        source, body, created = ensure_source(
            discovery, into=options.into, url=options.url
        )
        run, resumed = open_run(source, options, body_created=created)
        staged: list[Staged] = []
        externalize(discovery.body, "Body", staged)
        stage(run, staged)
    fetcher = None
    if options.files and not options.dry_run:
        fetcher = FileFetcher(
            client, max_bytes=options.max_file_mb * 2**20, workers=options.workers
        )
    writer = Writer(run=run, body=body, write_body=not options.into, fetcher=fetcher)
    if run.phase == ImportRun.Phase.CRAWL:
        _crawl(client, run, discovery, writer, options)
    with _bar(
        options, desc=_("Writing"), unit=" " + _("objects"), total=writer.pending()
    ) as bar:
        writer.on_progress = bar.update
        writer.write()
    with transaction.atomic():
        summary = summarize(run)
        _finish(run, source, summary)
        if summary.total("new") + summary.total("updated") + summary.total("deleted"):
            _announce(body)
    return Result(
        summary=summary,
        body=body,
        run=run,
        resumed=resumed,
        dry_run=options.dry_run,
        requests=client.requests,
        seconds=time.perf_counter() - started,
    )


def _crawl(client, run, discovery, writer, options) -> None:
    crawler = Crawler(client=client, run=run)
    lists = crawler.lists(discovery.body)
    done = sum(progress.pages for progress in lists)
    with _bar(options, desc=_("Reading"), unit=" " + _("pages"), initial=done) as bar:
        totals = {progress.name: progress.total_pages for progress in lists}

        def on_page(progress):
            # Lists not read yet count as one page until their first page
            # tells how many they have.
            totals[progress.name] = progress.total_pages or progress.pages
            bar.total = sum(total or 1 for total in totals.values())
            bar.update(1)

        crawler.on_page = on_page
        crawler.crawl(discovery.body)
        bar.set_description(_("References"))
        crawler.chase(writer.known, on_fetch=lambda: bar.update(0))
    ImportRun.objects.filter(pk=run.pk).update(phase=ImportRun.Phase.WRITE)
    run.phase = ImportRun.Phase.WRITE


def _finish(run: ImportRun, source: ImportSource, summary: Summary) -> None:
    run.status = ImportRun.Status.COMPLETED
    run.phase = ImportRun.Phase.DONE
    run.finished_at = timezone.now()
    run.summary = summary.as_json()
    run.save(update_fields=["status", "phase", "finished_at", "summary"])
    delete_records(run)
    source.watermark = run.started_at - WATERMARK_MARGIN
    source.save(update_fields=["watermark"])


def delete_records(run: ImportRun) -> None:
    """The staged records of ``run``, in one statement: a queryset delete
    would load them all, because the portal listens to every deletion."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ImportRecord._meta.db_table} WHERE run_id = %s",  # noqa: S608
            [run.pk],
        )


def _announce(body: Body) -> None:
    """Bulk writes send no signals: the portal's page cache and search index
    learn of the import once it is committed."""
    from publicportal import cache
    from publicportal.tasks import search_index_rebuild

    transaction.on_commit(cache.bump_version)
    transaction.on_commit(lambda: search_index_rebuild.enqueue(body.pk))

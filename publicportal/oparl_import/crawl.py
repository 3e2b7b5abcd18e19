"""Reading the source: every list page by page, embedded objects taken out.

Each page is staged in one transaction together with the position in its
list, so an interruption loses at most the page being read. Objects are
staged as the source sent them (vendor keys such as ``STERNBERG:*``
dropped), with embedded objects replaced by their ids and staged as objects
of their own; an object seen twice (a Location embedded in many meetings, a
file in a paper and in the 1.1 file list) is merged into one record.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.utils.translation import gettext as _

from .client import FetchError, OParlClient
from .models import ImportListProgress, ImportRecord, ImportRun
from .schema import (
    BODY_LISTS,
    EMBEDDED,
    FILE_ROLES,
    MODELS,
    PARENT_PROPERTY,
    REFERENCES,
)
from .values import datetime_value, oparl_type, refs

#: Longest original id our models store (``OParlObject.external_id``).
MAX_ID_LENGTH = 500
#: Keys of an object that carry no data: an embedded object with only these
#: is a reference in disguise.
STUB_KEYS = {"id", "type", "created", "modified"}
#: Staged records written per query.
BATCH = 500
#: More pages than this in one list means a server that loops.
MAX_PAGES = 100_000
#: Rounds of fetching referenced objects that the lists did not contain
#: (an object fetched may refer to further unknown ones).
CHASE_ROUNDS = 3


@dataclass
class Staged:
    type: str
    id: str
    data: dict
    context: dict = field(default_factory=dict)


def is_tombstone(data: dict) -> bool:
    return data.get("deleted") is True


def is_stub(data: dict) -> bool:
    return not is_tombstone(data) and set(data) <= STUB_KEYS


def _clean(obj: dict) -> dict:
    """Vendor extensions (``STERNBERG:sortierung``) are not OParl: dropped."""
    return {key: value for key, value in obj.items() if ":" not in key}


def _child_context(
    parent_type: str, parent: dict, key: str, child_type: str, position: int
) -> dict:
    if child_type == "File" and key in FILE_ROLES:
        return {
            "owner": [parent_type, parent["id"]],
            "role": FILE_ROLES[key],
            "position": position if key == "auxiliaryFile" else 0,
        }
    if child_type in PARENT_PROPERTY:
        return {PARENT_PROPERTY[child_type]: parent["id"], "position": position}
    return {}


def externalize(
    obj: dict, type_name: str, out: list[Staged], context: dict | None = None
) -> None:
    """Stage ``obj`` (of ``type_name``) and, recursively, what it embeds.

    An embedded object without ``type`` is of the type its property holds;
    one that carries nothing but its id is only a reference.
    """
    obj = _clean(obj)
    data = dict(obj)
    context = dict(context or {})
    for key, value in obj.items():
        embedded_type = EMBEDDED.get((type_name, key))
        if embedded_type is None or not value:
            continue
        items = value if isinstance(value, list) else [value]
        ids = []
        for position, item in enumerate(items, start=1):
            if isinstance(item, str):
                ids.append(item)
                continue
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            ids.append(item["id"])
            if is_stub(item):
                continue
            item_type = oparl_type(item.get("type")) or embedded_type
            if type_name == "Meeting" and item_type == "AgendaItem":
                if item.get("resolutionText"):
                    context["minutes"] = True
            externalize(
                item,
                item_type,
                out,
                _child_context(type_name, obj, key, item_type, position),
            )
        data[key] = ids if isinstance(value, list) else (ids[0] if ids else None)
    if type_name == "Person" and not isinstance(data.get("location"), str):
        data["location"] = data.get("locationObject")
    out.append(Staged(type_name, obj["id"], data, context))


def _modified(data: dict):
    return datetime_value(data, "modified")


def merge_data(old: dict, new: dict) -> dict:
    """Two versions of one object: a deletion wins unless the live version
    is newer; live versions are combined (an embedded copy may carry fewer
    properties than the list's)."""
    if is_tombstone(new) != is_tombstone(old):
        old_time, new_time = _modified(old), _modified(new)
        if is_tombstone(new):
            keep_old = old_time and new_time and old_time > new_time
            return old if keep_old else new
        newer = old_time is None or (new_time is not None and new_time > old_time)
        return new if newer else old
    if is_tombstone(new):
        return new
    return {**old, **new}


def merge_context(old: dict, new: dict) -> dict:
    """A file has one owner: the first one seen; further ones are counted."""
    if not old:
        return new
    if not new:
        return old
    if old.get("owner") and new.get("owner") and old["owner"] != new["owner"]:
        return {**old, "other_owners": old.get("other_owners", 0) + 1}
    merged = {**new, **old}
    if new.get("minutes"):
        merged["minutes"] = True
    return merged


def stage(run: ImportRun, staged: Iterable[Staged]) -> Counter:
    """Write ``staged`` into the run's records, merging with what is there.
    Returns skip reasons (ids too long to store)."""
    reasons: Counter = Counter()
    batch: dict[tuple[str, str], Staged] = {}
    for item in staged:
        if len(item.id) > MAX_ID_LENGTH:
            reasons[f"id_too_long|{item.type}"] += 1
            continue
        key = (item.type, item.id)
        if key in batch:
            before = batch[key]
            before.data = merge_data(before.data, item.data)
            before.context = merge_context(before.context, item.context)
        else:
            batch[key] = item
    by_type: dict[str, list[str]] = {}
    for type_name, external_id in batch:
        by_type.setdefault(type_name, []).append(external_id)
    existing: dict[tuple[str, str], ImportRecord] = {}
    for type_name, ids in by_type.items():
        for start in range(0, len(ids), BATCH):
            for record in ImportRecord.objects.filter(
                run=run, type=type_name, external_id__in=ids[start : start + BATCH]
            ):
                existing[(record.type, record.external_id)] = record
    creates, updates = [], []
    for key, item in batch.items():
        record = existing.get(key)
        if record is None:
            creates.append(
                ImportRecord(
                    run=run,
                    type=item.type,
                    external_id=item.id,
                    data=item.data,
                    context=item.context,
                )
            )
            continue
        data = item.data if record.missing else merge_data(record.data, item.data)
        context = merge_context(record.context, item.context)
        if data != record.data or context != record.context or record.missing:
            record.data, record.context, record.missing = data, context, False
            record.outcome = ""  # changed since it was written: write again
            updates.append(record)
    ImportRecord.objects.bulk_create(creates, batch_size=BATCH)
    ImportRecord.objects.bulk_update(
        updates, ["data", "context", "missing", "outcome"], batch_size=BATCH
    )
    return reasons


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` set in its query string (others kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if k not in params] + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _total_pages(page: dict) -> int | None:
    pagination = page.get("pagination")
    if isinstance(pagination, dict):
        total = pagination.get("totalPages")
        if isinstance(total, int) and total >= 0:
            return total
    return None


def next_page_url(page: dict, url: str) -> str:
    """``links.next``; without one, the next ``page`` number while the
    pagination says there are more pages. ``""`` when finished."""
    links = page.get("links")
    following = links.get("next") if isinstance(links, dict) else None
    if isinstance(following, str) and following.strip():
        following = following.strip()
        return "" if following == url else following
    pagination = page.get("pagination")
    if isinstance(pagination, dict):
        current, total = pagination.get("currentPage"), pagination.get("totalPages")
        if isinstance(current, int) and isinstance(total, int) and current < total:
            return with_query(url, page=str(current + 1))
    return ""


@dataclass
class Crawler:
    """Reads the body's lists into the run's staged records."""

    client: OParlClient
    run: ImportRun
    on_page: Callable[[ImportListProgress], None] = lambda progress: None

    def _first_url(self, url: str) -> str:
        if self.run.modified_since is None:
            return url
        return with_query(url, modified_since=self.run.modified_since.isoformat())

    def lists(self, body: dict) -> list[ImportListProgress]:
        """The run's progress per list of ``body`` (created on first use)."""
        found = []
        for name, _type_name in BODY_LISTS:
            url = body.get(name)
            if not isinstance(url, str) or not url.strip():
                continue
            first = self._first_url(url.strip())
            progress, _created = ImportListProgress.objects.get_or_create(
                run=self.run, name=name, defaults={"url": first, "next_url": first}
            )
            found.append(progress)
        return found

    def crawl(self, body: dict) -> None:
        for progress in self.lists(body):
            seen: set[str] = set()
            while not progress.done:
                self.read_page(progress, seen)

    def read_page(self, progress: ImportListProgress, seen: set[str]) -> None:
        url = progress.next_url
        seen.add(url)
        type_name = dict(BODY_LISTS)[progress.name]
        try:
            page = self.client.get_json(url)
        except FetchError as error:
            refused = error.status and error.status < 500 and error.status != 429
            if progress.pages == 0 and refused:
                # A list the source announces but does not serve.
                self._finish_list(progress, reason=f"list_unavailable|{progress.name}")
                return
            raise
        items = page.get("data")
        if not isinstance(items, list):
            raise FetchError(
                _("%(url)s is not an OParl list (no “data”).") % {"url": url}, url=url
            )
        staged: list[Staged] = []
        reasons: Counter = Counter()
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                reasons[f"object_without_id|{type_name}"] += 1
                continue
            item_type = oparl_type(item.get("type")) or type_name
            if item_type not in MODELS:
                reasons[f"unknown_type|{item_type}"] += 1
                continue
            externalize(item, item_type, staged)
        following = next_page_url(page, url)
        if following and self.run.modified_since is not None:
            if "modified_since" not in following:
                following = self._first_url(following)
        if following in seen or progress.pages + 1 >= MAX_PAGES:
            following = ""
        with transaction.atomic():
            reasons.update(stage(self.run, staged))
            progress.pages += 1
            progress.total_pages = _total_pages(page) or progress.total_pages
            progress.next_url = following
            progress.done = not following
            progress.save()
            ImportRun.objects.filter(pk=self.run.pk).update(pages=self.run.pages + 1)
            self.run.pages += 1
            self._count(reasons)
        self.on_page(progress)

    def _finish_list(self, progress: ImportListProgress, *, reason: str) -> None:
        with transaction.atomic():
            progress.done = True
            progress.next_url = ""
            progress.save()
            self._count(Counter({reason: 1}))

    def _count(self, reasons: Counter) -> None:
        if not reasons:
            return
        run = ImportRun.objects.select_for_update().get(pk=self.run.pk)
        counts = Counter(run.reasons)
        counts.update(reasons)
        run.reasons = dict(counts)
        run.save(update_fields=["reasons"])
        self.run.reasons = run.reasons

    # --- referenced objects that no list contained -------------------------

    def unknown_references(self, known_in_database: Callable[[str], set[str]]):
        """``(type, id)`` of referenced objects that are neither staged nor
        stored; one query over the staged records plus one per type."""
        staged: dict[str, set[str]] = {}
        wanted: set[tuple[str, str]] = set()
        records = ImportRecord.objects.filter(run=self.run).values_list(
            "type", "external_id", "data", "missing"
        )
        pending = []
        for type_name, external_id, data, missing in records.iterator(chunk_size=2000):
            staged.setdefault(type_name, set()).add(external_id)
            if not missing and type_name in REFERENCES and not is_tombstone(data):
                pending.append((type_name, data))
        for type_name, data in pending:
            for prop, target in REFERENCES[type_name]:
                for target_id in refs(data, prop):
                    if target_id not in staged.get(target, ()):
                        wanted.add((target, target_id))
        by_type: dict[str, set[str]] = {}
        for target, target_id in wanted:
            by_type.setdefault(target, set()).add(target_id)
        result = []
        for target, ids in sorted(by_type.items()):
            stored = known_in_database(target)
            result.extend((target, i) for i in sorted(ids) if i not in stored)
        return result

    def chase(
        self,
        known_in_database: Callable[[str], set[str]],
        on_fetch: Callable[[], None] = lambda: None,
    ) -> None:
        """Fetch referenced objects the lists did not contain (1.0 has no
        Location list: a Person's address is only a URL). Not found: staged
        as missing, and references to it count as dangling."""
        for _round in range(CHASE_ROUNDS):
            unknown = self.unknown_references(known_in_database)
            if not unknown:
                return
            for target, target_id in unknown:
                self.fetch_one(target, target_id)
                on_fetch()

    def fetch_one(self, target: str, target_id: str) -> None:
        staged: list[Staged] = []
        missing = False
        if len(target_id) > MAX_ID_LENGTH:
            missing = True
        else:
            try:
                data = self.client.get_json(target_id)
            except FetchError as error:
                if error.status is None and not target_id.lower().startswith("http"):
                    missing = True
                elif error.not_found or (error.status and 400 <= error.status < 500):
                    missing = True
                else:
                    raise
            else:
                if data.get("id") != target_id or not isinstance(data.get("id"), str):
                    data = {**data, "id": target_id}
                item_type = oparl_type(data.get("type")) or target
                if item_type != target:
                    missing = True
                else:
                    externalize(data, item_type, staged)
        with transaction.atomic():
            if missing:
                ImportRecord.objects.get_or_create(
                    run=self.run,
                    type=target,
                    external_id=target_id[:1000],
                    defaults={"missing": True, "data": {}},
                )
            else:
                self._count(stage(self.run, staged))

"""The parts of session packs, stored once per content.

A part is one finished PDF of a pack: the cover, the invitation, the table of
contents, a paper, an attached file. Its key is the SHA-256 of everything its
content depends on (the *key material*, see :mod:`sessions.packs.keys`; for
an attached file the file's own SHA-256), so a part is made once and reused
by every later build, of this pack or of another meeting's, until something
it shows changes. Changing one paper therefore renders one part again;
everything else is read back.

Parts are stored in the canonical form of :mod:`sessions.packs.canonical`,
in the default storage under ``packs/parts/<aa>/<key>.pdf`` with a JSON
sidecar ``<key>.json`` (page count, size, layout). The sidecar is written
after the PDF, so a part without one is incomplete (an interrupted write) and
is made again. Two builds making the same part at once write the same bytes;
whichever comes second keeps the first one's file.

Old parts are removed by :meth:`PartCache.prune` (the keys a current pack
uses are in ``BuiltPack.part_keys``), e.g. from a periodic management command.
"""

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.pdf.render import RenderedPDF

from .canonical import Canonical, canonicalise
from .render import PartError

logger = logging.getLogger(__name__)

#: Raise when the stored form of parts changes: every part is made anew.
PART_FORMAT = "2"
#: Raise when the normalisation of attached PDFs changes.
ATTACHMENT_FORMAT = "1"
PREFIX = "packs/parts"

__all__ = ["PART_FORMAT", "Part", "PartCache", "PartError", "NoCache", "part_key"]


@dataclass(frozen=True)
class Part:
    """One PDF of a pack (canonical form): key, page count, bytes, layout."""

    key: str
    pages: int
    data: bytes = field(repr=False)
    layout: dict = field(repr=False)
    #: storage name of the stored part; ``None`` when built without the cache
    path: str | None = None
    #: read back from the store instead of made
    reused: bool = False


def part_key(key_material: str | bytes) -> str:
    if isinstance(key_material, str):
        key_material = key_material.encode()
    return hashlib.sha256(f"part-{PART_FORMAT}\n".encode() + key_material).hexdigest()


def _canonical(made: RenderedPDF | Canonical) -> Canonical:
    if isinstance(made, Canonical):
        return made
    return canonicalise(made.data)


class PartCache:
    """Parts in ``storage`` (default: the default storage), keyed by content.

    ``hits`` and ``misses`` count the parts read back and made by this
    instance."""

    def __init__(self, storage: Storage | None = None, *, prefix: str = PREFIX):
        self.storage = storage or default_storage
        self.prefix = prefix.rstrip("/")
        self.hits = 0
        self.misses = 0

    def _name(self, key: str, suffix: str) -> str:
        return f"{self.prefix}/{key[:2]}/{key}.{suffix}"

    def get(self, key: str) -> Part | None:
        """The stored part ``key``, or ``None`` if there is no complete one."""
        info_name, pdf_name = self._name(key, "json"), self._name(key, "pdf")
        try:
            with self.storage.open(info_name, "rb") as handle:
                info = json.loads(handle.read())
            with self.storage.open(pdf_name, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            return None
        if len(data) != info.get("bytes") or not info.get("pages"):
            logger.warning("session pack part %s is incomplete; making it again", key)
            return None
        self.hits += 1
        return Part(key, int(info["pages"]), data, info["layout"], pdf_name, True)

    def store(self, key: str, canonical: Canonical) -> Part:
        """Store ``canonical`` as part ``key`` (PDF first, then the sidecar)."""
        self.misses += 1
        pdf_name, info_name = self._name(key, "pdf"), self._name(key, "json")
        self._save(pdf_name, canonical.data)
        info = {
            "pages": canonical.pages,
            "bytes": len(canonical.data),
            "created": timezone.now().isoformat(),
            "layout": canonical.layout,
        }
        self._save(info_name, json.dumps(info).encode())
        return Part(key, canonical.pages, canonical.data, canonical.layout, pdf_name)

    def _save(self, name: str, data: bytes) -> None:
        if self.storage.exists(name):
            # a leftover of an interrupted write, or another build's copy
            self.storage.delete(name)
        saved = self.storage.save(name, ContentFile(data))
        if saved != name:  # another build stored it meanwhile: same content
            self.storage.delete(saved)

    def pages_of(self, key: str) -> int | None:
        """The page count noted for ``key`` (stored or only laid out)."""
        try:
            with self.storage.open(self._name(key, "json"), "rb") as handle:
                return int(json.loads(handle.read())["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def note_pages(self, key: str, pages: int) -> None:
        """Note how many pages the document ``key`` lays out to, without
        storing it (a table of contents laid out with page numbers that did
        not fit: the next build skips that round)."""
        self._save(self._name(key, "json"), json.dumps({"pages": pages}).encode())

    def get_or_render(
        self,
        key_material: str | bytes,
        render: Callable[[], RenderedPDF | Canonical],
    ) -> Part:
        """The part for ``key_material``: read back, or made by ``render``
        and stored."""
        key = part_key(key_material)
        return self.get(key) or self.store(key, _canonical(render()))

    def keys(self) -> set[str]:
        """Keys of every stored part (complete or not)."""
        found: set[str] = set()
        try:
            folders, _files = self.storage.listdir(self.prefix)
        except (FileNotFoundError, NotADirectoryError):
            return found
        for folder in folders:
            _dirs, files = self.storage.listdir(f"{self.prefix}/{folder}")
            found.update(name.rsplit(".", 1)[0] for name in files)
        return found

    def prune(
        self, *, keep: Iterable[str] = (), older_than: dt.timedelta | None = None
    ) -> int:
        """Delete the parts not in ``keep`` (keys, e.g. the ``part_keys`` of
        the packs that exist); with ``older_than`` only those stored before
        that long ago (a part a build is writing right now is young). Returns
        the number of parts deleted."""
        keep = set(keep)
        limit = timezone.now() - older_than if older_than is not None else None
        deleted = 0
        for key in sorted(self.keys() - keep):
            names = [self._name(key, "pdf"), self._name(key, "json")]
            present = [name for name in names if self.storage.exists(name)]
            if limit is not None and any(
                self.storage.get_modified_time(name) > limit for name in present
            ):
                continue
            for name in present:
                self.storage.delete(name)
            deleted += 1
        return deleted


class NoCache:
    """Builds without the store: every part is made (for comparison in the
    benchmark, and for a one-off copy that should leave nothing behind)."""

    def __init__(self):
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> None:
        return None

    def pages_of(self, key: str) -> None:
        return None

    def note_pages(self, key: str, pages: int) -> None:
        pass

    def store(self, key: str, canonical: Canonical) -> Part:
        self.misses += 1
        return Part(key, canonical.pages, canonical.data, canonical.layout)

    def get_or_render(self, key_material, render) -> Part:
        return self.store(part_key(key_material), _canonical(render()))


# --- attached files ----------------------------------------------------------


def file_sha256(file) -> str:
    if file.sha256:
        return file.sha256
    return hashlib.sha256(read_file(file)).hexdigest()


def read_file(file) -> bytes:
    """The stored blob of ``file`` (a ``documents.File``)."""
    if not file.content:
        raise PartError(
            _("The attachment “%(name)s” has no content.") % {"name": file.name}
        )
    try:
        with file.content.open("rb") as handle:
            return handle.read()
    except OSError as error:
        raise PartError(
            _("The attachment “%(name)s” cannot be read.") % {"name": file.name}
        ) from error


def attachment_material(file) -> str:
    """Key material of an attached PDF: its content hash."""
    return f"attachment-{ATTACHMENT_FORMAT}\n{file_sha256(file)}"

"""Taking over file contents (``--files``).

Contents are downloaded a few at a time, checked against the checksums the
source states, and stored exactly as an upload is (content-addressed blob,
``documents.services``), so the portal serves them itself instead of
redirecting to the source. Text extraction is queued as for an upload.
"""

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.files.base import ContentFile

from documents.models import File
from documents.services import file_checksums, file_store_blob

from .client import FetchError, OParlClient, TooLarge
from .values import text


@dataclass
class Download:
    file: File
    data: dict
    content: bytes | None = None
    reason: str = ""


def wants_content(file: File, data: dict) -> bool:
    """No content yet, or the source states other checksums than ours."""
    if not file.content:
        return bool(text(data, "accessUrl") or text(data, "downloadUrl"))
    for key, ours in (("sha1Checksum", file.sha1), ("sha512Checksum", file.sha512)):
        theirs = text(data, key).lower()
        if theirs and ours and theirs != ours:
            return True
    return False


class FileFetcher:
    def __init__(self, client: OParlClient, *, max_bytes: int, workers: int = 4):
        self.client = client
        self.max_bytes = max_bytes
        self.workers = max(1, workers)

    def _fetch(self, download: Download) -> Download:
        url = text(download.data, "accessUrl") or text(download.data, "downloadUrl")
        try:
            download.content = self.client.download(url, max_bytes=self.max_bytes)
        except TooLarge:
            download.reason = "file_too_large"
        except FetchError:
            download.reason = "download_failed"
        if download.content is not None and not download.content:
            download.content, download.reason = None, "download_empty"
        return download

    def fetch(self, downloads: Iterable[Download]) -> list[Download]:
        downloads = list(downloads)
        if len(downloads) <= 1 or self.workers == 1:
            return [self._fetch(download) for download in downloads]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(self._fetch, downloads))


def store(download: Download) -> list[str]:
    """Put the downloaded content into ``download.file`` (not saved): the
    changed fields, or ``[]`` with ``download.reason`` set when the content
    does not match the source's checksums."""
    sums = file_checksums(download.content)
    for key, ours in (("sha1Checksum", "sha1"), ("sha512Checksum", "sha512")):
        theirs = text(download.data, key).lower()
        if theirs and theirs != sums[ours]:
            download.reason = "checksum_mismatch"
            return []
    file = download.file
    for name, value in sums.items():
        setattr(file, name, value)
    file.size = len(download.content)
    file_store_blob(file, ContentFile(download.content, name=file.file_name))
    return ["content", "size", "sha1", "sha256", "sha512"]

"""HTTP access to a foreign OParl endpoint.

One ``requests`` session with connection pooling, a timeout on every
request and retries with exponential backoff on connection errors, 429 and
5xx (honouring ``Retry-After``). Failures become :class:`FetchError` with a
German message for the operator; ``status`` tells a missing object (404,
410) from a broken server.
"""

import threading
from dataclasses import dataclass

import requests
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "Gremienportal-OParl-Import/1.0 (+https://oparl.org)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A request failed; ``str(error)`` is the German message."""

    def __init__(self, message: str, *, url: str, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status

    @property
    def not_found(self) -> bool:
        return self.status in (404, 410)


class TooLarge(FetchError):
    pass


@dataclass(frozen=True)
class ClientSettings:
    timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0


class OParlClient:
    """GET JSON and file contents; counts requests (``requests``)."""

    def __init__(self, settings: ClientSettings | None = None):
        self.settings = settings or ClientSettings()
        self._local = threading.local()
        self._lock = threading.Lock()
        self.requests = 0

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            retry = Retry(
                total=None,
                connect=self.settings.retries,
                read=self.settings.retries,
                status=self.settings.retries,
                other=self.settings.retries,
                redirect=10,
                backoff_factor=self.settings.backoff,
                status_forcelist=RETRY_STATUSES,
                allowed_methods=frozenset({"GET"}),
                respect_retry_after_header=True,
                raise_on_status=False,
            )
            adapter = HTTPAdapter(max_retries=retry, pool_maxsize=8)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = USER_AGENT
            self._local.session = session
        return session

    def _get(
        self, url: str, *, stream: bool = False, accept: str = ""
    ) -> requests.Response:
        if not url.lower().startswith(("http://", "https://")):
            raise FetchError(
                _("“%(url)s” is not a web address (http or https).") % {"url": url},
                url=url,
            )
        with self._lock:
            self.requests += 1
        headers = {"Accept": accept} if accept else {}
        timeout = (min(10.0, self.settings.timeout), self.settings.timeout)
        try:
            response = self._session().get(
                url, timeout=timeout, stream=stream, headers=headers
            )
        except requests.RequestException as error:
            raise FetchError(
                _("%(url)s cannot be reached: %(error)s")
                % {"url": url, "error": _reason(error)},
                url=url,
            ) from error
        if response.status_code >= 400:
            response.close()
            raise FetchError(
                _("%(url)s answers with HTTP status %(status)s.")
                % {"url": url, "status": response.status_code},
                url=url,
                status=response.status_code,
            )
        return response

    def get_json(self, url: str) -> dict:
        """The JSON object at ``url`` (an OParl object or list page)."""
        response = self._get(url, accept="application/json")
        try:
            data = response.json()
        except ValueError as error:
            raise FetchError(
                _("%(url)s does not answer with JSON, so it is no OParl interface.")
                % {"url": url},
                url=url,
            ) from error
        if not isinstance(data, dict):
            raise FetchError(
                _("%(url)s does not answer with an OParl object.") % {"url": url},
                url=url,
            )
        return data

    def download(self, url: str, *, max_bytes: int) -> bytes:
        """The content at ``url``; :class:`TooLarge` beyond ``max_bytes``."""
        response = self._get(url, stream=True)
        too_large = TooLarge(
            _("%(url)s is larger than %(limit)s MB.")
            % {"url": url, "limit": max_bytes // 2**20},
            url=url,
        )
        with response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise too_large
            chunks, size = [], 0
            try:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    size += len(chunk)
                    if size > max_bytes:
                        raise too_large
                    chunks.append(chunk)
            except requests.RequestException as error:
                raise FetchError(
                    _("%(url)s cannot be reached: %(error)s")
                    % {"url": url, "error": _reason(error)},
                    url=url,
                ) from error
        return b"".join(chunks)


def _reason(error: requests.RequestException) -> str:
    """The innermost cause, without urllib3's pool and object reprs."""
    if isinstance(error, requests.Timeout):
        return _("no answer in time")
    if isinstance(error, requests.ConnectionError):
        return _("connection failed")
    if isinstance(error, requests.exceptions.RetryError):
        return _("too many failed attempts")
    return error.__class__.__name__

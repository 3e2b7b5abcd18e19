"""Page cache of the public portal.

Anonymous visitors make almost all requests, and the same pages (the
calendar, the next meeting, a much-discussed paper) are read many times
between two changes. An anonymous GET answered with a plain 200 page is
therefore kept in the cache (Redis when ``REDIS_URL`` is set, so all server
processes share it) under scheme, host and path with query string; the
address also decides the language (``/en/…`` English, everything else German).

Correctness comes first: every saved change of council data or of a portal
page raises one version number, and a kept page carries the version it was
rendered under, so the next request after a change renders afresh. The
version is raised at once (a test or a request in the same process sees the
change immediately) and again after the commit (a page rendered by another
process between the save and the commit is not kept). Changes that bypass
model signals (``QuerySet.update``) are picked up after
``GREMIEN_PAGE_CACHE_SECONDS`` at the latest.

The work is split in two:

- ``PortalPageCache`` wraps the ASGI application (``config/asgi.py``). It
  answers a hit itself, before Django, with one cache round trip (the version
  and the page in one ``MGET``) and no thread: a hit costs a fraction of a
  millisecond instead of Django's whole request cycle. On a miss it passes the
  request on and keeps the answer if Django marked it as cacheable.
- ``PortalPageCacheMiddleware`` (right after ``SecurityMiddleware``) decides
  whether an answer may be kept: it must be a plain 200 page without cookies,
  not personal (``Vary: Cookie``, ``private``) and not streamed. It marks such
  answers ``X-Portal-Cache: miss``.

Only ASGI requests are cached (Daphne in development, uvicorn in production);
Django's test client and WSGI always render.
"""

import asyncio
import hashlib
import json
import re
import time
import weakref
from datetime import timedelta

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.timezone import localtime

VERSION_KEY = "portal-page-version"
#: Apps whose data appears on public pages.
WATCHED_APPS = {"gremien", "documents", "meetings", "publicportal", "wagtailcore"}
#: Addresses outside the portal's pages: never cached.
UNCACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/i18n/")
#: The mark of a cacheable answer (set by the middleware) and of a hit.
MARK_HEADER = b"x-portal-cache"
#: Pages above this size are not kept (none of the portal's pages is near it).
MAX_PAGE_BYTES = 4 * 1024 * 1024
#: The scope entry by which the wrapper tells the middleware that it may mark.
SCOPE_FLAG = "gremien.page_cache"

_shared = {}


def _cache():
    """One cache client per process, shared by all threads and requests.

    ``django.core.cache.cache`` is a new client per request under ASGI (one
    per async context), so each request would open a new connection to Redis.
    Both Redis' and the local-memory backend are safe to share between
    threads."""
    client = _shared.get("cache")
    if client is None:
        client = _shared["cache"] = caches.create_connection(DEFAULT_CACHE_ALIAS)
    return client


def _settings_changed(setting, **kwargs):
    if setting in ("CACHES", "GREMIEN_PAGE_CACHE_SECONDS"):
        _shared.clear()


setting_changed.connect(_settings_changed)


def cache_seconds() -> int:
    return getattr(settings, "GREMIEN_PAGE_CACHE_SECONDS", 3600)


def _timeout() -> int:
    """Seconds to keep a page: ``cache_seconds()``, but not past local
    midnight, when "upcoming" and "past" meetings change without a save."""
    now = localtime()
    midnight = (now + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # timestamps, not wall-clock difference: right on the days of a DST change
    left = int(midnight.timestamp() - now.timestamp()) + 1
    return max(1, min(cache_seconds(), left))


# --- the version -------------------------------------------------------------


def version() -> int:
    """The current version of all cached pages: raised by every saved change
    of council data or portal pages.

    A missing version (a new or emptied cache, or Redis evicted it) starts at
    the clock in nanoseconds, above every number used before, so that a page
    kept under an earlier version never becomes current again."""
    current = _cache().get(VERSION_KEY)
    if current is None:
        _cache().add(VERSION_KEY, time.time_ns(), timeout=None)
        current = _cache().get(VERSION_KEY)
    return current


def bump_version() -> None:
    """Make every cached page stale."""
    try:
        _cache().incr(VERSION_KEY)
    except ValueError:  # no version yet: a new start above all earlier ones
        _cache().add(VERSION_KEY, time.time_ns(), timeout=None)


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label not in WATCHED_APPS:
        return
    if sender._meta.model_name == "searchentry":
        return
    bump_version()
    transaction.on_commit(bump_version)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"portal-cache-{id(signal)}")


# --- kept pages ----------------------------------------------------------------


def _pack(page_version: int, status: int, headers: list, body: bytes) -> bytes:
    head = {
        "version": page_version,
        "status": status,
        "headers": [
            [name.decode("latin-1"), value.decode("latin-1")] for name, value in headers
        ],
    }
    return json.dumps(head, separators=(",", ":")).encode() + b"\n" + body


def _unpack(blob: bytes) -> tuple[dict, bytes]:
    head, _, body = blob.partition(b"\n")
    return json.loads(head), body


class _DjangoStore:
    """Pages in Django's cache (local memory per process, or any backend
    other than Redis): the cache's own client, in a thread unless it is the
    local-memory cache, which needs none."""

    def __init__(self, cache):
        self.cache = cache
        self.inline = isinstance(cache, LocMemCache)

    def _get(self, key):
        found = self.cache.get_many([VERSION_KEY, key])
        return found.get(VERSION_KEY), found.get(key)

    async def get(self, key: str) -> tuple[int | None, bytes | None]:
        if self.inline:
            return self._get(key)
        return await sync_to_async(self._get, thread_sensitive=False)(key)

    async def close(self) -> None:
        pass

    async def set(self, key: str, blob: bytes, timeout: int) -> None:
        if self.inline:
            self.cache.set(key, blob, timeout)
        else:
            await sync_to_async(self.cache.set, thread_sensitive=False)(
                key, blob, timeout
            )


class _RedisStore:
    """Pages in Redis, read and written with redis-py's asyncio client (one
    per event loop), beside the keys of Django's cache: the version is the
    one Django's cache keeps (an integer, stored as such); pages are plain
    bytes under the cache's key prefix."""

    def __init__(self, cache: RedisCache):
        self.cache = cache
        self.clients = weakref.WeakKeyDictionary()

    def _client(self):
        import redis.asyncio

        loop = asyncio.get_running_loop()
        client = self.clients.get(loop)
        if client is None:
            client = self.clients[loop] = redis.asyncio.Redis.from_url(_redis_url())
        return client

    async def get(self, key: str) -> tuple[int | None, bytes | None]:
        raw_version, blob = await self._client().mget(
            self.cache.make_key(VERSION_KEY), self.cache.make_key(key)
        )
        return (None if raw_version is None else int(raw_version)), blob

    async def set(self, key: str, blob: bytes, timeout: int) -> None:
        await self._client().set(self.cache.make_key(key), blob, ex=timeout)

    async def close(self) -> None:
        client = self.clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


def _redis_url() -> str:
    """The (first, i.e. writing) server of the default cache's ``LOCATION``."""
    location = settings.CACHES[DEFAULT_CACHE_ALIAS]["LOCATION"]
    if isinstance(location, str):
        location = re.split("[;,]", location)
    return location[0]


def _store():
    store = _shared.get("store")
    if store is None:
        cache = _cache()
        kind = _RedisStore if isinstance(cache, RedisCache) else _DjangoStore
        store = _shared["store"] = kind(cache)
    return store


async def close() -> None:
    """Close the running event loop's connection to the cache: for an event
    loop that ends before the process (a test's request), not for a server,
    whose one loop lives as long as its process."""
    store = _shared.get("store")
    if store is not None:
        await store.close()


# --- the ASGI wrapper ------------------------------------------------------------


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


def _anonymous(scope) -> bool:
    cookie = _header(scope, b"cookie")
    if not cookie:
        return True
    name = settings.SESSION_COOKIE_NAME.encode()
    return not any(part.strip().startswith(name + b"=") for part in cookie.split(b";"))


def _page_key(scope) -> str:
    """Scheme (as Django sees it behind a proxy), host, path and query: the
    path also carries the language."""
    raw = b"|".join(
        [
            scope.get("scheme", "http").encode(),
            _header(scope, b"x-forwarded-proto") or b"",
            _header(scope, b"host") or b"",
            scope.get("root_path", "").encode() + scope["path"].encode(),
            scope.get("query_string", b""),
        ]
    )
    return f"portal-page:{hashlib.sha256(raw).hexdigest()}"


def _cacheable_request(scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] in ("GET", "HEAD")
        and cache_seconds() > 0
        and not scope["path"].startswith(UNCACHED_PREFIXES)
        and _anonymous(scope)
    )


async def _answer(scope, send, head: dict, body: bytes) -> None:
    """Send a kept page (or ``304 Not Modified`` for a matching ETag)."""
    headers = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in head["headers"]
        if name.lower() != "x-portal-cache"
    ]
    etag = next((v for n, v in headers if n.lower() == b"etag"), None)
    if etag is not None and _header(scope, b"if-none-match") == etag:
        kept = {b"etag", b"vary", b"cache-control", b"content-language"}
        headers = [(n, v) for n, v in headers if n.lower() in kept]
        status, body = 304, b""
    else:
        status = head["status"]
    headers.append((MARK_HEADER, b"hit"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send(
        {
            "type": "http.response.body",
            "body": b"" if scope["method"] == "HEAD" else body,
        }
    )


class PortalPageCache:
    """ASGI wrapper: serve kept portal pages, keep those Django marked.

    Requests for a page that another request of this process is rendering
    under the same version wait for that page instead of rendering it again:
    after a change, a busy page is rendered once per process, not once per
    visitor."""

    def __init__(self, app):
        self.app = app
        self.rendering: dict[tuple[str, int], asyncio.Future] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _cacheable_request(scope):
            return await self.app(scope, receive, send)
        store, key = _store(), _page_key(scope)
        current, blob = await store.get(key)
        if current is None:  # no version yet (new or emptied cache)
            current = await sync_to_async(version, thread_sensitive=False)()
        if blob is not None:
            head, body = _unpack(blob)
            if head["version"] == current:
                return await _answer(scope, send, head, body)
        underway = self.rendering.get((key, current))
        if underway is not None:
            blob = await asyncio.shield(underway)
            if blob is not None:
                return await _answer(scope, send, *_unpack(blob))
            return await self._render(scope, receive, send, current)
        future = asyncio.get_running_loop().create_future()
        self.rendering[key, current] = future
        blob = None
        try:
            blob = await self._render(scope, receive, send, current)
        finally:
            del self.rendering[key, current]
            future.set_result(blob)
        if blob is not None:
            await store.set(key, blob, _timeout())

    async def _render(self, scope, receive, send, current: int) -> bytes | None:
        """Let Django answer; the answer packed for the cache if Django marked
        it as cacheable, else ``None``."""
        scope = dict(scope, **{SCOPE_FLAG: True})
        keep = scope["method"] == "GET"
        start, chunks, size = None, [], 0

        async def capture(message):
            nonlocal start, keep, size
            if message["type"] == "http.response.start":
                start = message
                keep = keep and _marked(message["headers"])
            elif keep and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                keep = size <= MAX_PAGE_BYTES
            await send(message)

        await self.app(scope, receive, capture)
        if not keep or start is None:
            return None
        # the version read before rendering: a change while the page was
        # being rendered has raised it, and the page is stale at once
        return _pack(current, start["status"], start["headers"], b"".join(chunks))


def _marked(headers) -> bool:
    return any(name.lower() == MARK_HEADER for name, _ in headers)


# --- the Django middleware -------------------------------------------------------


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PortalPageCacheMiddleware:
    """Mark the answers the page cache may keep. Place it right after
    ``SecurityMiddleware``, so that it sees what sessions, CSRF and
    authentication did to the answer (cookies, ``Vary: Cookie``)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def _mark(self, request, response):
        if getattr(request, "scope", {}).get(SCOPE_FLAG) and _cacheable_response(
            response
        ):
            response["X-Portal-Cache"] = "miss"
        return response

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        return self._mark(request, self.get_response(request))

    async def __acall__(self, request):
        return self._mark(request, await self.get_response(request))

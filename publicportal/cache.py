"""Page cache of the public portal.

Anonymous visitors make almost all requests, and the same pages (the
calendar, the next meeting, a much-discussed paper) are read many times
between two changes. An anonymous GET answered with a plain 200 page is
therefore kept in the cache (Redis when ``REDIS_URL`` is set, so all server
processes share it) under host, path with query string and language.

Correctness comes first: every saved change of council data or of a portal
page raises one version number, which is part of every key, so the next
request renders afresh. The version is raised at once (a test or a request in
the same process sees the change immediately) and again after the commit (a
page rendered by another process between the save and the commit is not kept).
Changes that bypass model signals (``QuerySet.update``) are picked up after
``GREMIEN_PAGE_CACHE_SECONDS`` at the latest.

A hit must be cheap (a few milliseconds, no database): the middleware sits
right after ``SecurityMiddleware``, before sessions, locale and Wagtail's
redirects (one query per request), takes the language from the address as
``LocaleMiddleware`` would (``/en/…`` English, everything else German) and, under
ASGI, runs without a thread of its own except for one cache look-up.
"""

import hashlib
from datetime import timedelta

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.utils.timezone import localtime
from django.utils.translation import get_language_from_path

VERSION_KEY = "portal-page-version"
#: Apps whose data appears on public pages.
WATCHED_APPS = {"gremien", "documents", "meetings", "publicportal", "wagtailcore"}


_shared = {}


def _cache():
    """One cache client per process, shared by all threads and requests.

    ``django.core.cache.cache`` is a new client per request under ASGI (one
    per async context), so each request would open a new connection to Redis
    (~4 ms of a hit). Both Redis' and the local-memory backend are safe to
    share between threads."""
    client = _shared.get("cache")
    if client is None:
        client = _shared["cache"] = caches.create_connection(DEFAULT_CACHE_ALIAS)
    return client


def _settings_changed(setting, **kwargs):
    if setting == "CACHES":
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


def version() -> int:
    """The current version of all cached pages: raised by every saved change
    of council data or portal pages."""
    current = _cache().get(VERSION_KEY)
    if current is None:
        _cache().add(VERSION_KEY, 1, timeout=None)
        current = _cache().get(VERSION_KEY, 1)
    return current


def bump_version() -> None:
    """Make every cached page stale."""
    try:
        _cache().incr(VERSION_KEY)
    except ValueError:
        _cache().add(VERSION_KEY, 2, timeout=None)


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


#: Addresses outside the portal's language-prefixed pages: never cached.
UNCACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/i18n/")


def _language(request) -> str:
    """The page's language as ``LocaleMiddleware`` will pick it for the
    portal's ``i18n_patterns`` (``prefix_default_language=False``): the
    address prefix, else the default language."""
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _key(request) -> str:
    raw = "|".join([request.get_host(), request.get_full_path(), _language(request)])
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"portal-page:{version()}:{digest}"


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and cache_seconds() > 0
        and not request.path.startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _lookup(request):
    """``(key, cached response or None)``; key ``None``: not cacheable."""
    if not _cacheable_request(request):
        return None, None
    key = _key(request)
    cached = _cache().get(key)
    if cached is not None:
        etag = cached.get("ETag")
        if etag and request.headers.get("If-None-Match") == etag:
            cached = HttpResponseNotModified(headers={"ETag": etag})
        cached["X-Portal-Cache"] = "hit"
    return key, cached


def _store(key, response):
    if _cacheable_response(response):
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        _cache().set(key, response, _timeout())
        response["X-Portal-Cache"] = "miss"
    return response


class PortalPageCacheMiddleware:
    """Serve and keep anonymous portal pages. Place it right after
    ``SecurityMiddleware``: everything behind it (sessions, locale, CSRF,
    authentication, Wagtail's redirects) is skipped on a hit, and the stored
    answer already carries their headers (``Vary``, ``Content-Language``)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        key, cached = _lookup(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        return response if key is None else _store(key, response)

    async def __acall__(self, request):
        if not _cacheable_request(request):
            return await self.get_response(request)
        key, cached = await sync_to_async(_lookup, thread_sensitive=False)(request)
        if cached is not None:
            return cached
        response = await self.get_response(request)
        return await sync_to_async(_store, thread_sensitive=False)(key, response)

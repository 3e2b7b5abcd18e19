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
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.utils.translation import get_language

VERSION_KEY = "portal-page-version"
#: Apps whose data appears on public pages.
WATCHED_APPS = {"gremien", "documents", "meetings", "publicportal", "wagtailcore"}


def cache_seconds() -> int:
    return getattr(settings, "GREMIEN_PAGE_CACHE_SECONDS", 120)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version() -> None:
    """Make every cached page stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


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


def _key(request) -> str:
    raw = "|".join([request.get_host(), request.get_full_path(), get_language() or ""])
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"portal-page:{_version()}:{digest}"


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and cache_seconds() > 0
        and not request.path.startswith(("/admin/", "/static/"))
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


class PortalPageCacheMiddleware:
    """Serve and keep anonymous portal pages; place it after
    ``LocaleMiddleware`` (the language is part of the key)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            etag = cached.get("ETag")
            if etag and request.headers.get("If-None-Match") == etag:
                cached = HttpResponseNotModified(headers={"ETag": etag})
            cached["X-Portal-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cache.set(key, response, cache_seconds())
            response["X-Portal-Cache"] = "miss"
        return response

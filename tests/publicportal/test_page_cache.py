"""The page cache serves anonymous visitors but never a stale page after a
change, and never caches what is personal.

The cache sits in front of Django in the ASGI application, so these tests
send their requests through ``config.asgi.application`` as Daphne or uvicorn
would, not through Django's test client (which never sees the cache)."""

import asyncio
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config.asgi import application
from documents.models import File
from publicportal import cache as page_cache
from publicportal.links import file_name


@dataclass
class Answer:
    status: int
    headers: dict
    content: bytes

    def __getitem__(self, name):
        return self.headers[name.lower()]

    def __contains__(self, name):
        return name.lower() in self.headers


async def _request(url, method="GET", host="testserver", **headers) -> Answer:
    parts = urlsplit(url)
    raw_headers = [(b"host", host.encode())] + [
        (name.replace("_", "-").lower().encode(), value.encode())
        for name, value in headers.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages, requested = [], False

    async def receive():
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Future()  # the client stays connected

    async def send(message):
        messages.append(message)

    await application(scope, receive, send)
    start = messages[0]
    return Answer(
        status=start["status"],
        headers={k.decode().lower(): v.decode() for k, v in start["headers"]},
        content=b"".join(m.get("body", b"") for m in messages[1:]),
    )


def asgi_together(*requests: dict) -> list[Answer]:
    """Requests (keyword arguments of ``_request``) at the same time through
    the whole ASGI application, in one event loop."""

    async def together():
        try:
            return await asyncio.gather(*(_request(**r) for r in requests))
        finally:
            await page_cache.close()  # this event loop ends with the requests

    # as Django's test client does: keep the test's transaction open
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return async_to_sync(together)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def asgi(url, **options) -> Answer:
    """One request through the whole ASGI application."""
    return asgi_together(dict(url=url, **options))[0]


@pytest.fixture
def cached(settings):
    settings.GREMIEN_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_a_page_is_served_from_the_cache_until_something_changes(world, cached):
    url = "/en/sitzungen/?zeitraum=vergangen"
    first = asgi(url)
    second = asgi(url)
    assert first["X-Portal-Cache"] == "miss"
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]

    world.held_meeting.name = "Sondersitzung des Bauausschusses"
    world.held_meeting.save()
    third = asgi(url)
    assert third["X-Portal-Cache"] == "miss"
    assert "Sondersitzung des Bauausschusses" in third.content.decode()


# Django turns an exception of a view into its error page in a thread of its
# own under ASGI, with a database connection of its own: it must see the
# test's data, so these tests commit it.
def test_switching_a_paper_to_non_public_takes_it_off_at_once(
    transactional_db, world, cached
):
    url = f"/vorlagen/{world.public_paper.reference.replace('/', '-')}/"
    assert asgi(url).status == 200
    assert asgi(url)["X-Portal-Cache"] == "hit"
    world.public_paper.public = False
    world.public_paper.save()
    assert asgi(url).status == 404


def test_logged_in_users_and_forms_bypass_the_cache(world, client, cached):
    form = asgi("/barrierefreiheit/")
    assert form.status == 200
    assert "X-Portal-Cache" not in form, "a page with a CSRF token is personal"
    assert "X-Portal-Cache" not in asgi("/barrierefreiheit/")

    assert asgi("/sitzungen/")["X-Portal-Cache"] == "miss"
    client.force_login(world.clerk)
    session = client.cookies["sessionid"].value
    page = asgi("/sitzungen/", cookie=f"theme=dark; sessionid={session}")
    assert page.status == 200
    assert "X-Portal-Cache" not in page, "a logged-in user never gets a kept page"


def test_a_cached_calendar_feed_still_answers_not_modified(world, cached):
    first = asgi("/feeds/sitzungen.ics")
    second = asgi("/feeds/sitzungen.ics", if_none_match=first["ETag"])
    assert first.status == 200 and first["ETag"]
    assert second.status == 304
    assert second.content == b""
    assert second["X-Portal-Cache"] == "hit"
    assert second["ETag"] == first["ETag"]


def test_a_hit_needs_no_database(world, cached, django_assert_num_queries):
    url = "/sitzungen/?zeitraum=vergangen"
    asgi(url)
    with django_assert_num_queries(0):
        hit = asgi(url)
    assert hit["X-Portal-Cache"] == "hit"
    assert hit.status == 200


def test_each_language_has_its_own_cached_page(world, cached):
    german = asgi("/sitzungen/")
    english = asgi("/en/sitzungen/")
    again = asgi("/en/sitzungen/")
    assert german["Content-Language"] == "de"
    assert english["X-Portal-Cache"] == "miss"
    assert again["X-Portal-Cache"] == "hit"
    assert again["Content-Language"] == "en"
    assert 'lang="en"' in again.content.decode()


def test_each_host_has_its_own_cached_page(world, cached):
    asgi("/sitzungen/")
    other = asgi("/sitzungen/", host="localhost")
    assert other["X-Portal-Cache"] == "miss"


def test_a_head_request_gets_the_headers_of_a_kept_page_without_body(world, cached):
    page = asgi("/sitzungen/")
    head = asgi("/sitzungen/", method="HEAD")
    assert head["X-Portal-Cache"] == "hit"
    assert head["Content-Length"] == page["Content-Length"]
    assert head.content == b""


def test_errors_and_downloads_are_not_kept(transactional_db, world, cached):
    missing = asgi("/vorlagen/VO-1999-9999/")
    assert missing.status == 404
    assert "X-Portal-Cache" not in missing
    assert "X-Portal-Cache" not in asgi("/vorlagen/VO-1999-9999/")

    file = File.objects.get(paper=world.public_paper, restricted=False)
    download = asgi(f"/dateien/{file.pk}/{quote(file_name(file))}")
    assert download.status == 200 and download.content.startswith(b"%PDF")
    assert "X-Portal-Cache" not in download, "each download checks visibility"


def test_without_the_page_cache_every_request_renders(world, settings):
    settings.GREMIEN_PAGE_CACHE_SECONDS = 0
    asgi("/sitzungen/")
    assert "X-Portal-Cache" not in asgi("/sitzungen/")


def test_visitors_asking_at_once_share_one_rendering(world, cached):
    rendered = []

    def count(**kwargs):
        rendered.append(kwargs)

    request_started.connect(count)
    try:
        answers = asgi_together(*[{"url": "/sitzungen/"}] * 3)
    finally:
        request_started.disconnect(count)
    assert len(rendered) == 1, "Django rendered the page once"
    assert [a.status for a in answers] == [200, 200, 200]
    assert sorted(a["X-Portal-Cache"] for a in answers) == ["hit", "hit", "miss"]
    assert answers[0].content == answers[1].content == answers[2].content

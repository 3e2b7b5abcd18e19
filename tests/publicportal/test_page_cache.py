"""The page cache serves anonymous visitors but never a stale page after a
change, and never caches what is personal."""

import pytest
from django.core.cache import cache


@pytest.fixture
def cached(settings):
    settings.GREMIEN_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_a_page_is_served_from_the_cache_until_something_changes(world, client, cached):
    url = "/en/sitzungen/?zeitraum=vergangen"
    first = client.get(url)
    second = client.get(url)
    assert first["X-Portal-Cache"] == "miss"
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content

    world.held_meeting.name = "Sondersitzung des Bauausschusses"
    world.held_meeting.save()
    third = client.get(url)
    assert third["X-Portal-Cache"] == "miss"
    assert "Sondersitzung des Bauausschusses" in third.content.decode()


def test_switching_a_paper_to_non_public_takes_it_off_at_once(world, client, cached):
    url = f"/vorlagen/{world.public_paper.reference.replace('/', '-')}/"
    assert client.get(url).status_code == 200
    world.public_paper.public = False
    world.public_paper.save()
    assert client.get(url).status_code == 404


def test_logged_in_users_and_forms_bypass_the_cache(world, client, cached):
    form = client.get("/barrierefreiheit/")
    assert "X-Portal-Cache" not in form, "a page with a CSRF token is personal"
    client.force_login(world.clerk)
    page = client.get("/sitzungen/")
    assert "X-Portal-Cache" not in page


def test_a_cached_calendar_feed_still_answers_not_modified(world, client, cached):
    first = client.get("/feeds/sitzungen.ics")
    second = client.get("/feeds/sitzungen.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and first["ETag"]
    assert second.status_code == 304
    assert second["X-Portal-Cache"] == "hit"


def test_a_hit_needs_no_database(world, client, cached, django_assert_num_queries):
    url = "/sitzungen/?zeitraum=vergangen"
    client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit["X-Portal-Cache"] == "hit"


def test_each_language_has_its_own_cached_page(world, client, cached):
    german = client.get("/sitzungen/")
    english = client.get("/en/sitzungen/")
    again = client.get("/en/sitzungen/")
    assert german["Content-Language"] == "de"
    assert english["X-Portal-Cache"] == "miss"
    assert again["X-Portal-Cache"] == "hit"
    assert again["Content-Language"] == "en"
    assert 'lang="en"' in again.content.decode()

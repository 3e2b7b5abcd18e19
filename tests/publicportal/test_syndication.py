"""RSS and Atom feeds and the subscription page, as a feed reader and a
visitor see them."""

import xml.etree.ElementTree as ET

import pytest

from publicportal.links import meeting_key, paper_key

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "http://neuhausen.localhost"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own response, not untrusted)


def rss_items(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = parse_xml(response.content).find("channel")
    return [
        {child.tag: (child.text or "") for child in item}
        for item in channel.findall("item")
    ]


def atom_entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = parse_xml(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "id": entry.findtext(f"{ATOM}id"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def paper_url(paper) -> str:
    return f"{SITE}/vorlagen/{paper_key(paper)}/"


def meeting_url(meeting) -> str:
    return f"{SITE}/sitzungen/{meeting_key(meeting)}/"


def test_papers_feed_lists_public_papers_with_links(client, world):
    [item] = rss_items(client, "/feeds/vorlagen.rss")
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in item["title"]
    assert item["link"] == paper_url(world.public_paper)
    assert item["guid"].startswith("urn:uuid:")
    assert item["pubDate"]
    assert "Wohnungen am Mühlenbach" in item["description"]
    assert "<p>" not in item["description"], "a plain-text summary"

    [entry] = atom_entries(client, "/feeds/vorlagen.atom")
    assert entry["link"] == paper_url(world.public_paper)
    assert entry["id"] == item["guid"], "the same stable id in both formats"


def test_meetings_feed_lists_invited_public_meetings(client, world):
    items = rss_items(client, "/feeds/sitzungen.rss")
    links = {item["link"] for item in items}
    assert links == {
        meeting_url(world.held_meeting),
        meeting_url(world.council_meeting),
        meeting_url(world.cancelled),
    }
    cancelled = next(i for i in items if i["link"] == meeting_url(world.cancelled))
    assert cancelled["guid"] == world.cancelled.uid.urn
    entries = atom_entries(client, "/feeds/sitzungen.atom")
    assert {entry["link"] for entry in entries} == links


def test_minutes_feed_lists_published_minutes(client, world):
    [item] = rss_items(client, "/feeds/niederschriften.rss")
    assert item["link"] == meeting_url(world.held_meeting)
    assert "3. Sitzung des Bauausschusses" in item["title"]
    [entry] = atom_entries(client, "/feeds/niederschriften.atom")
    assert entry["link"] == meeting_url(world.held_meeting)


def test_feeds_of_one_organization(client, world):
    bau, council = world.bau.pk, world.council.pk
    assert {
        i["link"] for i in rss_items(client, f"/feeds/sitzungen.rss?gremium={bau}")
    } == {
        meeting_url(world.held_meeting),
        meeting_url(world.cancelled),
    }
    assert {
        i["link"] for i in rss_items(client, f"/feeds/sitzungen.rss?gremium={council}")
    } == {meeting_url(world.council_meeting)}
    assert len(rss_items(client, f"/feeds/niederschriften.rss?gremium={bau}")) == 1
    assert rss_items(client, f"/feeds/niederschriften.rss?gremium={council}") == []
    [paper] = rss_items(client, f"/feeds/vorlagen.rss?gremium={bau}")
    assert paper["link"] == paper_url(world.public_paper)
    assert rss_items(client, f"/feeds/vorlagen.rss?gremium={world.fraction.pk}") == []


def test_feed_titles_follow_the_language(client, world):
    response = client.get("/en/feeds/vorlagen.rss")
    channel = parse_xml(response.content).find("channel")
    assert channel.findtext("title") == "Stadt Neuhausen: new papers"
    assert channel.findtext("language") == "en"
    response = client.get(f"/en/feeds/sitzungen.atom?gremium={world.bau.pk}")
    feed = parse_xml(response.content)
    assert feed.findtext(f"{ATOM}title") == "Stadt Neuhausen – Bauausschuss: meetings"


def test_no_feed_shows_anything_non_public(client, world):
    for name in ("vorlagen", "sitzungen", "niederschriften"):
        for fmt in ("rss", "atom"):
            for query in (
                "",
                f"?gremium={world.bau.pk}",
                f"?gremium={world.fraction.pk}",
            ):
                url = f"/feeds/{name}.{fmt}{query}"
                response = client.get(url)
                assert response.status_code == 200, url
                assert world.marker.encode() not in response.content, url


def test_paper_made_non_public_leaves_the_feed(client, world):
    world.public_paper.public = False
    world.public_paper.save(update_fields=["public", "modified"])
    assert rss_items(client, "/feeds/vorlagen.rss") == []
    assert atom_entries(client, "/feeds/vorlagen.atom") == []


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/unbekannt.rss",
        "/feeds/sitzung-1.rss",
        "/feeds/vorlagen.atom?gremium=x",
        "/feeds/niederschriften.rss?gremium=999999",
    ],
)
def test_unknown_news_feeds_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_subscription_page_lists_all_feeds(client, world):
    response = client.get("/en/abonnieren/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for path in (
        "/en/feeds/sitzungen.ics",
        "/en/feeds/vorlagen.rss",
        "/en/feeds/vorlagen.atom",
        "/en/feeds/sitzungen.rss",
        "/en/feeds/niederschriften.atom",
        f"/en/feeds/sitzungen.ics?gremium={world.bau.pk}",
        f"/en/feeds/vorlagen.rss?gremium={world.council.pk}",
        f"/en/feeds/niederschriften.rss?gremium={world.bau.pk}",
    ):
        assert f"{SITE}{path}" in html, path
    assert "webcal://neuhausen.localhost/en/feeds/sitzungen.ics" in html
    assert '<th scope="row">' in html and '<th scope="col">' in html
    assert f"gremium={world.fraction.pk}" not in html, "committees only"
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert world.marker not in html

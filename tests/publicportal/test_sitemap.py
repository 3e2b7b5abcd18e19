"""``sitemap.xml``: every public page of the portal, nothing else."""

import xml.etree.ElementTree as ET

from publicportal.links import meeting_key, organization_key, paper_key

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://neuhausen.localhost"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own response, not untrusted)


def sitemap_locations(client, url="/sitemap.xml") -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    assert root.tag == f"{NS}urlset"
    for entry in root.findall(f"{NS}url"):
        assert entry.findtext(f"{NS}loc").startswith(SITE)
    return {entry.findtext(f"{NS}loc") for entry in root.findall(f"{NS}url")}


def test_sitemap_lists_the_public_pages(client, world):
    locations = sitemap_locations(client)

    assert f"{SITE}/" in locations
    for path in ("sitzungen/", "vorlagen/", "gremien/", "personen/", "abonnieren/"):
        assert f"{SITE}/{path}" in locations
    for meeting in (world.held_meeting, world.council_meeting, world.cancelled):
        assert f"{SITE}/sitzungen/{meeting_key(meeting)}/" in locations
    assert f"{SITE}/vorlagen/{paper_key(world.public_paper)}/" in locations
    assert f"{SITE}/gremien/{organization_key(world.bau)}/" in locations
    person_urls = [loc for loc in locations if "/personen/" in loc]
    assert any(f"/personen/{world.chair.pk}-" in loc for loc in person_urls)
    assert any(loc.endswith("/impressum/") for loc in locations), "content pages"


def test_sitemap_leaves_out_everything_non_public(client, world):
    response = client.get("/sitemap.xml")
    text = response.content.decode()
    locations = sitemap_locations(client)

    assert world.marker not in text
    assert f"/sitzungen/{meeting_key(world.closed_meeting)}/" not in text
    assert f"/vorlagen/{paper_key(world.secret_paper)}/" not in text
    assert f"/vorlagen/{paper_key(world.draft_paper)}/" not in text
    assert not any(f"/personen/{world.clerk_person.pk}-" in loc for loc in locations)


def test_meeting_made_non_public_leaves_the_sitemap(client, world):
    world.council_meeting.public = False
    world.council_meeting.save(update_fields=["public", "modified"])
    locations = sitemap_locations(client)
    assert f"{SITE}/sitzungen/{meeting_key(world.council_meeting)}/" not in locations


def test_english_sitemap_and_sections(client, world):
    locations = sitemap_locations(client, "/en/sitemap.xml")
    assert f"{SITE}/en/vorlagen/{paper_key(world.public_paper)}/" in locations
    section = sitemap_locations(client, "/sitemap.xml?section=vorlagen")
    assert section == {f"{SITE}/vorlagen/{paper_key(world.public_paper)}/"}
    assert client.get("/sitemap.xml?section=geheim").status_code == 404
    assert client.get("/sitemap.xml?p=2").status_code == 404

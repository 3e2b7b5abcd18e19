"""Reading the OParl API as a client does: requests, walking lists, and
looking into what came back."""

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

API = "/oparl/v1.1/"
SCHEMA = "https://schema.oparl.org/1.1/"
#: A JSON answer's content type.
JSON_TYPE = "application/json; charset=utf-8"
#: Required properties that may be empty lists (OParl: Body.legislativeTerm).
REQUIRED_EMPTY = {"legislativeTerm"}
#: The address of one object: ``(type path, id)``.
OBJECT_URL = re.compile(r"/oparl/v1\.1/([a-z]+)/(\d+)$")


def local(url: str) -> str:
    """The path and query of an address the API handed out."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def get(client, url: str, status: int = 200, **headers):
    response = client.get(local(url), **headers)
    assert response.status_code == status, (url, response.status_code, response)
    assert response["Access-Control-Allow-Origin"] == "*", url
    return response


def get_json(client, url: str, status: int = 200) -> dict:
    response = get(client, url, status)
    assert response["Content-Type"] == JSON_TYPE
    return json.loads(response.content.decode("utf-8"))


def walk_list(client, url: str) -> Iterator[tuple[dict, dict]]:
    """Every page of a list by ``links.next``: ``(page, entry)`` pairs."""
    while url:
        page = get_json(client, url)
        for entry in page["data"]:
            yield page, entry
        url = page["links"].get("next")


def list_entries(client, url: str) -> list[dict]:
    return [entry for _page, entry in walk_list(client, url)]


def objects_in(value) -> Iterator[dict]:
    """Every OParl object in ``value``, embedded ones included."""
    if isinstance(value, dict):
        if "type" in value and "id" in value:
            yield value
        for item in value.values():
            yield from objects_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects_in(item)


def empty_values(obj: dict, where: str = "") -> list[str]:
    """Properties of ``obj`` and the objects inside it that are ``null``,
    ``""``, ``[]`` or ``{}`` (OParl leaves out what has no value)."""
    found = []
    for key, value in obj.items():
        path = f"{where}.{key}" if where else key
        if value in (None, "", [], {}) and key not in REQUIRED_EMPTY:
            found.append(path)
        elif isinstance(value, dict):
            found += empty_values(value, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if item in (None, "", [], {}):
                    found.append(f"{path}[{index}]")
                elif isinstance(item, dict):
                    found += empty_values(item, f"{path}[{index}]")
    return found


def api_urls(value) -> Iterator[str]:
    """Every string in ``value`` that points into the API."""
    if isinstance(value, str):
        if API in value:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from api_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from api_urls(item)


def object_key(url: str) -> tuple[str, int] | None:
    match = OBJECT_URL.search(urlsplit(url).path)
    return (match[1], int(match[2])) if match else None


def ids(entries) -> set[tuple[str, int]]:
    return {object_key(entry["id"]) for entry in entries}


def contains(content: bytes, marker: str) -> bool:
    text = content.decode("utf-8", errors="replace")
    return marker.lower() in text.lower()


FILE_CONTENT = re.compile(r"/oparl/v1\.1/file/\d+/(access|download)$")


class Crawl:
    """A client walking the whole API from the System object: every list
    with all its pages, every address found in any property.

    ``answers``: address → JSON of every JSON answer; ``lists``: list address
    (without query) → its entries; ``failures``: addresses that did not
    answer as expected."""

    def __init__(self, client, *, query: str = ""):
        self.client = client
        self.query = query
        self.answers: dict[str, dict] = {}
        self.lists: dict[str, list[dict]] = {}
        self.failures: list[str] = []
        self.raw: list[bytes] = []

    def run(self, start: str = API) -> "Crawl":
        queue, seen = [start], {start}
        while queue:
            url = local(queue.pop(0))
            for found in self.visit(url):
                found = local(found)
                if found not in seen:
                    seen.add(found)
                    queue.append(found)
        return self

    def visit(self, url: str) -> list[str]:
        path = urlsplit(url).path
        if FILE_CONTENT.search(path):
            status = self.client.get(url).status_code
            if status not in (200, 302):
                self.failures.append(f"{url}: {status}")
            return []
        if path != API and object_key(path) is None and "?" not in url:
            return self.walk(url)
        answer = self.fetch(url)
        return list(api_urls(answer)) if answer is not None else []

    def walk(self, url: str) -> list[str]:
        entries, found = [], []
        page_url = f"{url}?{self.query}" if self.query else url
        while page_url:
            page = self.fetch(page_url)
            if page is None:
                break
            entries += page["data"]
            found += api_urls(page["data"])
            found += [link for name, link in page["links"].items() if name != "next"]
            page_url = page["links"].get("next")
        self.lists[url] = entries
        return found

    def fetch(self, url: str) -> dict | None:
        response = self.client.get(url)
        self.raw.append(response.content)
        if response.status_code != 200 or response["Content-Type"] != JSON_TYPE:
            self.failures.append(f"{url}: {response.status_code}")
            return None
        if response.get("Access-Control-Allow-Origin") != "*":
            self.failures.append(f"{url}: no CORS header")
        self.answers[url] = answer = json.loads(response.content)
        return answer

    def objects(self) -> dict[tuple[str, int], dict]:
        """Objects fetched at their own address."""
        return {
            object_key(url): answer
            for url, answer in self.answers.items()
            if object_key(url) is not None
        }

    def mentioned(self) -> set[tuple[str, int]]:
        """Every object any answer names, by reference or embedded."""
        return {
            key
            for answer in self.answers.values()
            for url in api_urls(answer)
            if (key := object_key(url)) is not None
        }

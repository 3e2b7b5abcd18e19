"""Full-text search over :class:`~publicportal.models.SearchEntry`: one small
interface, two engines.

- :mod:`publicportal.search.postgres`: on PostgreSQL with the database search
  backend, Django's PostgreSQL full text search on the stored
  ``SearchEntry.search_vector`` (GIN index on ``body_id, search_vector``);
- :mod:`publicportal.search.framework`: everywhere else, Wagtail's search
  framework (SQLite FTS5, Elasticsearch/OpenSearch).

Both take :class:`Criteria` and return :class:`Results`: the total, the
entries of one page and the facet counts (each facet counted with the other
filters applied). The view decides nothing about engines.
"""

from dataclasses import dataclass, field

from django.db import connection
from wagtail.search.backends import get_search_backend

#: Facet names: the ``SearchEntry`` fields counted.
FACETS = ("kind", "organization_id", "year")


@dataclass
class Criteria:
    body_id: int
    query: str
    kind: str = ""
    organization: int | None = None
    year: int | None = None
    sort: str = "relevanz"  # or "datum"
    page: int = 1
    page_size: int = 20

    def filters(self, skip: str = "") -> dict:
        """The field filters of the criteria, without the facet ``skip``."""
        values = {
            "kind": self.kind,
            "organization_id": self.organization,
            "year": self.year,
        }
        return {name: value for name, value in values.items() if value and name != skip}

    @property
    def filtered(self) -> bool:
        return bool(self.filters())


@dataclass
class Results:
    total: int
    #: The page actually shown (clamped to the last page).
    page: int
    pages: int
    #: ``SearchEntry`` objects of the page, best first.
    entries: list = field(default_factory=list)
    #: ``facet name -> {value: count}``; empty when nothing matched unfiltered.
    facets: dict[str, dict] = field(default_factory=dict)


def is_database_backend(backend) -> bool:
    return type(backend).__module__.startswith("modelsearch.backends.database")


def uses_postgres(backend=None) -> bool:
    """Whether the portal searches ``SearchEntry.search_vector`` directly:
    PostgreSQL with Wagtail's database backend (which the fast path replaces;
    an Elasticsearch/OpenSearch backend keeps being used)."""
    if connection.vendor != "postgresql":
        return False
    return is_database_backend(backend or get_search_backend())


def pages_for(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def run_search(criteria: Criteria) -> Results:
    """Search with the engine that fits the database and search backend."""
    if uses_postgres():
        from . import postgres as engine
    else:
        from . import framework as engine
    return engine.run_search(criteria)

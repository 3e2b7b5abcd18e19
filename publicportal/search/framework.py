"""The portal search through Wagtail's search framework: SQLite (FTS5) and
Elasticsearch/OpenSearch. One backend query for the count, one for the page
and one per facet (each with the other filters applied)."""

from modelsearch.backends.base import FilterFieldError
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import parse_query_string

from ..models import SearchEntry
from . import FACETS, Criteria, Results, pages_for


def run_search(criteria: Criteria) -> Results:
    backend = get_search_backend()
    _filters, parsed = parse_query_string(criteria.query, operator="and")

    def run(queryset, *, order_by_relevance=True):
        return backend.search(parsed, queryset, order_by_relevance=order_by_relevance)

    base = SearchEntry.objects.filter(body_id=criteria.body_id)
    queryset = base.filter(**criteria.filters())
    if criteria.sort == "datum":
        # modelsearch orders by FilterFields only (``pk`` is none).
        results = run(queryset.order_by("-date"), order_by_relevance=False)
    else:
        results = run(queryset)
    total = results.count()
    pages = pages_for(total, criteria.page_size)
    page = min(criteria.page, pages)
    start = (page - 1) * criteria.page_size
    entries = list(results[start : start + criteria.page_size])
    facets = {}
    if total or criteria.filtered:
        for name in FACETS:
            facets[name] = _facet(run, base.filter(**criteria.filters(skip=name)), name)
    return Results(total=total, page=page, pages=pages, entries=entries, facets=facets)


def _facet(run, queryset, name: str) -> dict:
    try:
        return dict(run(queryset, order_by_relevance=False).facet(name))
    except (FilterFieldError, NotImplementedError):  # a backend without facets
        return {}

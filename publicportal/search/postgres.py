"""The portal search on PostgreSQL: Django's full text search on the stored
``SearchEntry.search_vector`` (``german`` configuration; title weight A, text
weight B; written by :mod:`publicportal.indexing`).

Two queries per search, both through the GIN index on
``(body_id, search_vector)`` (migration ``0002``):

1. ``GROUP BY kind, organization_id, year`` over the body's matches, without
   the filters: the total and all three facets (each with the other filters
   applied) are sums over these few rows;
2. the page: filters, ``ORDER BY ts_rank(...) DESC, date DESC, id DESC`` (or by
   date), ``LIMIT 20``.

Wagtail's database backend matches ``title || body`` of its own index table,
a concatenated vector no index can serve, so every query read the vectors of
all entries of the body (85 ms each on a district with 8,400 entries).

The query is read by ``websearch_to_tsquery``: words are ANDed, ``"a phrase"``,
``or`` and ``-word`` work, and no input is a syntax error.
"""

from collections import defaultdict

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Value

from ..models import SearchEntry
from . import FACETS, Criteria, Results, pages_for

CONFIG = "german"
#: ``ts_rank`` normalisation 1: divided by 1 + log(length), so that the long
#: text of a file does not outrank a paper with the word in its title.
RANK_NORMALIZATION = 1


def ts_query(text: str) -> SearchQuery:
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def run_search(criteria: Criteria) -> Results:
    query = ts_query(criteria.query)
    matches = SearchEntry.objects.filter(body_id=criteria.body_id, search_vector=query)
    groups = list(
        matches.order_by()
        .values_list(*FACETS)
        .annotate(count=Count("*"))
        .values_list(*FACETS, "count")
    )
    total, facets = count_facets(groups, criteria)
    pages = pages_for(total, criteria.page_size)
    page = min(criteria.page, pages)
    if not total:
        return Results(total=0, page=1, pages=1, facets=facets)
    queryset = matches.filter(**criteria.filters()).defer("search_vector")
    newest = (F("date").desc(nulls_last=True), "-pk")
    if criteria.sort == "datum":
        queryset = queryset.order_by(*newest)
    else:
        rank = SearchRank(
            F("search_vector"), query, normalization=Value(RANK_NORMALIZATION)
        )
        queryset = queryset.annotate(rank=rank).order_by("-rank", *newest)
    start = (page - 1) * criteria.page_size
    entries = list(queryset[start : start + criteria.page_size])
    return Results(total=total, page=page, pages=pages, entries=entries, facets=facets)


def count_facets(groups, criteria: Criteria) -> tuple[int, dict[str, dict]]:
    """``total`` and ``facet -> {value: count}`` from ``(kind, organization_id,
    year, count)`` rows: drill-down counts, each facet with the other filters
    applied."""
    wanted = criteria.filters()
    total = 0
    facets: dict[str, dict] = {name: defaultdict(int) for name in FACETS}
    for *values, count in groups:
        row = dict(zip(FACETS, values, strict=True))
        misses = [name for name, value in wanted.items() if row[name] != value]
        if not misses:
            total += count
        for name in FACETS:
            if not misses or misses == [name]:
                facets[name][row[name]] += count
    if not total and not criteria.filtered:
        return 0, {}
    return total, {name: dict(counts) for name, counts in facets.items()}

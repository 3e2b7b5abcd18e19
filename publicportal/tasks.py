"""Background tasks of the public portal (run by ``manage.py db_worker``)."""

from django_tasks import task

from . import indexing


@task(queue_name="index")
def search_index_update(changes: dict[str, list[int]]) -> None:
    """Recompute the search entries that depend on ``changes``
    (``source -> ids``, sources as in :func:`indexing.related_targets`)."""
    indexing.index_changes(changes)


@task(queue_name="index")
def search_index_rebuild(body_id: int | None = None) -> None:
    """Recompute the whole search index (of one body)."""
    from gremien.models import Body

    body = Body.objects.filter(pk=body_id).first() if body_id else None
    if body_id and body is None:
        return
    indexing.index_rebuild(body)

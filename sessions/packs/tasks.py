"""Background tasks of session packs (queue ``pdf``, run by ``manage.py db_worker``)."""

from django_tasks import task

from . import service


@task(queue_name="pdf")
def pack_build(meeting_id: int, audience: str, force: bool = False) -> None:
    """Build (or remove) the pack of a meeting for ``audience`` ("member" or
    "public"); see :func:`sessions.packs.service.build`. Queued by
    :func:`sessions.packs.service.request_builds`."""
    service.build(meeting_id, audience, force=force)

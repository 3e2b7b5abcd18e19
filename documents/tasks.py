"""Background tasks of the documents app (run by ``manage.py db_worker``)."""

from django_tasks import task

from .filecheck import extract_text
from .models import File


@task(queue_name="index")
def file_extract_text(file_id: int) -> None:
    """Fill ``File.text`` from the stored blob, for full-text search."""
    file = File.objects.filter(pk=file_id).first()
    if file is None or not file.content:
        return
    with file.content.open("rb") as handle:
        data = handle.read()
    file.text = extract_text(data, file.mime_type)
    # A save, not an update: subscribers (the portal's search index) hear of it.
    file.save(update_fields=["text"])

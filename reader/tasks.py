"""Background tasks of the reader (run by ``manage.py db_worker``)."""

from django_tasks import task

from documents.models import File

from .pages import pages_of


@task(queue_name="index")
def document_pages_index(file_id: int) -> None:
    """Count the pages of a file's current version and hash their text
    (``reader.pages``), so that the reader compares notes with it at once."""
    file = File.objects.filter(pk=file_id).first()
    if file is not None:
        pages_of(file)

"""File content: ``accessUrl`` (inline) and ``downloadUrl`` (attachment).

Visibility is checked on every request, then the portal's own download
(``publicportal.downloads``) sends the content. A file deleted after it was
public answers 410.
"""

from django.utils.translation import gettext as _

from documents.models import File

from .. import visibility
from ..downloads import ContentMissing, file_response
from .errors import ApiError


def file_content(request, pk: int, *, attachment: bool):
    file = visibility.public_files().filter(pk=pk).first()
    if file is None:
        if visibility.public_tombstones(File).filter(pk=pk).exists():
            raise ApiError(410, _("This file has been deleted."), f"file {pk}")
        raise ApiError(404, _("There is no public file with this id."), f"file {pk}")
    try:
        return file_response(request, file, attachment=attachment)
    except ContentMissing as missing:
        raise ApiError(
            404, _("The content of this file is not available."), str(missing)
        ) from None
